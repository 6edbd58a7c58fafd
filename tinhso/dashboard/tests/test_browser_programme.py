"""The province's leader reads the programme's targets on a 360 px phone: the
progress chart and the table fit the screen (the table scrolls inside itself)."""

from __future__ import annotations

import pytest

from tinhso.dashboard.models import ProgrammeTarget
from tinhso.dashboard.programme_actions import enter_programme_value
from tinhso.testing import make_agency, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_programme_targets_on_a_phone(chromium, live_server):
    top = make_agency("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", kind="provincial_committee")
    make_staff("lanhdao.tinh", roles=[("leader", top)], full_name="Chủ tịch UBND")
    centre = make_staff("dieuhanh", roles=[("operations_centre", top)])
    ProgrammeTarget.objects.create(key="base_stations", label="Trạm phát sóng di động", target=2418, unit="trạm",
                                   kind="count", group="infrastructure", source_issuer="Bài viết nguồn (Hà Giang)")
    enter_programme_value(acting_user=centre, key="base_stations", period_start="2026-01-01",
                          period_end="2026-12-31", value=1209, note="Sở KH&CN")
    phone = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True,
                                 has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/accounts/login/?next=/dashboard/chuong-trinh/")
        page.get_by_label("Tên đăng nhập").fill("lanhdao.tinh")
        page.get_by_label("Mật khẩu").fill("Matkhau-2026!")
        page.get_by_role("button", name="Đăng nhập").click()
        page.get_by_role("heading", name="Chỉ tiêu chương trình chuyển đổi số").wait_for()
        row = page.locator("#programme-targets tr", has_text="Trạm phát sóng di động")
        assert "1209" in row.inner_text() and "2418" in row.inner_text() and "50,0%" in row.inner_text()
        assert page.locator("#programme-chart").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        phone.close()
