"""Scheduling a meeting sends each unit's people an invitation with a
calendar entry; changes bump its version, cancelling sends METHOD:CANCEL;
attendance is checked in by the unit's own staff only."""

from __future__ import annotations

import datetime
import re

import jwt
import pytest
import vobject
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


def _vobject(message):
    """The .ics read again by vobject, an iCalendar parser other than the
    `icalendar` library that wrote it: (calendar, its one VEVENT)."""
    (_name, content, _mimetype), = message.attachments
    cal = vobject.readOne(content.decode() if isinstance(content, bytes) else content)
    (event,) = cal.vevent_list
    return cal, event


def _utc(value):
    assert value.tzinfo is not None and value.utcoffset() is not None, "a floating time has no zone"
    return value.astimezone(datetime.timezone.utc)


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
    # The same file through vobject, a parser we did not write it with.
    vcal, vevent = _vobject(message)
    assert vcal.method.value == "REQUEST"
    assert vevent.uid.value == meeting.uid and int(vevent.sequence.value) == 0
    assert [tz.tzid.value for tz in vcal.vtimezone_list] == ["Asia/Ho_Chi_Minh"]  # the zone named and defined
    assert _utc(vevent.dtstart.value) == meeting.start and _utc(vevent.dtend.value) == meeting.end
    assert vevent.dtstart.value.utcoffset() == datetime.timedelta(hours=7)
    assert vevent.summary.value == "Giao ban trực tuyến tháng 12"
    link = vevent.url.value
    assert link.startswith(f"https://meet.jit.si/{meeting.video_room}") and vevent.location.value == link
    assert vevent.organizer.value == "mailto:ubnd@cantho.gov.vn"
    assert vevent.organizer.params["CN"] == ["Ủy ban nhân dân thành phố Cần Thơ"]
    assert [(a.value, a.params["CN"]) for a in vevent.attendee_list] == [
        ("mailto:kim@ninhkieu.cantho.gov.vn", ["Trương Thị Kim"])]
    assert vevent.status.value == "CONFIRMED"
    mailbox = next(m for m in mail.outbox if m.to == ["ninhkieu@cantho.gov.vn"])
    assert [a.value for a in _vobject(mailbox)[1].attendee_list] == ["mailto:ninhkieu@cantho.gov.vn"]
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
    vcal, vevent = _vobject(mail.outbox[0])
    assert vcal.method.value == "REQUEST" and vevent.uid.value == meeting.uid
    assert int(vevent.sequence.value) == 1 and vevent.status.value == "CONFIRMED"
    assert _utc(vevent.dtstart.value) == meeting.start + datetime.timedelta(hours=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel(acting_user=city.organiser, pk=meeting.pk, reason="Trùng lịch tiếp dân")
    cal = _ics(mail.outbox[0])
    event = _event(cal)
    assert str(cal["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == meeting.uid and int(event["SEQUENCE"]) == 2
    assert "Trùng lịch tiếp dân" in mail.outbox[0].body
    vcal, vevent = _vobject(mail.outbox[0])
    assert vcal.method.value == "CANCEL" and vevent.status.value == "CANCELLED"
    assert vevent.uid.value == meeting.uid and int(vevent.sequence.value) == 2  # 0 → 1 → 2: each replaces the last
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


def _notices(kind):
    from tinhso.notifications.models import Notification

    return {n.recipient.username: n for n in Notification.objects.filter(kind=kind).select_related("recipient")}


def test_each_invited_units_staff_get_an_in_app_notification_after_commit(city, django_capture_on_commit_callbacks):
    """The staff's "push": one notice each (with or without an e-mail address),
    on the invitation, the change and the cancellation; nothing before commit,
    and not e-mailed again (the invitation is the e-mail)."""
    from tinhso.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        meeting = _schedule(city)
    assert not Notification.objects.exists()  # a rolled-back meeting would tell no one
    for callback in callbacks:
        callback()
    invited = _notices("meetings.invited")
    # Ninh Kiều's staff (its service centre's clerk too, who has no address) and Cái Khế's; not the host's organiser.
    assert set(invited) == {"vanthu.ninhkieu", "motcua.ninhkieu", "chuyenvien.ninhkieu", "vanthu.caikhe"}
    note = invited["motcua.ninhkieu"]
    assert note.title == "Giấy mời họp trực tuyến: Giao ban trực tuyến tháng 12"
    assert note.url == f"/hop-truc-tuyen/{meeting.pk}/" and "Ủy ban nhân dân thành phố Cần Thơ" in note.body
    assert invitations.when(meeting) in note.body
    assert sorted(m.to[0] for m in mail.outbox) == ["kim@ninhkieu.cantho.gov.vn", "ninhkieu@cantho.gov.vn"]
    assert not Notification.objects.filter(emailed=True).exists()

    with django_capture_on_commit_callbacks(execute=True):
        actions.reschedule(acting_user=city.organiser, pk=meeting.pk, start=meeting.start + datetime.timedelta(hours=1),
                           end=meeting.end + datetime.timedelta(hours=1))
    changed = _notices("meetings.changed")
    assert set(changed) == set(invited) and changed["vanthu.caikhe"].title.startswith("Thay đổi lịch họp:")
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel(acting_user=city.organiser, pk=meeting.pk, reason="Trùng lịch tiếp dân")
    cancelled = _notices("meetings.cancelled")
    assert set(cancelled) == set(invited) and "Trùng lịch tiếp dân" in cancelled["chuyenvien.ninhkieu"].body
    assert Notification.objects.filter(recipient=city.organiser).count() == 0
    assert len(mail.outbox) == 6  # invitation, change, cancellation to the two addresses; no notice mails


def test_only_the_invited_units_are_notified(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _schedule(city, participant_ids=[city.caikhe.pk], all_communes=False)
    assert set(_notices("meetings.invited")) == {"vanthu.caikhe"}


def test_check_in_with_a_unit_of_another_meeting_is_not_found_and_changes_nothing(city):
    from tinhso.core.errors import NotFound

    one, two = _schedule(city), _schedule(city, title="Họp thứ hai")
    other = two.participants.get(agency=city.ninhkieu)
    with pytest.raises(NotFound):
        actions.check_in(acting_user=city.nk_staff, participant_id=other.pk, attendance="connected", meeting_id=one.pk)
    other.refresh_from_db()
    assert other.attendance == "invited"
    assert not AuditEvent.objects.filter(action="meetings.attendance.checked").exists()
    actions.check_in(acting_user=city.nk_staff, participant_id=other.pk, attendance="connected", meeting_id=two.pk)
    other.refresh_from_db()
    assert other.attendance == "connected"


@pytest.mark.parametrize("start", [
    datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-12))),
    datetime.datetime(1, 1, 1, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=14))),
    datetime.datetime(2101, 1, 1, 8, 0, tzinfo=datetime.timezone.utc),
    datetime.datetime(1999, 12, 31, 8, 0, tzinfo=datetime.timezone.utc),
])
def test_times_at_the_ends_of_the_calendar_are_refused_not_an_overflow(city, start):
    with pytest.raises(InvalidInput) as err:
        _schedule(city, start=start, end=start)
    assert err.value.code == "start_invalid" and "từ năm 2000 đến năm 2100" in err.value.message
    meeting = _schedule(city)
    with pytest.raises(InvalidInput) as err:
        actions.reschedule(acting_user=city.organiser, pk=meeting.pk, start=meeting.start, end=start)
    assert err.value.code == "end_invalid"
    assert Meeting.objects.count() == 1


