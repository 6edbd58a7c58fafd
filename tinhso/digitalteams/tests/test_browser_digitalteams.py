"""Issue 16's team journey in headless Chromium on a 360 px phone: a
commune's one-stop-shop clerk logs, on behalf of a digital team, help given
to people activating their e-ID, in a few taps."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tinhso.digitalteams.models import Activity
from tinhso.testing import staff_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(real_units, settings):
    settings.TINHSO_REQUIRE_2FA = False
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def test_log_an_activity_from_a_phone(chromium, live_server, demo):
    base = live_server.url
    before = Activity.objects.count()
    page = staff_page(chromium, base, "motcua.ninhkieu")
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{base}/to-cong-nghe-so/")
    page.get_by_role("link", name="Ghi hoạt động hỗ trợ").click()
    page.get_by_label("Tổ").select_option(label="Tổ công nghệ số cộng đồng Khu vực 3 — UBND Phường Ninh Kiều")
    page.get_by_label("Kích hoạt định danh điện tử (VNeID)").check()
    page.get_by_label("Số người được hỗ trợ").fill("6")
    page.get_by_label("Địa điểm").fill("Nhà văn hóa khu vực 3")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the form scrolls sideways on a phone"
    page.get_by_role("button", name="Ghi nhận").click()
    page.get_by_text("Đã ghi: Kích hoạt định danh điện tử (VNeID), 6 người.").wait_for()
    activity = Activity.objects.order_by("-id").first()
    assert Activity.objects.count() == before + 1
    assert (activity.team.hamlet, activity.kind, activity.people_helped) == ("Khu vực 3", "vneid", 6)
    assert activity.logged_by.username == "motcua.ninhkieu"
