"""The security officer (auditor role) signs in on a 360 px phone, sees the
last 24 hours by severity and the daily chart, and filters by account."""

from __future__ import annotations

import pytest

from tinhso.secwatch.events import record_event
from tinhso.secwatch.models import AlertRule
from tinhso.testing import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_security_officer_screen_on_a_phone(chromium, live_server, agency, settings):
    settings.TINHSO_REQUIRE_2FA = False
    make_staff("kiemtra", roles=[("auditor", agency)], two_factor=False)
    AlertRule.objects.all().delete()
    for _ in range(3):
        record_event("signin_failed", username="lanhdao.sxd", address="45.131.66.20")
    record_event("signin_locked", "high", username="lanhdao.sxd", address="45.131.66.20")
    record_event("permission_denied", username="motcua.tinh", address="10.92.1.15", detail={"path": "/policies/"})
    phone = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True,
                                 has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/accounts/login/?next=/an-ninh/")
        page.get_by_label("Tên đăng nhập").fill("kiemtra")
        page.get_by_label("Mật khẩu").fill("Matkhau-2026!")
        page.get_by_role("button", name="Đăng nhập").click()
        page.get_by_role("heading", name="Giám sát an toàn thông tin").wait_for()
        last24 = page.locator("#last24").inner_text()
        assert "1 Nghiêm trọng" in last24 and "4 Cảnh báo" in last24
        assert page.locator("#chart-events rect").count() > 0
        page.get_by_label("Tài khoản").fill("lanhdao.sxd")
        page.get_by_role("button", name="Lọc").click()
        page.get_by_role("heading", name="Sự kiện (4)").wait_for()
        assert "motcua.tinh" not in page.locator("#events").inner_text()
        page.get_by_label("Mức độ").select_option("high")
        page.get_by_role("button", name="Lọc").click()
        page.get_by_role("heading", name="Sự kiện (1)").wait_for()
    finally:
        phone.close()
