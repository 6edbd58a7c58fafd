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
    bad = client.get("/hop-truc-tuyen/bao-cao/?month=abc")
    assert bad.status_code == 422 and "Tháng không hợp lệ" in bad.content.decode()
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
    elsewhere = client.post(f"/api/v1/meetings/{body['id'] + 1000}/participants/{row['id']}/attendance",
                            {"attendance": "absent"}, content_type="application/json")
    assert elsewhere.status_code == 404  # the unit is not one of that meeting's
    assert client.get("/api/v1/meetings/999999").status_code == 404


@pytest.mark.parametrize("raw, says", [
    ("9999-12", "từ năm 2000 đến năm 2100"), ("0001-01", "từ năm 2000 đến năm 2100"),
    ("1999-12", "từ năm 2000 đến năm 2100"), ("2101-01", "từ năm 2000 đến năm 2100"),
    ("2026-13", "Tháng không hợp lệ"), ("2026-00", "Tháng không hợp lệ"), ("２０２６-11", "Tháng không hợp lệ"),
    ("-2026-11", "Tháng không hợp lệ"), ("2026-11-01", "Tháng không hợp lệ"), ("99999-01", "Tháng không hợp lệ"),
])
def test_a_month_out_of_range_or_malformed_is_a_message_not_a_500(city, client, raw, says):
    client.login(username="vanphong.tp", password=PASSWORD)
    for extra in ("", "&format=xlsx"):
        response = client.get("/hop-truc-tuyen/bao-cao/", {"month": raw} if not extra else {"month": raw,
                                                                                            "format": "xlsx"})
        assert response.status_code == 422 and response["Content-Type"].startswith("text/html")
        page = response.content.decode()
        assert says in page and 'role="alert"' in page
        assert f'value="{timezone.localdate():%Y-%m}"' in page  # this month's report shown instead


@pytest.mark.parametrize("raw", ["2000-01", "2100-12"])
def test_the_first_and_last_months_accepted(city, client, raw):
    client.login(username="vanphong.tp", password=PASSWORD)
    assert client.get("/hop-truc-tuyen/bao-cao/", {"month": raw}).status_code == 200
    assert client.get("/hop-truc-tuyen/bao-cao/", {"month": raw, "format": "xlsx"})["Content-Type"].startswith(
        "application/vnd.openxmlformats")


def test_times_at_the_calendars_ends_on_the_page_and_the_api_are_messages(city, client):
    client.login(username="vanphong.tp", password=PASSWORD)
    for start, end in [("9999-12-31T23:00", "9999-12-31T23:59"), ("0001-01-01T00:00", "0001-01-01T01:00"),
                       ("9999-12-31T23:00-12:00", "9999-12-31T23:30-12:00")]:
        response = client.post("/hop-truc-tuyen/tao/", {"host": city.top.pk, "title": "X", "start": start,
                                                        "end": end, "participants": [city.ninhkieu.pk]})
        assert response.status_code == 422 and "thời gian bắt đầu hợp lệ" in response.content.decode()
        api = client.post("/api/v1/meetings", {"host_code": city.top.code, "title": "X", "start": start,
                                               "end": end, "participant_codes": [city.ninhkieu.code]},
                          content_type="application/json")
        assert api.status_code == 422 and api.json()["code"] == "start_invalid", api.content
    meeting = actions.create_meeting(acting_user=city.organiser, host=city.top, title="Giao ban", start=soon()[0],
                                     end=soon()[1], all_communes=True)
    moved = client.post(f"/hop-truc-tuyen/{meeting.pk}/reschedule/", {"start": "9999-12-31T23:00",
                                                                     "end": "9999-12-31T23:30"}, follow=True)
    assert moved.status_code == 200 and "thời gian bắt đầu hợp lệ" in moved.content.decode()
    for since in ("0001-01-01", "9999-12-31"):
        assert client.get("/api/v1/meetings", {"since": since}).status_code == 200
    assert not Meeting.objects.exclude(pk=meeting.pk).exists()
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_ids_too_large_for_the_database_are_not_found(city, client):
    client.login(username="vanthu.ninhkieu", password=PASSWORD)
    huge = "9" * 30
    assert client.get(f"/hop-truc-tuyen/{huge}/").status_code == 404
    assert client.get(f"/hop-truc-tuyen/{huge}/lich.ics").status_code == 404
    assert client.post(f"/hop-truc-tuyen/{huge}/diem-danh/{huge}/", {"attendance": "connected"}).status_code == 404
    assert client.get(f"/api/v1/meetings/{huge}").status_code in (404, 422)
    for meeting_id, participant_id in ((huge, 1), (1, huge), ("817836668061533104766976", 87)):  # the fuzz's 500
        response = client.post(f"/api/v1/meetings/{meeting_id}/participants/{participant_id}/attendance",
                               {"attendance": "connected"}, content_type="application/json")
        assert response.status_code in (404, 422) and response.json()["message"]


