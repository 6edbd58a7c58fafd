"""The digital-team pages: teams of the communes in one's scope, one team
(members with their contacts: staff only), the phone form to log an
activity, the Excel import and the report by commune and month."""

from __future__ import annotations

import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.models import Role
from tinhso.accounts.permissions import agencies_in_scope, has_role, units_worked_in
from tinhso.agencies.models import Agency, AgencyKind
from tinhso.core.errors import DomainError, NotFound, field_error
from tinhso.digitalteams import actions, importer, queries
from tinhso.digitalteams.models import ActivityKind, MemberRole, Team

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def staff_or_member(view):
    """Signed in and either holding a staff role or linked to a team member."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_role(request.user, Role.values) and not request.user.digital_team_memberships.filter(
                is_active=True).exists():
            raise DjangoPermissionDenied("Bạn không có quyền truy cập trang này.")
        return view(request, *args, **kwargs)
    return wrapped


def _communes(user):
    """The communes whose teams the user sees: those in the user's scope, and
    the commune the user works in (`works_in`, as the actions allow: the
    commune service centre's clerk manages the commune committee's teams)."""
    return Agency.objects.filter(Q(pk__in=agencies_in_scope(user, Role.values)) | Q(pk__in=units_worked_in(user)))


def _visible_teams(user):
    return Team.objects.filter(agency__in=_communes(user)).select_related("agency")


def _date(raw):
    try:
        return datetime.date.fromisoformat(str(raw or "").strip()[:10])
    except ValueError:
        return None


@staff_required()
def index_view(request):
    teams = _visible_teams(request.user).annotate(
        member_count=Count("members", filter=Q(members__is_active=True), distinct=True)
    ).order_by("agency__name", "name")
    communes = _communes(request.user).filter(kind=AgencyKind.COMMUNE_COMMITTEE, is_active=True)
    manageable = [a for a in communes.order_by("name") if actions.can_manage(request.user, a)]
    context = {"teams": teams[:500], "manageable": manageable, "values": request.POST,
               "can_log": actions.loggable_teams(request.user).exists()}
    if request.method == "POST":
        agency = next((a for a in manageable if str(a.pk) == request.POST.get("agency")), None)
        try:
            if agency is None:
                raise field_error("agency", _("Chọn xã, phường."), "agency_required")
            team = actions.create_team(acting_user=request.user, agency=agency, name=request.POST.get("name", ""),
                                       hamlet=request.POST.get("hamlet", ""))
        except DomainError as exc:
            context["errors"] = exc.errors or [{"message": exc.message}]
            return render(request, "digitalteams/index.html", context, status=422)
        messages.success(request, _("Đã thành lập tổ."))
        return redirect("digitalteams:team", pk=team.pk)
    return render(request, "digitalteams/index.html", context)


@staff_required()
def team_view(request, pk):
    team = _visible_teams(request.user).filter(pk=pk).first()
    if team is None:
        raise Http404(_("Không tìm thấy tổ hoặc bạn không có quyền xem."))
    can_manage = actions.can_manage(request.user, team.agency)
    context = {"team": team, "members": team.members.filter(is_active=True),
               "former": team.members.filter(is_active=False), "can_manage": can_manage,
               "activities": team.activities.select_related("member")[:50], "roles": MemberRole.choices,
               "values": request.POST}
    if request.method == "POST":
        try:
            actions.add_member(acting_user=request.user, team_id=team.pk, full_name=request.POST.get("full_name", ""),
                               role=request.POST.get("role", ""), phone=request.POST.get("phone", ""),
                               email=request.POST.get("email", ""))
        except DomainError as exc:
            context["errors"] = exc.errors or [{"message": exc.message}]
            return render(request, "digitalteams/team.html", context, status=422)
        messages.success(request, _("Đã thêm thành viên."))
        return redirect("digitalteams:team", pk=team.pk)
    return render(request, "digitalteams/team.html", context)


def _change(request, pk, change, done):
    """One button of the team page: call the action, say what happened (or why not), back to the team."""
    team = _visible_teams(request.user).filter(pk=pk).first()
    if team is None:
        raise Http404(_("Không tìm thấy tổ hoặc bạn không có quyền xem."))
    try:
        change(team)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("digitalteams:team", pk=team.pk)


@require_POST
@staff_required()
def deactivate_view(request, pk):
    return _change(request, pk, lambda team: actions.deactivate_team(
        acting_user=request.user, team_id=team.pk, reason=request.POST.get("reason", "")),
        _("Đã ghi tổ ngừng hoạt động; tổ không còn được tính trong số liệu báo cáo."))


@require_POST
@staff_required()
def reactivate_view(request, pk):
    return _change(request, pk, lambda team: actions.reactivate_team(acting_user=request.user, team_id=team.pk),
                   _("Tổ đã hoạt động lại."))


def _member_of(team, member_pk):
    member = team.members.filter(pk=member_pk).first()
    if member is None:
        raise NotFound(_("Không tìm thấy thành viên tổ."))
    return member


@require_POST
@staff_required()
def member_leaves_view(request, pk, member_pk):
    return _change(request, pk, lambda team: actions.member_leaves(
        acting_user=request.user, member_id=_member_of(team, member_pk).pk, reason=request.POST.get("reason", "")),
        _("Đã ghi thành viên rời tổ."))


@require_POST
@staff_required()
def member_returns_view(request, pk, member_pk):
    return _change(request, pk, lambda team: actions.member_returns(
        acting_user=request.user, member_id=_member_of(team, member_pk).pk), _("Thành viên đã trở lại tổ."))


@staff_or_member
def log_view(request):
    teams = list(actions.loggable_teams(request.user).order_by("agency__name", "name"))
    today = timezone.localdate()
    chosen = request.POST.get("team") or request.GET.get("team") or (str(teams[0].pk) if len(teams) == 1 else "")
    team = next((t for t in teams if str(t.pk) == chosen), None)
    context = {"teams": teams, "team": team, "kinds": ActivityKind.choices, "today": today,
               "members": team.members.filter(is_active=True) if team else [],
               "values": request.POST or {"people_helped": "1", "day": today.isoformat()}}
    if request.method == "POST":
        try:
            if team is None:
                raise field_error("team", _("Chọn tổ công nghệ số."), "team_required")
            activity = actions.log_activity(
                acting_user=request.user, team_id=team.pk, kind=request.POST.get("kind", ""),
                people_helped=request.POST.get("people_helped", ""), day=_date(request.POST.get("day")),
                place=request.POST.get("place", ""), note=request.POST.get("note", ""),
                member_id=request.POST.get("member") or None)
        except DomainError as exc:
            context["errors"] = exc.errors or [{"message": exc.message}]
            return render(request, "digitalteams/log.html", context, status=422)
        messages.success(request, _("Đã ghi: %(kind)s, %(n)s người.") % {"kind": activity.get_kind_display(),
                                                                          "n": activity.people_helped})
        return redirect(f"{request.path}?team={team.pk}")
    return render(request, "digitalteams/log.html", context)


@staff_required()
def trainings_view(request):
    from tinhso.digitalteams.models import Member, Training

    scope = _communes(request.user)
    manageable = [a for a in scope.filter(kind=AgencyKind.COMMUNE_COMMITTEE, is_active=True).order_by("name")
                  if actions.can_manage(request.user, a)]
    context = {"trainings": Training.objects.filter(agency__in=scope).select_related("agency")
               .annotate(present=Count("attendees"))[:200], "manageable": manageable, "values": request.POST,
               "members": Member.objects.filter(team__agency__in=manageable, is_active=True)
               .select_related("team").order_by("team__name", "full_name"),
               "chosen": request.POST.getlist("members")}
    if request.method == "POST":
        agency = next((a for a in manageable if str(a.pk) == request.POST.get("agency")), None)
        try:
            if agency is None:
                raise field_error("agency", _("Chọn xã, phường."), "agency_required")
            actions.record_training(acting_user=request.user, agency=agency, held_on=_date(request.POST.get("held_on")),
                                    topic=request.POST.get("topic", ""), organiser=request.POST.get("organiser", ""),
                                    member_ids=request.POST.getlist("members"))
        except DomainError as exc:
            context["errors"] = exc.errors or [{"message": exc.message}]
            return render(request, "digitalteams/trainings.html", context, status=422)
        messages.success(request, _("Đã ghi lớp tập huấn."))
        return redirect("digitalteams:trainings")
    return render(request, "digitalteams/trainings.html", context)


@staff_required()
def import_view(request):
    if request.GET.get("mau"):
        response = HttpResponse(importer.template_xlsx(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="mau-to-cong-nghe-so.xlsx"'
        return response
    context = {}
    if request.method == "POST":
        try:
            if not request.FILES.get("file"):
                raise field_error("file", _("Chọn tệp Excel."), "file_required")
            context["result"] = importer.import_members(acting_user=request.user, upload=request.FILES["file"])
        except DomainError as exc:
            context["errors"] = exc.errors or [{"message": exc.message}]
            return render(request, "digitalteams/import.html", context, status=422)
    return render(request, "digitalteams/import.html", context)


@staff_required()
def report_view(request):
    try:
        months = min(24, max(1, int(request.GET.get("thang") or 6)))
    except ValueError:
        months = 6
    data = queries.report(months)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(queries.report_xlsx(data), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="to-cong-nghe-so.xlsx"'
        return response
    return render(request, "digitalteams/report.html", {"data": data, "chart": queries.chart(data),
                                                        "months": months})
