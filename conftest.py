"""Shared pytest fixtures: factories for agencies, staff and roles."""

import pytest

from tinhso.core.testing import make_agency, make_staff, make_unit  # noqa: F401


@pytest.fixture
def province(db):
    return make_unit("92", "Thành phố Cần Thơ", level="province")


@pytest.fixture
def commune(province):
    return make_unit("31321", "Phường Vị Thanh", level="commune", parent=province)


@pytest.fixture
def agency(commune):
    return make_agency("000.00.00.H12", "Trung tâm Phục vụ hành chính công thành phố Cần Thơ", unit=commune.parent,
                       kind="provincial_service_centre")


@pytest.fixture
def admin_user(agency):
    return make_staff("admin", roles=[("system_admin", agency)])
