"""Issue 16's team journey in headless Chromium on a 360 px phone: a
commune's one-stop-shop clerk logs, on behalf of a digital team, help given
to people activating their e-ID, in a few taps."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tinhso.digitalteams.models import Activity, Team
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


def test_a_member_leaves_and_a_team_is_disbanded_from_a_phone(chromium, live_server, demo):
    base = live_server.url
    team = Team.objects.get(agency__code="000.31135.H13", hamlet="Khu vực 5")
    member = team.members.filter(is_active=True).order_by("full_name").first()
    teams_before = Team.objects.filter(agency=team.agency, is_active=True).count()
    page = staff_page(chromium, base, "chuyenvien.ninhkieu")  # a specialist of the ward's people's committee
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{base}/to-cong-nghe-so/")
    page.get_by_role("link", name=team.name).click()
    page.get_by_role("button", name=f"{member.full_name} rời tổ").click()
    page.get_by_text("Đã ghi thành viên rời tổ.").wait_for()
    assert member.full_name in page.locator("#former-members").inner_text()
    assert member.full_name not in page.locator("#members").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the team page scrolls sideways on a phone"
    page.get_by_label("Lý do ngừng hoạt động").fill("Sáp nhập vào tổ khu vực 3")
    page.get_by_role("button", name="Ngừng hoạt động tổ").click()
    page.get_by_text("Đã ghi tổ ngừng hoạt động").wait_for()
    assert page.locator("#team-state").inner_text() == "Ngừng hoạt động"
    team.refresh_from_db()
    member.refresh_from_db()
    assert not team.is_active and not member.is_active
    page.goto(f"{base}/to-cong-nghe-so/bao-cao/")  # the ward's row counts one team fewer
    cells = page.locator("tr", has=page.get_by_role("cell", name=team.agency.unit.name, exact=True)).locator("td")
    assert cells.nth(1).inner_text() == str(teams_before - 1)
    page.context.close()
