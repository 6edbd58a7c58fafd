import pytest

from tinhso.testing import make_agency, make_staff
from tinhso.units.models import AdministrativeUnit

OLD_VI_THUY = "ấp 3, xã Vị Thủy, huyện Vị Thủy, Hậu Giang"
SPLIT = "ấp Phú Lợi, xã Phú Tân, huyện Châu Thành, tỉnh Hậu Giang"


def commune(code):
    return AdministrativeUnit.objects.get(level="commune", code=code, valid_to__isnull=True)


@pytest.fixture
def ninhkieu(real_units):
    return commune("31135")


@pytest.fixture
def committee(ninhkieu):
    root = make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", kind="provincial_committee")
    return make_agency("000.31135.H13", "Ủy ban nhân dân Phường Ninh Kiều", unit=ninhkieu, parent=root,
                       kind="commune_committee")


@pytest.fixture
def officer(committee):
    return make_staff("diachinh.ninhkieu", roles=[("specialist", committee)])


@pytest.fixture
def outsider(committee):
    vithanh = commune("31321")
    other = make_agency("000.31321.H13", "Ủy ban nhân dân Phường Vị Thanh", unit=vithanh, parent=committee.parent,
                        kind="commune_committee")
    make_agency("000.31120.H13", "Ủy ban nhân dân Phường Cái Khế", unit=commune("31120"), parent=committee.parent,
                kind="commune_committee")
    return make_staff("diachinh.vithanh", roles=[("specialist", other)])
