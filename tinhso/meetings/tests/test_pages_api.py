"""The pages and the API: thin over the actions, Vietnamese messages for bad
input, never a 500; the monthly report as a page and as Excel."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tinhso.meetings import actions
from tinhso.meetings.models import Meeting
from tinhso.meetings.tests.conftest import soon

pytestmark = pytest.mark.django_db
PASSWORD = "Matkhau-2026!"


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_schedule_from_the_page_and_see_the_invitations(city, client, django_capture_on_commit_callbacks):
    client.login(username="vanphong.tp", password=PASSWORD)
    start, end = soon()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/hop-truc-tuyen/tao/", {
            "host": city.top.pk, "title": "Họp trực tuyến về chuyển đổi số", "start": _local(start),
            "end": _local(end), "participants": [city.ninhkieu.pk]})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hop-truc-tuyen/{meeting.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Giấy mời đã gửi" in page and "kim@ninhkieu.cantho.gov.vn" in page and meeting.video_room in page
    ics = client.get(f"/hop-truc-tuyen/{meeting.pk}/lich.ics")
    assert ics["Content-Type"].startswith("text/calendar") and meeting.uid.encode() in ics.content.replace(b"\r\n ", b"")


def test_bad_form_input_gets_a_message_not_a_500(city, client):
    client.login(username="vanphong.tp", password=PASSWORD)
    response = client.post("/hop-truc-tuyen/tao/", {"host": city.top.pk, "title": "X", "start": "ngày mai",
                                                    "end": "", "participants": ["1x"]})
    assert response.status_code == 422 and "thời gian bắt đầu hợp lệ" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_commune_sees_its_meeting_and_checks_in_on_the_page(city, client):
    meeting = actions.create_meeting(acting_user=city.organiser, host=city.top, title="Giao ban", start=soon()[0],
                                     end=soon()[1], all_communes=True)
    row = meeting.participants.get(agency=city.ninhkieu)
    client.login(username="vanthu.caikhe", password=PASSWORD)
    client.post(f"/hop-truc-tuyen/{meeting.pk}/diem-danh/{row.pk}/", {"attendance": "connected"})
    row.refresh_from_db()
    assert row.attendance == "invited"
    client.login(username="vanthu.ninhkieu", password=PASSWORD)
    assert "Giao ban" in client.get("/hop-truc-tuyen/").content.decode()
    client.post(f"/hop-truc-tuyen/{meeting.pk}/diem-danh/{row.pk}/", {"attendance": "connected"})
    row.refresh_from_db()
    assert row.attendance == "connected"


def test_monthly_report_page_and_excel(city, client):
    meeting = actions.create_meeting(acting_user=city.organiser, host=city.top, title="Giao ban tháng", start=soon()[0],
                                     end=soon()[1], all_communes=True)
    actions.check_in(acting_user=city.nk_staff, participant_id=meeting.participants.get(agency=city.ninhkieu).pk,
                     attendance="connected")
    client.login(username="vanthu.caikhe", password=PASSWORD)
    month = f"{timezone.localtime(meeting.start):%Y-%m}"
    page = client.get(f"/hop-truc-tuyen/bao-cao/?month={month}").content.decode()
    assert "Giao ban tháng" in page and "1/2 xã, phường đã kết nối" in page
    assert client.get("/hop-truc-tuyen/bao-cao/?month=abc").status_code == 200
    book = load_workbook(io.BytesIO(client.get(f"/hop-truc-tuyen/bao-cao/?month={month}&format=xlsx").content))
    rows = list(book["Cuoc hop"].iter_rows(values_only=True))
    assert rows[2][2] == "Giao ban tháng" and rows[2][5:] == (2, 1)
    communes = {r[1]: r[2:] for r in book["Xa phuong"].iter_rows(min_row=2, values_only=True)}
    assert communes["Phường Ninh Kiều"] == (1, 1) and communes["Phường Cái Khế"] == (1, 0)


def test_rooms_page_saves_a_room_and_refuses_a_duplicate(city, client):
    client.login(username="vanthu.ninhkieu", password=PASSWORD)
    data = {"agency": city.ninhkieu.pk, "name": "Hội trường UBND phường", "equipment": "Màn hình, camera"}
    assert client.post("/hop-truc-tuyen/diem-cau/", data).status_code == 302
    again = client.post("/hop-truc-tuyen/diem-cau/", data)
    assert again.status_code == 422 and "đã có điểm cầu" in again.content.decode()
    other = client.post("/hop-truc-tuyen/diem-cau/", {**data, "agency": city.caikhe.pk, "name": "Khác"})
    assert other.status_code == 422  # not an agency of theirs


def test_api_schedules_lists_and_refuses_check_in_by_another_unit(city, client):
    client.login(username="vanphong.tp", password=PASSWORD)
    start, end = soon()
    created = client.post("/api/v1/meetings", {"host_code": city.top.code, "title": "Họp qua API",
                                               "start": start.isoformat(), "end": end.isoformat(),
                                               "participant_codes": [city.ninhkieu.code, city.caikhe.code]},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["join_url"].startswith("https://meet.jit.si/tinhso-") and len(body["participants"]) == 2
    bad = client.post("/api/v1/meetings", {"host_code": city.top.code, "title": "X", "start": end.isoformat(),
                                           "end": start.isoformat(), "participant_codes": [city.ninhkieu.code]},
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "end_before_start"
    unknown = client.post("/api/v1/meetings", {"host_code": city.top.code, "title": "X", "start": start.isoformat(),
                                               "end": end.isoformat(), "participant_codes": ["khong-co"]},
                          content_type="application/json")
    assert unknown.status_code == 422
    row = next(p for p in body["participants"] if p["agency_code"] == city.ninhkieu.code)
    client.login(username="vanthu.caikhe", password=PASSWORD)
    assert client.get("/api/v1/meetings").json()[0]["title"] == "Họp qua API"
    refused = client.post(f"/api/v1/meetings/{body['id']}/participants/{row['id']}/attendance",
                          {"attendance": "connected"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "not_unit_staff"
    client.login(username="vanthu.ninhkieu", password=PASSWORD)
    ok = client.post(f"/api/v1/meetings/{body['id']}/participants/{row['id']}/attendance",
                     {"attendance": "connected"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["attendance"] == "connected"
    assert client.get("/api/v1/meetings/999999").status_code == 404
