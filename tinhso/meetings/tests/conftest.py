from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tinhso.testing import make_agency, make_staff, make_unit


@pytest.fixture
def city(db):
    province = make_unit("92", "Thành phố Cần Thơ", level="province")
    ninhkieu_unit = make_unit("31135", "Phường Ninh Kiều", parent=province)
    caikhe_unit = make_unit("31120", "Phường Cái Khế", parent=province)
    top = make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", unit=province,
                      kind="provincial_committee", short_name="UBND TP")
    top.email = "ubnd@cantho.gov.vn"
    top.save()
    ninhkieu = make_agency("000.31135.H13", "Ủy ban nhân dân Phường Ninh Kiều", parent=top, unit=ninhkieu_unit,
                           kind="commune_committee", short_name="UBND Ninh Kiều")
    ninhkieu.email = "ninhkieu@cantho.gov.vn"
    ninhkieu.save()
    ninhkieu_centre = make_agency("001.31135.H13", "Trung tâm Phục vụ hành chính công Phường Ninh Kiều",
                                  parent=ninhkieu, unit=ninhkieu_unit, kind="commune_service_centre")
    caikhe = make_agency("000.31120.H13", "Ủy ban nhân dân Phường Cái Khế", parent=top, unit=caikhe_unit,
                         kind="commune_committee", short_name="UBND Cái Khế")
    organiser = make_staff("vanphong.tp", roles=[("specialist", top)], full_name="Trần Thu Hà")
    organiser.email = "ha@cantho.gov.vn"
    organiser.save()
    nk_staff = make_staff("vanthu.ninhkieu", roles=[("clerical_office", ninhkieu)], full_name="Trương Thị Kim")
    nk_staff.email = "kim@ninhkieu.cantho.gov.vn"
    nk_staff.save()
    nk_clerk = make_staff("motcua.ninhkieu", roles=[("clerk", ninhkieu_centre)], full_name="Lý Thị Ngọc")
    ck_staff = make_staff("vanthu.caikhe", roles=[("clerical_office", caikhe)], full_name="Phan Văn Khải")
    nk_specialist = make_staff("chuyenvien.ninhkieu", roles=[("specialist", ninhkieu)], full_name="Châu Văn Phúc")
    return SimpleNamespace(**locals())


def soon(minutes: int = 10, hours: int = 2):
    start = (timezone.now() + datetime.timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    return start, start + datetime.timedelta(hours=hours)