def test_a_unit_of_another_meeting_in_the_check_in_address_is_404_and_nothing_changes(city, client):
    from tinhso.audit.models import AuditEvent

    one = actions.create_meeting(acting_user=city.organiser, host=city.top, title="Giao ban", start=soon()[0],
                                 end=soon()[1], all_communes=True)
    two = actions.create_meeting(acting_user=city.organiser, host=city.top, title="Họp khác", start=soon()[0],
                                 end=soon()[1], all_communes=True)
    other = two.participants.get(agency=city.ninhkieu)
    client.login(username="vanthu.ninhkieu", password=PASSWORD)  # staff of the unit: allowed in its own meeting
    assert client.post(f"/hop-truc-tuyen/{one.pk}/diem-danh/{other.pk}/", {"attendance": "connected"}).status_code \
        == 404
    other.refresh_from_db()
    assert other.attendance == "invited"
    assert not AuditEvent.objects.filter(action="meetings.attendance.checked").exists()
    api = client.post(f"/api/v1/meetings/{one.pk}/participants/{other.pk}/attendance", {"attendance": "connected"},
                      content_type="application/json")
    assert api.status_code == 404
    other.refresh_from_db()
    assert other.attendance == "invited"
    assert client.post(f"/hop-truc-tuyen/{two.pk}/diem-danh/{other.pk}/", {"attendance": "connected"}).status_code \
        == 302
    other.refresh_from_db()
    assert other.attendance == "connected"


def test_the_monthly_report_shows_each_user_only_the_meetings_they_may_see(city, client):
    """A meeting of the city with Ninh Kiều only is not Cái Khế's business:
    not in its report page, its Excel or its commune counts."""
    from tinhso.testing import make_staff

    shared = actions.create_meeting(acting_user=city.organiser, host=city.top, title="Giao ban toàn thành phố",
                                    start=soon()[0], end=soon()[1], all_communes=True)
    private = actions.create_meeting(acting_user=city.organiser, host=city.top, title="Họp riêng với Ninh Kiều",
                                     start=soon()[0], end=soon()[1], participant_ids=[city.ninhkieu.pk])
    actions.check_in(acting_user=city.nk_staff, participant_id=private.participants.get().pk, attendance="connected")
    month = f"{timezone.localtime(shared.start):%Y-%m}"

    def seen(username):
        client.login(username=username, password=PASSWORD)
        page = client.get("/hop-truc-tuyen/bao-cao/", {"month": month}).content.decode()
        book = load_workbook(io.BytesIO(client.get("/hop-truc-tuyen/bao-cao/", {"month": month,
                                                                                "format": "xlsx"}).content))
        titles = {r[2] for r in book["Cuoc hop"].iter_rows(min_row=3, values_only=True)}
        communes = {r[1]: r[2:] for r in book["Xa phuong"].iter_rows(min_row=2, values_only=True)}
        return page, titles, communes

    page, titles, communes = seen("vanthu.caikhe")
    assert "Giao ban toàn thành phố" in page and "Họp riêng với Ninh Kiều" not in page
    assert titles == {"Giao ban toàn thành phố"}
    assert communes["Phường Ninh Kiều"] == (1, 0)  # the private meeting is not counted either
    for username in ("vanthu.ninhkieu", "motcua.ninhkieu"):  # the committee's staff, its service centre's clerk
        page, titles, communes = seen(username)
        assert "Họp riêng với Ninh Kiều" in page and titles == {"Giao ban toàn thành phố", "Họp riêng với Ninh Kiều"}
        assert communes["Phường Ninh Kiều"] == (2, 1)
    make_staff("lanhdao.tp", roles=[("leader", city.top)], full_name="Lê Văn Thành")  # a province-level role
    for username in ("lanhdao.tp", "vanphong.tp"):
        page, titles, _communes = seen(username)
        assert titles == {"Giao ban toàn thành phố", "Họp riêng với Ninh Kiều"}


def test_titles_and_names_typed_like_formulas_stay_text_in_excel(city, client):
    import zipfile

    city.top.name = "=HYPERLINK(\"http://x.example\",\"Bấm vào\")"
    city.top.save()
    meeting = actions.create_meeting(acting_user=city.organiser, host=city.top, title="=1+1", start=soon()[0],
                                     end=soon()[1], participant_ids=[city.ninhkieu.pk])
    client.login(username="vanphong.tp", password=PASSWORD)
    data = client.get("/hop-truc-tuyen/bao-cao/", {"month": f"{timezone.localtime(meeting.start):%Y-%m}",
                                                   "format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(data))["Cuoc hop"]
    assert sheet.cell(row=3, column=3).value == "=1+1" and sheet.cell(row=3, column=3).data_type == "s"
    assert sheet.cell(row=3, column=4).value.startswith("=HYPERLINK") and sheet.cell(row=3, column=4).data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any(b"<f>" in archive.read(name) or b"<f " in archive.read(name)
                       for name in archive.namelist() if name.startswith("xl/worksheets/"))
