"""Every change to meeting rooms, meetings and attendance (one function per
transition: permission, change, audit row; invitations sent after commit)."""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role, require_role, works_in
from tinhso.agencies.models import Agency, AgencyKind
from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput, NotFound, PermissionDenied, field_error
from tinhso.meetings.models import Attendance, Meeting, MeetingRoom, MeetingStatus, Participant

ORGANISER_ROLES = (Role.LEADER, Role.HEAD_OF_DIVISION, Role.SPECIALIST, Role.CLERICAL_OFFICE)
ROOM_ROLES = ORGANISER_ROLES + (Role.SYSTEM_ADMIN,)
MAX_HOURS = 24
MAX_DAYS_AHEAD = 730


def _text(value, field: str, label: str, limit: int, required: bool = True) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not text:
        raise InvalidInput(_("Nhập %(label)s.") % {"label": label}, code=f"{field}_required",
                           errors=[{"field": field, "message": _("Nhập %(label)s.") % {"label": label}}])
    if len(text) > limit:
        message = _("%(label)s dài quá %(limit)s ký tự.") % {"label": label.capitalize(), "limit": limit}
        raise InvalidInput(message, code=f"{field}_too_long", errors=[{"field": field, "message": message}])
    return text


@transaction.atomic
def save_room(*, acting_user, agency: Agency, name: str, address: str = "", equipment: str = "",
              contact_name: str = "", contact_phone: str = "", pk: int | None = None,
              is_active: bool = True) -> MeetingRoom:
    """Create (no `pk`) or change an agency's meeting room."""
    require_role(acting_user, ROOM_ROLES, agency)
    values = {"name": _text(name, "name", _("tên điểm cầu"), 200),
              "address": _text(address, "address", _("địa điểm"), 300, required=False),
              "equipment": _text(equipment, "equipment", _("thiết bị"), 2000, required=False),
              "contact_name": _text(contact_name, "contact_name", _("người phụ trách"), 200, required=False),
              "contact_phone": _text(contact_phone, "contact_phone", _("điện thoại"), 30, required=False),
              "is_active": bool(is_active)}
    if pk is not None:
        room = MeetingRoom.objects.select_for_update().filter(pk=pk, agency=agency).first()
        if room is None:
            raise NotFound(_("Không tìm thấy điểm cầu."))
    else:
        room = MeetingRoom(agency=agency)
    if MeetingRoom.objects.filter(agency=agency, name=values["name"]).exclude(pk=room.pk).exists():
        raise field_error("name", _("Đơn vị đã có điểm cầu tên này."), "room_exists")
    changes = {k: [getattr(room, k), v] for k, v in values.items() if getattr(room, k) != v}
    for key, value in values.items():
        setattr(room, key, value)
    room.save()
    record(actor=acting_user, action="meetings.room.created" if pk is None else "meetings.room.changed",
           obj=room, changes=changes)
    return room


def _times(start, end) -> tuple[datetime.datetime, datetime.datetime]:
    if not isinstance(start, datetime.datetime):
        raise field_error("start", _("Nhập thời gian bắt đầu hợp lệ."), "start_invalid")
    if not isinstance(end, datetime.datetime):
        raise field_error("end", _("Nhập thời gian kết thúc hợp lệ."), "end_invalid")
    from tinhso.meetings.forms import FIRST_YEAR, LAST_YEAR

    for field, value in (("start", start), ("end", end)):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:  # near year 1 or 9999 a zone offset overflows
            raise field_error(field, _("Thời gian họp phải trong khoảng từ năm %(first)s đến năm %(last)s.")
                              % {"first": FIRST_YEAR, "last": LAST_YEAR}, f"{field}_invalid")
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    if timezone.is_naive(end):
        end = timezone.make_aware(end)
    if end <= start:
        raise field_error("end", _("Thời gian kết thúc phải sau thời gian bắt đầu."), "end_before_start")
    if end - start > datetime.timedelta(hours=MAX_HOURS):
        raise field_error("end", _("Một cuộc họp không kéo dài quá %(hours)s giờ.") % {"hours": MAX_HOURS}, "too_long")
    return start, end


def _ids(values, field: str) -> list[int]:
    out = []
    for value in values or ():
        if isinstance(value, bool) or not str(value).strip().isdigit() or len(str(value).strip()) > 12:
            raise field_error(field, _("Lựa chọn không hợp lệ."), f"{field}_invalid")
        out.append(int(str(value).strip()))
    return out


