"""The operations centre's and the agencies' screens: the queue with stage
deadlines, a report's page with every action, the hotline form, the map."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.agencies.models import Agency
from tinhso.audit.actions import record
from tinhso.core.errors import DomainError, InvalidInput
from tinhso.dossiers import staging
from tinhso.fieldreports import actions, policies
from tinhso.fieldreports.actions.common import is_centre, is_handler
from tinhso.fieldreports.actions.submit import categories_in_force, communes
from tinhso.fieldreports.forms import HotlineForm, ReasonForm, ReportForm
from tinhso.core.maps import map_context
from tinhso.fieldreports.media import check_media
from tinhso.fieldreports.models import Channel, FieldReport, ReasonKind, ReportMedia, Status
from tinhso.fieldreports.people import AGENCY_ROLES, CENTRE_ROLES
from tinhso.fieldreports.actions.dispatch import ACTIONS
from tinhso.fieldreports.queries import TABS, can_see, nearby_open, staff_scope, tab_queryset

ROLES = (*CENTRE_ROLES, *AGENCY_ROLES)


def _get(request, code) -> FieldReport:
    report = (FieldReport.objects.select_related("category", "unit", "agency", "reporter", "duplicate_of", "taken_by")
              .filter(code=code).first())
    if report is None or not can_see(request.user, report):
        raise Http404(_("Không tìm thấy phản ánh hoặc bạn không có quyền xem."))
    return report


def _timeliness(reports, now):
    """The colour of each report's current stage, from the moments stored when the stage began."""
    for report in reports:
        if not (report.stage_due_at and report.is_open):
            report.timeliness = ""
        elif now > report.stage_due_at:
            report.timeliness = "overdue"
        elif report.stage_warn_at and now >= report.stage_warn_at:
            report.timeliness = "due_soon"
        else:
            report.timeliness = "on_time"
    return reports


@staff_required(ROLES)
def queue_view(request):
    now = timezone.now()
    tab = request.GET.get("tab") or ("new" if is_centre(request.user) else "agency")
    qs = tab_queryset(request.user, tab if tab in TABS else "all", now)
    category = request.GET.get("category", "")
    if category:
        qs = qs.filter(category__code=category)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    counts = {name: tab_queryset(request.user, name, now).count() for name in TABS if name not in ("all", "done")}
    return render(request, "fieldreports/staff_queue.html", {
        "page": page, "reports": _timeliness(list(page.object_list), now), "tab": tab,
        "tabs": [(name, _(label), counts.get(name)) for name, (label, _c) in TABS.items()],
        "centre": is_centre(request.user), "categories": categories_in_force(), "category": category})


@staff_required(ROLES)
def detail_view(request, code):
    report = _get(request, code)
    now = timezone.now()
    centre, handler = is_centre(request.user), is_handler(request.user, report)
    _timeliness([report], now)
    show_identity = centre or not report.anonymous
    if show_identity and (report.reporter_phone or report.reporter_id or report.reporter_email):
        with_transaction_record(request.user, report)
    nearby = []
    if centre and report.lat is not None and report.is_open:
        nearby = nearby_open(report.lat, report.lng, report.category, policies.staff_nearby_metres(now), 10,
                             public_only=False, exclude=report.pk)
    return render(request, "fieldreports/staff_detail.html", {
        "report": report, "centre": centre, "handler": handler, "show_identity": show_identity,
        "events": report.events.select_related("actor", "agency").order_by("at", "id"),
        "stages": report.stages.select_related("agency").order_by("started_at", "id"),
        "media": report.media.order_by("role", "id"), "nearby": nearby,
        "agencies": Agency.objects.filter(is_active=True).order_by("path"),
        "categories": categories_in_force(),
        "reject_form": ReasonForm(kind=ReasonKind.REJECT, prefix="reject"),
        "return_form": ReasonForm(kind=ReasonKind.RETURN, prefix="return"),
        "hide_form": ReasonForm(kind=ReasonKind.HIDE, prefix="hide"),
        "send_back_form": ReasonForm(kind=ReasonKind.SEND_BACK, prefix="send_back"), **map_context()})


def with_transaction_record(user, report) -> None:
    """Reading a reporter's identity is a personal-data access: logged."""
    record(actor=user, action="fieldreports.reporter_viewed", obj=report, personal_data=True, require_atomic=False)


