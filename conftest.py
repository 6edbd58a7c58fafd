"""Shared pytest fixtures.

The real 2025 administrative units (34 provinces, 3,321 communes, the old
units and the succession table) are imported once per test session into the
test database, so every test runs against real unit data."""

import os

import pytest
from django.conf import settings

from tinhso.core.testing import make_agency, make_staff, make_unit  # noqa: F401


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from tinhso.units.actions import import_units

    with django_db_blocker.unblock():
        import_units(acting_user=None, directory=settings.TINHSO_ADMIN_UNITS_DIR)


@pytest.fixture
def province(db):
    return make_unit("92", "Thành phố Cần Thơ", level="province")


@pytest.fixture
def commune(province):
    return make_unit("31321", "Phường Vị Thanh", level="commune", parent=province)


@pytest.fixture
def agency(province):
    return make_agency("000.00.02.H13", "Trung tâm Phục vụ hành chính công thành phố Cần Thơ", unit=province,
                       kind="provincial_service_centre")


@pytest.fixture
def admin_user(agency):
    return make_staff("admin", roles=[("system_admin", agency)])


def pytest_configure(config):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
