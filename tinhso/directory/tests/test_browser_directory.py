"""A citizen searches the public directory on a 360 px phone and finds a
civil servant's official e-mail and office phone, and nothing personal; the
back office's request flow (request, approve, issue) on phones."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tinhso.directory import actions
from tinhso.directory.models import DirectoryEntry, Mailbox
from tinhso.policies.actions import schedule
from tinhso.testing import staff_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_directory_search_on_a_phone(chromium, live_server, real_units, org):
    actions.sync_entries()
    DirectoryEntry.objects.filter(user=org.specialist).update(office_phone="0292 3820 555")
    Mailbox.objects.create(address="lehoangnam@cantho.gov.vn", agency=org.sxd, user=org.specialist,
                           display_name="Lê Hoàng Nam")
    schedule(acting_user=None, key="directory.public", value="000.00.11.H13",
             effective_from=timezone.now() - datetime.timedelta(minutes=1))
    phone = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True,
                                 has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/danh-ba/")
        page.get_by_role("heading", name="Danh bạ cán bộ, công chức").wait_for()
        page.get_by_label("Họ tên, chức vụ hoặc cơ quan").fill("hoang nam")
        page.get_by_role("button", name="Tìm").click()
        results = page.locator("#results")
        results.get_by_text("Lê Hoàng Nam").wait_for()
        text = results.inner_text()
        assert "lehoangnam@cantho.gov.vn" in text and "0292 3820 555" in text and "Sở Xây dựng" in text
        assert "0909123456" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.get_by_label("Họ tên, chức vụ hoặc cơ quan").fill("ngo thanh ha")  # Sở Tư pháp: not public
        page.get_by_role("button", name="Tìm").click()
        page.get_by_text("Không tìm thấy cán bộ nào.").wait_for()
    finally:
        phone.close()


def _phone(page):
    page.set_viewport_size({"width": 360, "height": 780})
    return page


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{page.url} scrolls sideways on a phone"


def test_a_mailbox_request_is_requested_approved_and_issued_on_phones(chromium, live_server, org, settings):
    """The back office at 360 px: a specialist requests an official mailbox,
    the agency's leader approves, the IT administrator processes and issues it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tinhso.accounts.models import TwoFactorRule

    settings.TINHSO_REQUIRE_2FA = False
    TwoFactorRule.objects.all().delete()  # the administrator signs in with a password here
    TOTPDevice.objects.filter(user=org.admin).delete()
    base, password = live_server.url, "Matkhau-2026!"

    staff = _phone(staff_page(chromium, base, "chuyenvien.sxd", password))
    try:
        staff.goto(f"{base}/danh-ba/de-nghi/")
        staff.get_by_role("heading", name="Đề nghị cấp hộp thư công vụ, chứng thư số").wait_for()
        staff.get_by_label("Loại đề nghị").select_option("mailbox")
        staff.get_by_label("Địa chỉ thư đề nghị").fill("LeHoangNam@cantho.gov.vn")
        staff.get_by_label("Lý do").fill("Cán bộ mới nhận công tác")
        _fits(staff)
        staff.get_by_role("button", name="Gửi đề nghị").click()
        staff.get_by_text("Đã gửi đề nghị; lãnh đạo cơ quan sẽ duyệt.").wait_for()
        assert staff.locator("#state").inner_text() == "Đã đề nghị"
        _fits(staff)
        request_url = staff.url
    finally:
        staff.context.close()

    leader = _phone(staff_page(chromium, base, "lanhdao.sxd", password))
    try:
        leader.goto(request_url)
        leader.get_by_role("heading", name="Hộp thư công vụ: Lê Hoàng Nam").wait_for()
        _fits(leader)
        leader.get_by_role("button", name="Duyệt").click()
        leader.get_by_text("Đã cập nhật đề nghị.").wait_for()
        assert leader.locator("#state").inner_text() == "Lãnh đạo đã duyệt"
    finally:
        leader.context.close()

    admin = _phone(staff_page(chromium, base, "quantri", password))
    try:
        admin.goto(f"{base}/danh-ba/de-nghi/")
        admin.locator("table").get_by_role("link", name="Hộp thư công vụ").click()
        admin.get_by_role("button", name="Nhận xử lý").click()
        admin.locator("#state").get_by_text("Đang xử lý (CNTT)").wait_for()
        _fits(admin)
        admin.get_by_role("button", name="Cấp").click()
        admin.locator("#state").get_by_text("Đã cấp").wait_for()
        admin.goto(f"{base}/danh-ba/hop-thu/?q=lehoangnam")
        admin.get_by_text("lehoangnam@cantho.gov.vn").first.wait_for()
    finally:
        admin.context.close()
    assert Mailbox.objects.get(address="lehoangnam@cantho.gov.vn").user == org.specialist
