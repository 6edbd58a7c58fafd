"""The meeting pages: list, schedule, one meeting (join link, invitations,
attendance, change and cancel), rooms and the monthly report."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.models import Role
from tinhso.accounts.permissions import agencies_in_scope, works_in
from tinhso.agencies.models import Agency, AgencyKind
from tinhso.core.errors import DomainError, field_error, is_pk
from tinhso.meetings import actions, ics, invitations, queries
from tinhso.meetings.forms import FIRST_YEAR, LAST_YEAR, local_datetime, month
from tinhso.meetings.models import Attendance, MeetingRoom

HOST_KINDS_EXCLUDED = (AgencyKind.DIVISION, AgencyKind.OFFICE)


def _meeting(request, pk):
    meeting = queries.visible(request.user).select_related("host", "room").filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("Không tìm thấy cuộc họp hoặc bạn không có quyền xem."))
    return meeting


def _errors(exc: DomainError) -> list[dict]:
    return exc.errors or [{"field": None, "message": exc.message}]


def _documents(user):
    """Recent official documents the user may see, to attach to a meeting."""
    from tinhso.officialdocs.models import Secrecy
    from tinhso.officialdocs.queries import visible

    return visible(user).filter(secrecy=Secrecy.NONE).order_by("-id")[:100]


@staff_required()
def index_view(request):
    qs = queries.visible(request.user).select_related("host").order_by("-start")
    now = timezone.now()
    return render(request, "meetings/index.html", {
        "upcoming": qs.filter(end__gte=now).order_by("start")[:50], "past": qs.filter(end__lt=now)[:50],
        "can_create": agencies_in_scope(request.user, actions.ORGANISER_ROLES).exists()})


@staff_required(actions.ORGANISER_ROLES)
def create_view(request):
    hosts = list(agencies_in_scope(request.user, actions.ORGANISER_ROLES).filter(is_active=True)
                 .exclude(kind__in=HOST_KINDS_EXCLUDED).order_by("path"))
    context = {"hosts": hosts, "values": request.POST, "chosen": request.POST.getlist("participants"),
               "agencies": Agency.objects.filter(is_active=True).exclude(kind__in=HOST_KINDS_EXCLUDED).order_by("path"),
               "rooms": MeetingRoom.objects.filter(agency__in=hosts, is_active=True).select_related("agency"),
               "documents": _documents(request.user), "chosen_docs": request.POST.getlist("documents")}
    if request.method == "POST":
        host = next((a for a in hosts if str(a.pk) == request.POST.get("host")), None)
        try:
            if host is None:
                raise field_error("host", _("Chọn cơ quan chủ trì."), "host_required")
            meeting = actions.create_meeting(
                acting_user=request.user, host=host, title=request.POST.get("title", ""),
                agenda=request.POST.get("agenda", ""), start=local_datetime(request.POST.get("start")),
                end=local_datetime(request.POST.get("end")), participant_ids=request.POST.getlist("participants"),
                all_communes=request.POST.get("all_communes") == "on", room_id=request.POST.get("room") or None,
                document_ids=request.POST.getlist("documents"))
        except DomainError as exc:
            context["errors"] = _errors(exc)
            return render(request, "meetings/create.html", context, status=422)
        messages.success(request, _("Đã tạo cuộc họp và gửi giấy mời đến các đơn vị."))
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/create.html", context)


@staff_required()
def detail_view(request, pk):
    meeting = _meeting(request, pk)
    user = request.user
    participants = list(meeting.participants.select_related("agency", "room", "checked_by"))
    for p in participants:
        p.mine = works_in(user, p.agency)
    organiser = actions.is_organiser(user, meeting)
    mine = next((p for p in participants if p.mine), None)
    link = invitations.personal_link(meeting, mine.agency if mine else meeting.host, user)
    return render(request, "meetings/detail.html", {
        "meeting": meeting, "participants": participants, "organiser": organiser, "join_url": link,
        "when": invitations.when(meeting), "documents": meeting.documents.all(),
        "invitations": meeting.invitations.select_related("agency").order_by("-sequence", "id")[:300] if organiser
        else [], "connected": sum(1 for p in participants if p.attendance == Attendance.CONNECTED)})


@staff_required()
def ics_view(request, pk):
    meeting = _meeting(request, pk)
    link = invitations.personal_link(meeting, meeting.host, request.user)
    body = ics.calendar(meeting, location=link, attendee_email=request.user.email,
                        attendee_name=request.user.get_full_name())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cuoc-hop-{meeting.pk}.ics"'
    return response


@require_POST
@staff_required()
def check_in_view(request, pk, participant_id):
    meeting = _meeting(request, pk)
    if not is_pk(participant_id) or not meeting.participants.filter(pk=participant_id).exists():
        raise Http404(_("Không tìm thấy đơn vị tham dự."))  # a unit of another meeting: nothing changes
    try:
        actions.check_in(acting_user=request.user, participant_id=participant_id, meeting_id=meeting.pk,
                         attendance=request.POST.get("attendance", ""), note=request.POST.get("note", ""))
        messages.success(request, _("Đã điểm danh."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("meetings:detail", pk=pk)


@require_POST
@staff_required(actions.ORGANISER_ROLES)
def change_view(request, pk, what):
    _meeting(request, pk)
    try:
        if what == "cancel":
            actions.cancel(acting_user=request.user, pk=pk, reason=request.POST.get("reason", ""))
            messages.success(request, _("Đã hủy cuộc họp và báo hủy đến các đơn vị."))
        elif what == "reschedule":
            actions.reschedule(acting_user=request.user, pk=pk, start=local_datetime(request.POST.get("start")),
                               end=local_datetime(request.POST.get("end")))
            messages.success(request, _("Đã đổi lịch họp và gửi lại giấy mời."))
        else:
            raise Http404()
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("meetings:detail", pk=pk)


@staff_required()
def rooms_view(request):
    mine = list(agencies_in_scope(request.user, actions.ROOM_ROLES).filter(is_active=True)
                .exclude(kind__in=HOST_KINDS_EXCLUDED).order_by("path"))
    context = {"agencies": mine, "values": request.POST,
               "rooms": MeetingRoom.objects.filter(agency__in=agencies_in_scope(request.user, Role.values))
               .select_related("agency")}
    if request.method == "POST":
        agency = next((a for a in mine if str(a.pk) == request.POST.get("agency")), None)
        try:
            if agency is None:
                raise field_error("agency", _("Chọn cơ quan, đơn vị."), "agency_required")
            actions.save_room(acting_user=request.user, agency=agency, name=request.POST.get("name", ""),
                              address=request.POST.get("address", ""), equipment=request.POST.get("equipment", ""),
                              contact_name=request.POST.get("contact_name", ""),
                              contact_phone=request.POST.get("contact_phone", ""))
        except DomainError as exc:
            context["errors"] = _errors(exc)
            return render(request, "meetings/rooms.html", context, status=422)
        messages.success(request, _("Đã lưu điểm cầu."))
        return redirect("meetings:rooms")
    return render(request, "meetings/rooms.html", context)


@staff_required()
def report_view(request):
    """The month's meetings the user may see (`queries.visible`, as the list),
    as a page or as Excel; a bad month is said beside the field, this
    month's report shown."""
    errors = []
    try:
        chosen = month(request.GET.get("month"))
    except DomainError as exc:
        errors, chosen = _errors(exc), month("")
    report = queries.monthly_report(chosen, user=request.user)
    if request.GET.get("format") == "xlsx" and not errors:
        response = HttpResponse(queries.report_xlsx(report), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = f'attachment; filename="hop-truc-tuyen-{chosen:%Y-%m}.xlsx"'
        return response
    connected, total, share = queries.connected_share()
    return render(request, "meetings/report.html", {
        "report": report, "month_value": f"{chosen:%Y-%m}", "errors": errors, "month_min": f"{FIRST_YEAR}-01",
        "month_max": f"{LAST_YEAR}-12", "connected": connected, "total": total, "share": share},
        status=422 if errors else 200)
