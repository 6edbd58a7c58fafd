"""A citizen searches the public directory on a 360 px phone and finds a
civil servant's official e-mail and office phone, and nothing personal."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tinhso.directory import actions
from tinhso.directory.models import DirectoryEntry, Mailbox
from tinhso.policies.actions import schedule

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
