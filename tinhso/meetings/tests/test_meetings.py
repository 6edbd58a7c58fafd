"""Scheduling a meeting sends each unit's people an invitation with a
calendar entry; changes bump its version, cancelling sends METHOD:CANCEL;
attendance is checked in by the unit's own staff only."""

from __future__ import annotations

import datetime
import re

import jwt
import pytest
from django.core import mail
from icalendar import Calendar

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.meetings import actions, invitations, queries
from tinhso.meetings.models import Meeting, Participant
from tinhso.meetings.tests.conftest import soon

pytestmark = pytest.mark.django_db


def _schedule(city, **kw):
    start, end = soon()
    values = {"host": city.top, "title": "Giao ban trực tuyến tháng 12", "agenda": "Tình hình kinh tế - xã hội",
              "start": start, "end": end, "all_communes": True}
    values.update(kw)
    return actions.create_meeting(acting_user=city.organiser, **values)


def _ics(message) -> Calendar:
    (name, content, mimetype), = message.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def _event(cal):
    (event,) = cal.walk("VEVENT")
    return event


def test_all_communes_are_invited_and_each_person_gets_a_calendar_entry(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _schedule(city)
    assert {p.agency for p in meeting.participants.all()} == {city.ninhkieu, city.caikhe}
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["kim@ninhkieu.cantho.gov.vn", "ninhkieu@cantho.gov.vn"]  # Cái Khế has no address on file
    message = next(m for m in mail.outbox if m.to == ["kim@ninhkieu.cantho.gov.vn"])
    assert "Giấy mời họp trực tuyến" in message.subject and meeting.video_room in message.body
    cal = _ics(message)
    assert str(cal["METHOD"]) == "REQUEST"
    event = _event(cal)
    assert str(event["UID"]) == meeting.uid
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == meeting.start and event.decoded("DTEND") == meeting.end
    assert event["DTSTART"].params.get("TZID") == "Asia/Ho_Chi_Minh"
    assert cal.walk("VTIMEZONE"), "the TZID is defined in the file"
    assert str(event["LOCATION"]).startswith(f"https://meet.jit.si/{meeting.video_room}")
    assert str(event["ORGANIZER"]) == "mailto:ubnd@cantho.gov.vn"
    assert str(event["ATTENDEE"]) == "mailto:kim@ninhkieu.cantho.gov.vn"
    assert str(event["SUMMARY"]) == "Giao ban trực tuyến tháng 12"
    assert meeting.invitations.filter(sent_at__isnull=False).count() == 2
    assert AuditEvent.objects.filter(action="meetings.meeting.created", object_id=str(meeting.pk)).exists()


def test_room_names_cannot_be_guessed(city):
    one, two = _schedule(city), _schedule(city, title="Họp thứ hai")
    for meeting in (one, two):
        assert re.fullmatch(r"tinhso-[a-z2-7]{24}", meeting.video_room)
    assert one.video_room != two.video_room and one.uid != two.uid


def test_each_participant_gets_a_signed_room_token_when_the_server_checks_tokens(city, settings):
    settings.TINHSO_JITSI_URL = "https://hop.cantho.gov.vn"
    settings.TINHSO_JITSI_APP_ID = "tinhso-cantho"
    settings.TINHSO_JITSI_SECRET = "bi-mat-rat-dai-cua-may-chu-jitsi-tinh-0123456789"
    meeting = _schedule(city)
    link = invitations.personal_link(meeting, city.ninhkieu, city.nk_staff)
    assert link.startswith(f"https://hop.cantho.gov.vn/{meeting.video_room}?jwt=")
    claims = jwt.decode(link.split("jwt=", 1)[1], settings.TINHSO_JITSI_SECRET, algorithms=["HS256"],
                        audience="jitsi", issuer="tinhso-cantho")
    assert claims["sub"] == "hop.cantho.gov.vn" and claims["room"] == meeting.video_room
    assert claims["exp"] > meeting.end.timestamp() and claims["nbf"] < meeting.start.timestamp()
    assert claims["context"]["user"] == {"id": f"user-{city.nk_staff.pk}", "name": "Trương Thị Kim",
                                         "email": "kim@ninhkieu.cantho.gov.vn", "moderator": False}
    host_claims = jwt.decode(invitations.personal_link(meeting, city.top, city.organiser).split("jwt=")[1],
                             settings.TINHSO_JITSI_SECRET, algorithms=["HS256"], audience="jitsi")
    assert host_claims["context"]["user"]["moderator"] is True
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(link.split("jwt=", 1)[1], "khoa-sai" * 5, algorithms=["HS256"], audience="jitsi")


def test_without_app_id_the_link_is_the_bare_room(city, settings):
    settings.TINHSO_JITSI_APP_ID = ""
    meeting = _schedule(city)
    assert invitations.personal_link(meeting, city.ninhkieu, city.nk_staff) == \
        f"https://meet.jit.si/{meeting.video_room}"


def test_a_change_bumps_the_sequence_and_a_cancellation_sends_method_cancel(city, django_capture_on_commit_callbacks):
    meeting = _schedule(city)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.reschedule(acting_user=city.organiser, pk=meeting.pk, start=meeting.start + datetime.timedelta(hours=1),
                           end=meeting.end + datetime.timedelta(hours=1))
    event = _event(_ics(mail.outbox[0]))
    assert str(event["UID"]) == meeting.uid and int(event["SEQUENCE"]) == 1
    assert "Thay đổi lịch họp" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel(acting_user=city.organiser, pk=meeting.pk, reason="Trùng lịch tiếp dân")
    cal = _ics(mail.outbox[0])
    event = _event(cal)
    assert str(cal["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == meeting.uid and int(event["SEQUENCE"]) == 2
    assert "Trùng lịch tiếp dân" in mail.outbox[0].body
    with pytest.raises(InvalidInput):
        actions.cancel(acting_user=city.organiser, pk=meeting.pk, reason="lần nữa")


def test_only_organisers_of_the_host_schedule(city):
    with pytest.raises(PermissionDenied):
        actions.create_meeting(acting_user=city.nk_specialist, host=city.top, title="X", start=soon()[0],
                               end=soon()[1], all_communes=True)
    with pytest.raises(PermissionDenied):  # a clerk is not an organiser
        actions.create_meeting(acting_user=city.nk_clerk, host=city.ninhkieu, title="X", start=soon()[0],
                               end=soon()[1], participant_ids=[city.caikhe.pk])
    meeting = _schedule(city)
    with pytest.raises(PermissionDenied):
        actions.cancel(acting_user=city.ck_staff, pk=meeting.pk, reason="không phải chủ trì")
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize("change, code", [
    ({"title": "  "}, "title_required"),
    ({"participant_ids": [], "all_communes": False}, "participants_required"),
    ({"participant_ids": ["999999"], "all_communes": False}, "unknown_agency"),
    ({"participant_ids": ["abc"], "all_communes": False}, "participants_invalid"),
    ({"start": None}, "start_invalid"),
    ({"end": "2026-12-01"}, "end_invalid"),
    ({"document_ids": [123456]}, "unknown_document"),
    ({"room_id": "77777"}, "unknown_room"),
])
def test_bad_input_is_refused_and_nothing_is_saved(city, change, code):
    with pytest.raises(InvalidInput) as err:
        _schedule(city, **change)
    assert err.value.code == code and err.value.message
    assert not Meeting.objects.exists() and not Participant.objects.exists() and not mail.outbox


def test_times_must_make_sense(city):
    start, end = soon()
    with pytest.raises(InvalidInput, match="sau thời gian bắt đầu"):
        _schedule(city, start=end, end=start)
    with pytest.raises(InvalidInput, match="đã qua"):
        _schedule(city, start=start - datetime.timedelta(days=1), end=end - datetime.timedelta(days=1))
    with pytest.raises(InvalidInput, match="24 giờ"):
        _schedule(city, end=start + datetime.timedelta(hours=30))


def test_attendance_is_checked_in_by_the_units_own_staff_only(city):
    meeting = _schedule(city)
    row = meeting.participants.get(agency=city.ninhkieu)
    for outsider in (city.ck_staff, city.organiser):  # another commune; the city above it
        with pytest.raises(PermissionDenied):
            actions.check_in(acting_user=outsider, participant_id=row.pk, attendance="connected")
    row.refresh_from_db()
    assert row.attendance == "invited"
    actions.check_in(acting_user=city.nk_clerk, participant_id=row.pk, attendance="connected")  # its service centre
    row.refresh_from_db()
    assert row.attendance == "connected" and row.checked_by == city.nk_clerk
    with pytest.raises(InvalidInput):
        actions.check_in(acting_user=city.nk_staff, participant_id=row.pk, attendance="maybe")
    assert AuditEvent.objects.filter(action="meetings.attendance.checked").count() == 1


def test_check_in_opens_shortly_before_the_start(city):
    start = soon(minutes=24 * 60)[0]
    meeting = _schedule(city, start=start, end=start + datetime.timedelta(hours=1))
    row = meeting.participants.get(agency=city.ninhkieu)
    with pytest.raises(InvalidInput, match="Chưa đến giờ"):
        actions.check_in(acting_user=city.nk_staff, participant_id=row.pk, attendance="connected")


def test_meetings_for_gives_a_units_meetings_for_its_schedule(city):
    meeting = _schedule(city)
    day = meeting.start.replace(hour=0, minute=0)
    window = (meeting.start - datetime.timedelta(hours=1), meeting.end + datetime.timedelta(hours=1))
    assert list(queries.meetings_for(city.ninhkieu, *window)) == [meeting]
    assert list(queries.meetings_for(city.top, *window)) == [meeting]
    assert list(queries.meetings_for(city.ninhkieu, day - datetime.timedelta(days=3),
                                     day - datetime.timedelta(days=2))) == []
    actions.cancel(acting_user=city.organiser, pk=meeting.pk, reason="Hoãn")
    assert list(queries.meetings_for(city.ninhkieu, *window)) == []


def test_programme_figure_is_the_share_of_communes_connected_recently(city):
    from tinhso.dashboard import programme

    assert queries.connected_share()[:2] == (0, 2)
    meeting = _schedule(city)
    actions.check_in(acting_user=city.nk_staff, participant_id=meeting.participants.get(agency=city.ninhkieu).pk,
                     attendance="connected")
    assert queries.connected_share(now=meeting.end) == (1, 2, __import__("decimal").Decimal("50.0"))
    assert queries.programme_figures in programme._PROVIDERS  # registered by the app
    (figure,) = queries.programme_figures()
    assert (figure.key, figure.unit) == ("meeting_communes", "%")
    later = meeting.end + datetime.timedelta(days=91)
    assert queries.connected_share(now=later)[0] == 0  # older than the window (dated rule, 90 days)


def test_documents_the_organiser_may_see_are_attached_secret_ones_are_not(city):
    from tinhso.officialdocs.models import DocumentType, OfficialDocument

    kind = DocumentType.objects.get_or_create(name="Kế hoạch", defaults={"abbreviation": "KH"})[0]
    plan = OfficialDocument.objects.create(direction="out", agency=city.top, doc_type=kind, status="issued",
                                           summary="Kế hoạch chuyển đổi số năm 2027")
    secret = OfficialDocument.objects.create(direction="out", agency=city.top, doc_type=kind, status="issued",
                                             summary="Phương án bảo vệ", secrecy="secret")
    meeting = _schedule(city, document_ids=[plan.pk])
    assert list(meeting.documents.all()) == [plan]
    with pytest.raises(InvalidInput):
        _schedule(city, document_ids=[secret.pk])


def test_a_committee_above_the_communes_is_checked_in_and_mailed_by_its_own_staff_only(
        city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _schedule(city, host=city.top, participant_ids=[city.top.pk], all_communes=False)
    assert sorted(m.to[0] for m in mail.outbox) == ["ha@cantho.gov.vn", "ubnd@cantho.gov.vn"]  # no commune staff
    row = meeting.participants.get(agency=city.top)
    with pytest.raises(PermissionDenied):  # commune staff are below the city but not its own staff
        actions.check_in(acting_user=city.nk_staff, participant_id=row.pk, attendance="connected")
    actions.check_in(acting_user=city.organiser, participant_id=row.pk, attendance="connected")
