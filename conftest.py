"""Shared pytest fixtures.

The real 2025 administrative units (34 provinces, 3,321 communes, the old
units and the succession table) are imported once per test session into the
test database, so every test runs against real unit data."""

import os

import pytest
from django.conf import settings

from tinhso.testing import make_agency, make_staff, make_unit  # noqa: F401


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


@pytest.fixture
def real_units(db):
    """The real unit data, re-imported if a transactional test flushed it."""
    from tinhso.units.actions import import_units
    from tinhso.units.models import AdministrativeUnit

    if not AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True).exists():
        import_units(acting_user=None, directory=settings.TINHSO_ADMIN_UNITS_DIR)


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium driven by Playwright. Outside CI a machine
    without Chromium skips browser tests; under CI that is a failure."""
    import shutil

    path = os.environ.get("TINHSO_CHROMIUM") or shutil.which("chromium")
    if not path:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required for browser tests under CI (bin/setup --browser installs it).")
        pytest.skip("Chromium not installed (run bin/setup --browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty Django cache (look-up failure counts,
    catalogue names): nothing carries over from another test."""
    from django.core.cache import cache

    cache.clear()
    yield
