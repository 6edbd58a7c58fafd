"""Issue 16's meeting journey in headless Chromium on a 360 px phone: a
commune leader schedules an online meeting for every commune, sees the
invitations sent and the video link and saves the calendar entry (read back
with vobject); the commune's one-stop-shop clerk finds it among the
notifications and checks the commune in; the monthly report shows the
meeting and the connected commune."""

from __future__ import annotations

import datetime

import pytest
import vobject
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tinhso.meetings.models import Meeting, Participant
from tinhso.testing import staff_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLE = "Họp trực tuyến triển khai tổ công nghệ số"


@pytest.fixture
def demo(real_units, settings):
    settings.TINHSO_REQUIRE_2FA = False
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def _phone(page):
    page.set_viewport_size({"width": 360, "height": 780})
    return page


def _fits(page, what):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{what} scrolls sideways on a phone"


def test_schedule_check_in_and_report_a_meeting_on_a_phone(chromium, live_server, demo, settings, tmp_path):
    settings.TINHSO_BASE_URL = base = live_server.url
    page = _phone(staff_page(chromium, base, "lanhdao.ninhkieu"))
    page.goto(f"{base}/hop-truc-tuyen/")
    page.get_by_role("link", name="Tạo cuộc họp").click()
    # Starting in a quarter of an hour, so the communes may check in already (it opens 30 minutes before).
    start = (timezone.localtime() + datetime.timedelta(minutes=15)).replace(second=0, microsecond=0)
    page.get_by_label("Tên cuộc họp").fill(TITLE)
    page.get_by_label("Nội dung, chương trình").fill("Phân công tổ công nghệ số hỗ trợ người dân kích hoạt VNeID.")
    page.get_by_label("Bắt đầu").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Kết thúc").fill((start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Tất cả UBND xã, phường").check()
    _fits(page, "the form")
    page.get_by_role("button", name="Tạo cuộc họp và gửi giấy mời").click()
    page.get_by_text("Đã tạo cuộc họp và gửi giấy mời").wait_for()
    meeting = Meeting.objects.get(title=TITLE)
    assert meeting.start == start
    page.get_by_role("heading", name="Giấy mời đã gửi").wait_for()
    assert page.get_by_text("vanthu.ninhkieu@demo.tinhso.local").first.is_visible()
    join = page.get_by_role("link", name="Vào phòng họp")
    assert join.get_attribute("href").startswith(f"https://meet.jit.si/{meeting.video_room}")
    assert meeting.participants.count() >= 6
    assert any(m.to == ["vanthu.ninhkieu@demo.tinhso.local"] and m.attachments for m in mail.outbox)

    # The calendar entry saved from the page, read by vobject (not the library that wrote it).
    with page.expect_download() as download:
        page.get_by_role("link", name="Thêm vào lịch (.ics)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == f"cuoc-hop-{meeting.pk}.ics"
    cal = vobject.readOne(saved.read_text(encoding="utf-8"))
    (event,) = cal.vevent_list
    assert cal.method.value == "REQUEST" and event.uid.value == meeting.uid and int(event.sequence.value) == 0
    assert event.dtstart.value.utcoffset() == datetime.timedelta(hours=7)
    assert event.dtstart.value == meeting.start and event.dtend.value == meeting.end
    assert event.summary.value == TITLE and event.status.value == "CONFIRMED"
    assert event.url.value.startswith(f"https://meet.jit.si/{meeting.video_room}")
    assert event.location.value == event.url.value
    assert event.organizer.params["CN"] == [meeting.host.name]
    assert [a.value for a in event.attendee_list] == ["mailto:lanhdao.ninhkieu@demo.tinhso.local"]

    # The commune's clerk (its service centre) is told in the app and checks the commune in.
    clerk = _phone(staff_page(chromium, base, "motcua.ninhkieu"))
    clerk.goto(f"{base}/notifications/")
    clerk.get_by_role("link", name=f"Giấy mời họp trực tuyến: {TITLE}").click()
    clerk.get_by_role("heading", name=TITLE).wait_for()
    mine = Participant.objects.get(meeting=meeting, agency__code="000.31135.H13")
    row = clerk.get_by_role("row").filter(has_text=mine.agency.name)
    row.get_by_role("button", name="Đã kết nối").click()
    clerk.get_by_text("Đã điểm danh.").wait_for()
    row = clerk.get_by_role("row").filter(has_text=mine.agency.name)
    assert "Đã kết nối" in row.inner_text() and "Lý Thị Ngọc" in row.inner_text()
    assert clerk.get_by_text(f"1/{meeting.participants.count()} đã kết nối").is_visible()
    _fits(clerk, "the meeting page")
    mine.refresh_from_db()
    assert mine.attendance == "connected" and mine.checked_by.username == "motcua.ninhkieu"

    # The month's report: the meeting with one unit connected, and the commune among those connected.
    page.goto(f"{base}/hop-truc-tuyen/bao-cao/")
    page.get_by_label("Tháng").fill(f"{start:%Y-%m}")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(f"**/bao-cao/?month={start:%Y-%m}")
    meeting_row = page.get_by_role("row").filter(has_text=TITLE)
    cells = meeting_row.get_by_role("cell").all_inner_texts()
    assert cells[-2:] == [str(meeting.participants.count()), "1"]
    connected = Participant.objects.filter(
        agency=mine.agency, attendance="connected", meeting__status="scheduled",
        meeting__start__gte=start.replace(day=1, hour=0, minute=0),
        meeting__start__lt=(start.replace(day=1, hour=0, minute=0) + datetime.timedelta(days=32)).replace(day=1)
    ).count()
    by_commune = page.locator("table").last  # "Theo xã, phường"
    commune = by_commune.get_by_role("row").filter(has_text="Phường Ninh Kiều").get_by_role("cell").all_inner_texts()
    assert commune[0] == "Phường Ninh Kiều" and commune[-1] == str(connected) and connected >= 1
    _fits(page, "the report")
