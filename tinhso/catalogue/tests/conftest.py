import pytest

from tinhso.catalogue.actions import import_catalogue
from tinhso.catalogue.tests.factories import make_demo_agencies, small_catalogue
from tinhso.testing import make_staff


@pytest.fixture(autouse=True)
def _no_2fa(settings):
    settings.TINHSO_REQUIRE_2FA = False


@pytest.fixture
def demo_agencies(province, commune):
    return make_demo_agencies(province, commune)


@pytest.fixture
def manager(demo_agencies):
    return make_staff("quanly", roles=[("catalogue_manager", demo_agencies["000.00.02.H13"])])


@pytest.fixture
def specialist(demo_agencies):
    return make_staff("chuyenvien", roles=[("specialist", demo_agencies["000.00.10.H13"])])


@pytest.fixture
def catalogue(demo_agencies):
    import_catalogue(small_catalogue(), acting_user=None, system=True)
