import datetime

import pytest
from django.utils import timezone

from tinhso.schedules import actions, weeks
from tinhso.testing import make_agency, make_staff


@pytest.fixture
def sxd(province):
    root = make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", kind="provincial_committee")
    return make_agency("000.00.11.H13", "Sở Xây dựng", parent=root)


@pytest.fixture
def office(sxd):
    return make_agency("000.02.11.H13", "Văn phòng Sở Xây dựng", parent=sxd, kind="office")


@pytest.fixture
def clerk_office(office):
    return make_staff("vanthu.sxd", roles=[("clerical_office", office)])


@pytest.fixture
def leader(sxd):
    return make_staff("lanhdao.sxd", roles=[("leader", sxd)])


@pytest.fixture
def outsider(sxd):
    stp = make_agency("000.00.10.H13", "Sở Tư pháp", parent=sxd.parent)
    return make_staff("lanhdao.stp", roles=[("leader", stp)])


def at(day_offset: int, hour: int, minute: int = 0):
    day = timezone.localdate() + datetime.timedelta(days=day_offset)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def entry(clerk_office, sxd):
    return actions.save_entry(acting_user=clerk_office, agency_id=sxd.pk, start=at(0, 8), end=at(0, 10),
                              content="Họp giao ban Sở", leaders="Đ/c Võ Quốc Dũng - Phó Giám đốc",
                              place="Phòng họp tầng 3", participants="Lãnh đạo các phòng",
                              host_unit="Văn phòng Sở")


@pytest.fixture
def published(entry, clerk_office, sxd):
    actions.publish_week(acting_user=clerk_office, agency_id=sxd.pk,
                         week=weeks.label(weeks.monday(timezone.localdate())))
    entry.refresh_from_db()
    return entry
