"""/api/v1/meetings: the meetings a staff member may see, scheduling one,
and a unit's attendance, with the same actions as the pages."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from ninja import Field, Query, Router, Schema
from django.utils.translation import gettext as _
from ninja.security import django_auth

from tinhso.agencies.models import Agency
from tinhso.core.api import ErrorOut
from tinhso.core.errors import NotFound, field_error
from tinhso.meetings import actions, invitations, queries
from tinhso.meetings.models import Attendance

router = Router(tags=["Họp trực tuyến"], auth=django_auth)
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ParticipantOut(Schema):
    id: int
    agency_code: str
    agency_name: str
    attendance: str
    checked_at: datetime.datetime | None


class MeetingOut(Schema):
    id: int
    title: str
    host_code: str
    start: datetime.datetime
    end: datetime.datetime
    status: str
    sequence: int
    invited: int
    connected: int


class MeetingDetail(MeetingOut):
    agenda: str
    join_url: str
    participants: list[ParticipantOut]


class MeetingQuery(Schema):
    since: datetime.date | None = Field(None, description="Từ ngày (bắt đầu cuộc họp)")
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(50, ge=1, le=200)


class MeetingIn(Schema):
    host_code: str = Field(..., max_length=40)
    title: str = Field(..., max_length=300)
    agenda: str = Field("", max_length=5000)
    start: datetime.datetime
    end: datetime.datetime
    participant_codes: list[str] = Field(default_factory=list, max_length=5000)
    all_communes: bool = False


class AttendanceIn(Schema):
    attendance: str = Field(..., description="connected hoặc absent", max_length=20)
    note: str = Field("", max_length=300)


def _row(m) -> dict:
    return {"id": m.pk, "title": m.title, "host_code": m.host.code, "start": m.start, "end": m.end,
            "status": m.status, "sequence": m.sequence, "invited": m.invited, "connected": m.connected}


def _annotated(qs):
    return qs.select_related("host").annotate(
        invited=Count("participants", distinct=True),
        connected=Count("participants", filter=Q(participants__attendance=Attendance.CONNECTED), distinct=True))


@router.get("", response={200: list[MeetingOut], **ERRORS}, summary="Các cuộc họp tôi được xem")
def list_meetings(request, filters: Query[MeetingQuery]):
    from tinhso.meetings.models import Meeting

    qs = _annotated(Meeting.objects.filter(pk__in=queries.visible(request.user).values("pk")))
    if filters.since:
        qs = qs.filter(start__date__gte=filters.since)
    return [_row(m) for m in qs.order_by("-start", "-id")[filters.offset:filters.offset + filters.limit]]


def _detail(request, meeting_id: int) -> dict:
    from tinhso.meetings.models import Meeting

    meeting = _annotated(Meeting.objects.filter(pk__in=queries.visible(request.user).values("pk"),
                                                pk=meeting_id)).first()
    if meeting is None:
        raise NotFound(_("Không tìm thấy cuộc họp hoặc bạn không có quyền xem."))
    out = _row(meeting)
    out.update(agenda=meeting.agenda, join_url=invitations.personal_link(meeting, meeting.host, request.user),
               participants=[{"id": p.pk, "agency_code": p.agency.code, "agency_name": p.agency.name,
                              "attendance": p.attendance, "checked_at": p.checked_at}
                             for p in meeting.participants.select_related("agency")])
    return out


@router.get("/{meeting_id}", response={200: MeetingDetail, **ERRORS}, summary="Một cuộc họp")
def get_meeting(request, meeting_id: int):
    return _detail(request, meeting_id)


@router.post("", response={201: MeetingDetail, **ERRORS}, summary="Tạo cuộc họp và gửi giấy mời")
def create_meeting(request, payload: MeetingIn):
    host = Agency.objects.filter(code=payload.host_code, is_active=True).first()
    if host is None:
        raise NotFound(_("Không tìm thấy cơ quan chủ trì."))
    codes = set(payload.participant_codes)
    ids = list(Agency.objects.filter(code__in=codes).values_list("pk", flat=True))
    if len(ids) != len(codes):
        raise field_error("participant_codes", _("Có mã đơn vị tham dự không tồn tại."), "unknown_agency")
    meeting = actions.create_meeting(acting_user=request.user, host=host, title=payload.title, agenda=payload.agenda,
                                     start=payload.start, end=payload.end, participant_ids=ids,
                                     all_communes=payload.all_communes)
    return 201, _detail(request, meeting.pk)


@router.post("/{meeting_id}/participants/{participant_id}/attendance", response={200: ParticipantOut, **ERRORS},
             summary="Điểm danh đơn vị", description="Chỉ cán bộ của chính đơn vị đó.")
def check_in(request, meeting_id: int, participant_id: int, payload: AttendanceIn):
    # the action checks both ids (an id too long for the database is a clear 422, not a 500) and that the unit
    # is one of this meeting's (404 otherwise)
    row = actions.check_in(acting_user=request.user, participant_id=participant_id, attendance=payload.attendance,
                           note=payload.note, meeting_id=meeting_id)
    return {"id": row.pk, "agency_code": row.agency.code, "agency_name": row.agency.name,
            "attendance": row.attendance, "checked_at": row.checked_at}
