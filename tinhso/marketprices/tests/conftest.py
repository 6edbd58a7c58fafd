import datetime

import pytest
from django.utils import timezone

from tinhso.marketprices import actions
from tinhso.testing import make_agency, make_staff, xlsx_upload
from tinhso.units.models import AdministrativeUnit


def commune(code):
    return AdministrativeUnit.objects.get(level="commune", code=code, valid_to__isnull=True)


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def sct(real_units):
    root = make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", kind="provincial_committee")
    return make_agency("000.00.16.H13", "Sở Công Thương", parent=root)


@pytest.fixture
def specialist(sct):
    return make_staff("chuyenvien.sct", roles=[("specialist", sct)])


@pytest.fixture
def outsider(sct):
    sxd = make_agency("000.00.11.H13", "Sở Xây dựng", parent=sct.parent)
    return make_staff("chuyenvien.sxd", roles=[("specialist", sxd)])


@pytest.fixture
def market(specialist, sct):
    return actions.create_market(acting_user=specialist, name="Chợ Cái Răng", unit_id=commune("31147").pk,
                                 agency_id=sct.pk)


@pytest.fixture
def rice(specialist):
    return actions.create_good(acting_user=specialist, name="Gạo ST25", unit="kg", group="rice")


@pytest.fixture
def pig(specialist):
    return actions.create_good(acting_user=specialist, name="Heo hơi", unit="kg", group="livestock")


def xlsx(rows, header=("Ngày", "Chợ", "Mặt hàng", "Giá (đồng)", "Ghi chú")):
    return xlsx_upload(header, rows, "gia.xlsx")