DONE = {"confirm": _lazy("Đã xác nhận phản ánh."), "reject": _lazy("Đã từ chối phản ánh; người phản ánh được báo lý do."),
        "assign": _lazy("Đã chuyển cơ quan xử lý."), "transfer": _lazy("Đã chuyển sang cơ quan khác."),
        "accept": _lazy("Đã nhận xử lý."), "return": _lazy("Đã trả lại Trung tâm điều hành."),
        "start": _lazy("Đã chuyển sang đang xử lý."), "answer": _lazy("Đã gửi kết quả; chờ Trung tâm duyệt và công khai."),
        "send_back": _lazy("Đã yêu cầu xử lý lại."), "publish": _lazy("Đã công khai kết quả; người phản ánh được báo."),
        "merge": _lazy("Đã gộp vào phản ánh gốc."), "hide": _lazy("Đã ẩn khỏi trang công khai."),
        "unhide": _lazy("Đã công khai lại.")}


@require_POST
@staff_required(ROLES)
def act_view(request, code, action):
    report = _get(request, code)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404()
    try:
        handler(report.code, request.POST, request.FILES, request.user)
        messages.success(request, DONE[action])
    except DomainError as exc:
        messages.error(request, exc.message + "".join(f" {e['message']}" for e in exc.errors[1:]))
    return redirect("fieldreports:staff_detail", code=code)


@require_POST
@staff_required(CENTRE_ROLES)
def media_moderate_view(request, code, media_id):
    try:
        actions.withhold_media(acting_user=request.user, code=code, media_id=media_id,
                               withheld=request.POST.get("withheld") == "1")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("fieldreports:staff_detail", code=code)


@staff_required(ROLES)
def staff_media_view(request, code, media_id):
    """The original file (with its metadata), for staff who may see the report."""
    report = _get(request, code)
    media = ReportMedia.objects.filter(pk=media_id, report=report).first()
    if media is None:
        raise Http404()
    return FileResponse(media.file.open("rb"), content_type=media.content_type, filename=media.original_name)


@staff_required(CENTRE_ROLES)
def hotline_view(request):
    """A report taken by phone at the centre (channel "phone")."""
    categories, units = list(categories_in_force()), list(communes())
    token = request.POST.get("form_token") or uuid.uuid4().hex
    form = ReportForm(request.POST or None, categories=categories, communes=units)
    caller = HotlineForm(request.POST or None)
    context = {"form": form, "caller": caller, "token": token, **map_context()}
    if request.method == "POST":
        errors = staging.stage(request.FILES, token, request.user, ["photos"], check=lambda f, s: check_media(f, s))
        context["staged"] = staging.staged(token, request.user).get("photos", [])
        context["upload_errors"] = errors.get("photos", [])
        form.is_valid()
        if not context["upload_errors"]:
            post = request.POST
            try:
                report = actions.submit_report(
                    acting_user=request.user, category_code=post.get("category", ""),
                    description=post.get("description", ""), unit_id=post.get("unit"), lat=post.get("lat") or None,
                    lng=post.get("lng") or None, address=post.get("address", ""), channel=Channel.PHONE,
                    files=staging.as_uploads(context["staged"]), hide_location=bool(post.get("hide_location")),
                    anonymous=bool(post.get("anonymous")), reporter_name=post.get("reporter_name", ""),
                    reporter_phone=post.get("reporter_phone", ""), submit_key=f"hotline:{token}")
            except InvalidInput as exc:
                context["error"], context["errors"] = exc.message, exc.errors
                for error in exc.errors:
                    if error["field"] in form.fields:
                        form.add_error(error["field"], error["message"])
            else:
                staging.discard(token, request.user)
                messages.success(request, _("Đã ghi nhận phản ánh %(code)s.") % {"code": report.code})
                return redirect("fieldreports:staff_detail", code=report.code)
        return render(request, "fieldreports/hotline.html", context, status=422)
    return render(request, "fieldreports/hotline.html", context)


@staff_required(ROLES)
def map_view(request):
    now = timezone.now()
    reports = _timeliness(list(staff_scope(request.user).filter(status__in=[
        Status.NEW, Status.CONFIRMED, Status.ASSIGNED, Status.ACCEPTED, Status.IN_PROGRESS, Status.ANSWERED],
        lat__isnull=False).select_related("category", "unit").order_by("-created_at")[:2000]), now)
    return render(request, "fieldreports/staff_map.html", {"reports": reports, **map_context()})
