"""The security officer (auditor role) signs in on a 360 px phone, sees the
last 24 hours by severity and the daily chart, and filters by account; the
system administrator edits an alert rule's threshold on a phone."""

from __future__ import annotations

import pytest

from tinhso.accounts.models import TwoFactorRule
from tinhso.audit.models import AuditEvent
from tinhso.secwatch.events import record_event
from tinhso.secwatch.models import AlertRule
from tinhso.testing import make_staff, staff_page

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


def test_the_administrator_edits_a_rule_threshold_on_a_phone(chromium, live_server, agency, settings):
    settings.TINHSO_REQUIRE_2FA = False
    TwoFactorRule.objects.all().delete()  # a password is enough here
    make_staff("quantri", roles=[("system_admin", agency)], full_name="Quản trị CNTT", two_factor=False)
    AlertRule.objects.all().delete()
    rule = AlertRule.objects.create(name="Dò mật khẩu một tài khoản", kind="signin_failed", threshold=20,
                                    window_minutes=10, group_by="username", severity="high")
    page = staff_page(chromium, live_server.url, "quantri", "Matkhau-2026!")
    page.set_viewport_size({"width": 360, "height": 780})
    try:
        page.goto(f"{live_server.url}/an-ninh/quy-tac/")
        page.get_by_role("heading", name="Quy tắc cảnh báo").wait_for()
        page.get_by_role("link", name="Dò mật khẩu một tài khoản").click()
        page.get_by_role("heading", name="Sửa quy tắc").wait_for()
        assert page.get_by_label("Ngưỡng (số sự kiện)").input_value() == "20"
        assert "Để trống: gửi cho" in page.locator("#r-recipients-help").inner_text()
        page.get_by_label("Ngưỡng (số sự kiện)").fill("25")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the rule form scrolls sideways"
        page.get_by_role("button", name="Lưu quy tắc").click()
        page.get_by_text("Đã lưu quy tắc cảnh báo.").wait_for()
        assert "25 trong 10 phút" in page.get_by_role("row").filter(has_text="Dò mật khẩu").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the rule list scrolls sideways"
    finally:
        page.context.close()
    rule.refresh_from_db()
    assert rule.threshold == 25 and rule.updated_by.username == "quantri"
    assert AuditEvent.objects.filter(action="secwatch.rule.updated", changes__threshold=[20, 25]).exists()