def _participants(participant_ids, all_communes: bool) -> list[Agency]:
    ids = set(_ids(participant_ids, "participants"))
    found = {a.pk: a for a in Agency.objects.filter(pk__in=ids, is_active=True)}
    if ids - set(found):
        raise field_error("participants", _("Có đơn vị tham dự không tồn tại hoặc đã ngừng hoạt động."), "unknown_agency")
    if all_communes:
        for agency in Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE, is_active=True):
            found.setdefault(agency.pk, agency)
    if not found:
        raise field_error("participants", _("Chọn ít nhất một đơn vị tham dự."), "participants_required")
    return sorted(found.values(), key=lambda a: a.path)


def _documents(acting_user, document_ids):
    from tinhso.officialdocs.models import Secrecy
    from tinhso.officialdocs.queries import visible

    ids = set(_ids(document_ids, "documents"))
    # Only documents that are not secret: every invited unit sees the meeting's list.
    docs = list(visible(acting_user).filter(pk__in=ids, secrecy=Secrecy.NONE)) if ids else []
    if len(docs) != len(ids):
        raise field_error("documents", _("Có tài liệu không tồn tại hoặc bạn không có quyền xem."), "unknown_document")
    return docs


def _room(room_id, agency: Agency | None = None):
    if room_id in (None, ""):
        return None
    (pk,) = _ids([room_id], "room")
    room = MeetingRoom.objects.filter(pk=pk, is_active=True).select_related("agency").first()
    if room is None or (agency is not None and not room.agency.path.startswith(agency.path)):
        raise field_error("room", _("Điểm cầu không hợp lệ."), "unknown_room")
    return room


@transaction.atomic
def create_meeting(*, acting_user, host: Agency, title: str, start, end, agenda: str = "",
                   participant_ids=(), all_communes: bool = False, room_id=None, document_ids=()) -> Meeting:
    """Schedule a meeting hosted by `host`, invite the units and send each of
    their people the invitation with its calendar entry (after commit)."""
    require_role(acting_user, ORGANISER_ROLES, host)
    title = _text(title, "title", _("tên cuộc họp"), 300)
    agenda = _text(agenda, "agenda", _("nội dung"), 5000, required=False)
    start, end = _times(start, end)
    if start < timezone.now() - datetime.timedelta(minutes=5):
        raise field_error("start", _("Thời gian bắt đầu đã qua."), "start_in_past")
    if start > timezone.now() + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise field_error("start", _("Chỉ lên lịch họp trong vòng %(days)s ngày tới.") % {"days": MAX_DAYS_AHEAD},
                   "start_too_far")
    agencies = _participants(participant_ids, all_communes)
    room = _room(room_id, host)
    docs = _documents(acting_user, document_ids)
    from tinhso.meetings.video import new_room_name

    meeting = Meeting.objects.create(host=host, title=title, agenda=agenda, start=start, end=end, room=room,
                                     video_room=new_room_name(), uid=f"{uuid.uuid4()}@tinhso",
                                     created_by=acting_user if getattr(acting_user, "pk", None) else None)
    meeting.documents.set(docs)
    rooms = {}
    for r in MeetingRoom.objects.filter(agency__in=agencies, is_active=True).order_by("id"):
        rooms.setdefault(r.agency_id, r)
    Participant.objects.bulk_create([Participant(meeting=meeting, agency=a, room=rooms.get(a.pk)) for a in agencies])
    record(actor=acting_user, action="meetings.meeting.created", obj=meeting,
           changes={"start": str(start), "end": str(end), "participants": [a.code for a in agencies]})
    _send(meeting, "REQUEST")
    return meeting


def _meeting_for_change(acting_user, pk) -> Meeting:
    meeting = Meeting.objects.select_for_update().filter(pk=pk).first()
    if meeting is None:
        raise NotFound(_("Không tìm thấy cuộc họp."))
    meeting = Meeting.objects.select_related("host").get(pk=meeting.pk)
    require_role(acting_user, ORGANISER_ROLES, meeting.host)
    if meeting.is_cancelled:
        raise InvalidInput(_("Cuộc họp đã bị hủy."), code="meeting_cancelled")
    return meeting