def test_units_worked_in_agrees_with_works_in_for_every_agency(city):
    """The list filter ("my unit's meetings") and the per-object check
    (`works_in`, who may check a unit in) say the same for every pair."""
    from tinhso.accounts.permissions import forget_roles, units_worked_in, works_in
    from tinhso.agencies.models import Agency
    from tinhso.testing import make_agency, make_staff

    department = make_agency("000.10.00.H13", "Sở Xây dựng", parent=city.top, kind="department")
    division = make_agency("000.10.01.H13", "Phòng Quản lý xây dựng", parent=department, kind="division")
    office = make_agency("000.00.01.H13", "Văn phòng UBND thành phố", parent=city.top, kind="office")
    people = [city.organiser, city.nk_staff, city.nk_clerk, city.ck_staff, city.nk_specialist,
              make_staff("chuyenvien.sxd", roles=[("specialist", division)]),
              make_staff("vanphong.ubnd", roles=[("clerical_office", office), ("clerk", city.ninhkieu_centre)])]
    agencies = list(Agency.objects.all())
    for user in people:
        forget_roles(user)
        mine = units_worked_in(user)
        assert {a.pk for a in agencies if works_in(user, a)} == mine, user.username
    assert units_worked_in(city.nk_clerk) == {city.ninhkieu_centre.pk, city.ninhkieu.pk}
    assert units_worked_in(people[5]) == {division.pk, department.pk}
    assert units_worked_in(people[6]) == {office.pk, city.top.pk, city.ninhkieu_centre.pk, city.ninhkieu.pk}


def test_the_commune_service_centres_clerk_sees_the_communes_meetings(city):
    """Who may check the commune in may open its meeting: the clerk holds a
    role in the service centre only, below the committee that is invited."""
    meeting = _schedule(city, participant_ids=[city.ninhkieu.pk], all_communes=False)
    other = _schedule(city, title="Họp với Cái Khế", participant_ids=[city.caikhe.pk], all_communes=False)
    assert list(queries.visible(city.nk_clerk)) == [meeting]
    assert other not in queries.visible(city.nk_staff) and meeting not in queries.visible(city.ck_staff)
