"""Issue 16's meeting journey in headless Chromium on a 360 px phone: a
commune leader schedules an online meeting for every commune, sees the
invitations sent and the video link; the .ics arrived by e-mail."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tinhso.meetings.models import Meeting
from tinhso.testing import staff_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(real_units, settings):
    settings.TINHSO_REQUIRE_2FA = False
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def test_schedule_a_meeting_on_a_phone_and_see_the_invitation(chromium, live_server, demo, settings):
    settings.TINHSO_BASE_URL = base = live_server.url
    page = staff_page(chromium, base, "lanhdao.ninhkieu")
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{base}/hop-truc-tuyen/")
    page.get_by_role("link", name="Tạo cuộc họp").click()
    start = timezone.localtime() + datetime.timedelta(days=2)
    page.get_by_label("Tên cuộc họp").fill("Họp trực tuyến triển khai tổ công nghệ số")
    page.get_by_label("Nội dung, chương trình").fill("Phân công tổ công nghệ số hỗ trợ người dân kích hoạt VNeID.")
    page.get_by_label("Bắt đầu").fill(start.strftime("%Y-%m-%dT08:00"))
    page.get_by_label("Kết thúc").fill(start.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Tất cả UBND xã, phường").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the form scrolls sideways on a phone"
    page.get_by_role("button", name="Tạo cuộc họp và gửi giấy mời").click()
    page.get_by_text("Đã tạo cuộc họp và gửi giấy mời").wait_for()
    meeting = Meeting.objects.get(title="Họp trực tuyến triển khai tổ công nghệ số")
    page.get_by_role("heading", name="Giấy mời đã gửi").wait_for()
    assert page.get_by_text("vanthu.ninhkieu@demo.tinhso.local").first.is_visible()
    join = page.get_by_role("link", name="Vào phòng họp")
    assert join.get_attribute("href").startswith(f"https://meet.jit.si/{meeting.video_room}")
    assert meeting.participants.count() >= 6
    assert any(m.to == ["vanthu.ninhkieu@demo.tinhso.local"] and m.attachments for m in mail.outbox)