@transaction.atomic
def reschedule(*, acting_user, pk: int, start, end, title: str | None = None, agenda: str | None = None) -> Meeting:
    """Change the time (and title, agenda) of a meeting: its version goes up
    and every unit gets the updated calendar entry."""
    meeting = _meeting_for_change(acting_user, pk)
    start, end = _times(start, end)
    if not timezone.now() - datetime.timedelta(minutes=5) <= start <= timezone.now() + datetime.timedelta(
            days=MAX_DAYS_AHEAD):
        raise field_error("start", _("Thời gian bắt đầu phải từ bây giờ đến %(days)s ngày tới.") % {"days": MAX_DAYS_AHEAD},
                   "start_out_of_range")
    values = {"start": start, "end": end}
    if title is not None:
        values["title"] = _text(title, "title", _("tên cuộc họp"), 300)
    if agenda is not None:
        values["agenda"] = _text(agenda, "agenda", _("nội dung"), 5000, required=False)
    changes = {k: [str(getattr(meeting, k)), str(v)] for k, v in values.items() if getattr(meeting, k) != v}
    if not changes:
        return meeting
    for key, value in values.items():
        setattr(meeting, key, value)
    meeting.sequence += 1
    meeting.save()
    record(actor=acting_user, action="meetings.meeting.changed", obj=meeting, changes=changes)
    _send(meeting, "REQUEST")
    return meeting


@transaction.atomic
def cancel(*, acting_user, pk: int, reason: str) -> Meeting:
    """Cancel a meeting: every unit gets the cancellation (METHOD:CANCEL)."""
    meeting = _meeting_for_change(acting_user, pk)
    reason = _text(reason, "reason", _("lý do hủy"), 500)
    meeting.status, meeting.cancel_reason = MeetingStatus.CANCELLED, reason
    meeting.sequence += 1
    meeting.save()
    record(actor=acting_user, action="meetings.meeting.cancelled", obj=meeting, note=reason)
    _send(meeting, "CANCEL")
    return meeting


@transaction.atomic
def check_in(*, acting_user, participant_id: int, attendance: str, note: str = "",
             meeting_id: int | None = None) -> Participant:
    """A unit's own staff say whether it connected to the meeting (only staff
    holding a role in that unit or below it, not the levels above). With
    `meeting_id` (the page's and the API's address) the unit must be one of
    that meeting's, else NotFound."""
    from tinhso.meetings.policies import checkin_opens_minutes

    (pk,) = _ids([participant_id], "participant")
    rows = Participant.objects.select_for_update().filter(pk=pk)
    if meeting_id is not None:
        (meeting_pk,) = _ids([meeting_id], "meeting")
        rows = rows.filter(meeting_id=meeting_pk)
    row = rows.first()
    if row is None:
        raise NotFound(_("Không tìm thấy đơn vị tham dự."))
    row = Participant.objects.select_related("meeting", "agency").get(pk=row.pk)
    if not works_in(acting_user, row.agency):
        raise PermissionDenied(_("Chỉ cán bộ của %(unit)s được điểm danh cho đơn vị mình.") % {"unit": row.agency.name},
                               code="not_unit_staff")
    if attendance not in (Attendance.CONNECTED, Attendance.ABSENT):
        raise field_error("attendance", _("Chọn “Đã kết nối” hoặc “Vắng”."), "attendance_invalid")
    if row.meeting.is_cancelled:
        raise InvalidInput(_("Cuộc họp đã bị hủy."), code="meeting_cancelled")
    if timezone.now() < row.meeting.start - datetime.timedelta(minutes=checkin_opens_minutes()):
        raise InvalidInput(_("Chưa đến giờ điểm danh của cuộc họp."), code="too_early")
    note = _text(note, "note", _("ghi chú"), 300, required=False)
    old = row.attendance
    row.attendance, row.note = attendance, note
    row.checked_by, row.checked_at = acting_user, timezone.now()
    row.save(update_fields=["attendance", "note", "checked_by", "checked_at"])
    record(actor=acting_user, action="meetings.attendance.checked", obj=row.meeting,
           changes={"agency": row.agency.code, "attendance": [old, attendance]}, note=note)
    return row


def _send(meeting: Meeting, method: str) -> None:
    """Invitation rows for this version, e-mailed by a task after commit; and
    after commit an in-app notification to every one of the invited units'
    own staff (what staff have for a push; not e-mailed again, the invitation
    is the e-mail)."""
    from tinhso.meetings import invitations
    from tinhso.notifications.actions import notify

    staff = invitations.own_staff(meeting)
    ids = invitations.plan(meeting, method, staff)
    if ids:
        from tinhso.meetings.tasks import send_invitations

        transaction.on_commit(lambda: send_invitations(ids))
    users = [user for _agency, user in staff]
    if users:
        notice = invitations.notice(meeting)
        transaction.on_commit(lambda: notify(users, email=False, **notice))


def is_organiser(user, meeting) -> bool:
    return has_role(user, ORGANISER_ROLES, meeting.host)
