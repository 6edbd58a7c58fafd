"""In headless Chromium, against a live server whose sandbox population
database is reached over real HTTP: a citizen signed in with the e-ID ticks
consent and gets the form filled, each field marked as coming from it."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from tinhso.integration.models import MessageLog
from tinhso.registries.tests.test_online import an, online  # noqa: F401 - reused fixtures
from tinhso.portal.tests.conftest import eform  # noqa: F401 - reused fixture
from tinhso.dossiers.tests.conftest import world  # noqa: F401 - reused fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_online_form_prefilled_from_the_population_database(chromium, live_server, online, an, settings):  # noqa: F811
    settings.TINHSO_BASE_URL = live_server.url
    settings.TINHSO_POPULATION_SANDBOX = True
    settings.TINHSO_POPULATION_URL = ""
    settings.TINHSO_POPULATION_KEY = settings.TINHSO_NATIONAL_SANDBOX_KEY
    cache.clear()
    client = Client()
    client.force_login(an)
    context = chromium.new_context(locale="vi-VN")
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/dvc/nop-ho-so/{online.case.pk}/")
    page.get_by_label("Tôi đồng ý để hệ thống tra cứu thông tin của tôi").check()
    page.get_by_role("button", name="Đồng ý và lấy thông tin").click()
    page.locator("#population-check .badge.ok").wait_for()
    assert page.get_by_label("Họ và tên người nộp").input_value() == "Nguyễn Văn An"
    assert "Phường Ninh Kiều" in page.get_by_label("Địa chỉ liên hệ").input_value()
    assert page.locator("text=Lấy từ CSDL quốc gia về dân cư").count() >= 3
    assert MessageLog.objects.filter(direction="out", service="population", outcome="ok").exists()
    context.close()
