"""The leaders' dashboard page (/dashboard/) and the targets pages
(/dashboard/chi-tieu/). Thin: scope checks in access.py, figures in
queries.py, changes in actions.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.permissions import has_role
from tinhso.agencies.models import Agency
from tinhso.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tinhso.dashboard import actions, charts, queries
from tinhso.dashboard import programme
from tinhso.dashboard.access import TARGET_ROLES, VIEW_ROLES, province_wide, resolve_scope, visible_agencies
from tinhso.dashboard.forms import FilterForm, TargetForm
from tinhso.dashboard.models import KpiTarget


def _scope_or_error(user, raw: str):
    try:
        return resolve_scope(user, int(raw) if raw.isdigit() else None)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from None
    except NotFound as exc:
        raise Http404(exc.message) from None


def _filters(request, default_period, invalid_message):
    """Scope, filter form, period and error of a dashboard page (the index and the KSTT report)."""
    user = request.user
    scope = _scope_or_error(user, (request.GET.get("agency") or "").strip())
    form = FilterForm(request.GET or None, agencies=visible_agencies(user).order_by("path"),
                      province=province_wide(user))
    period, error = default_period, None
    if request.GET and not form.is_valid():
        error = invalid_message
    elif request.GET:
        data = form.cleaned_data
        try:
            if data.get("date_from"):
                period = queries.Period.between(data["date_from"], data["date_to"])
            elif data.get("year"):
                period = queries.Period.year(data["year"])
        except InvalidInput as exc:
            form.add_error(None, exc.message)
            error = exc.message
    return scope, form, period, error


@staff_required(roles=VIEW_ROLES)
def index_view(request):
    user = request.user
    today = timezone.localdate()
    scope, form, period, error = _filters(request, queries.Period.year(today.year),
                                          _("Điều kiện lọc chưa hợp lệ; đang hiển thị số liệu năm nay."))
    now = timezone.now()
    figures = queries.summary(scope.agency, period, now=now)
    targets = queries.against_targets(figures, queries.targets_for(scope.agency, queries.reference_day(period)))
    months = queries.by_month(scope.agency, period)
    agencies = queries.by_agency(scope.agency, period, now=now)
    on_time = next(t for t in targets if t["indicator"] == "on_time_rate")
    agency_rows = [{"label": a["agency"], "value": a["on_time_rate"], "target": on_time["target"],
                    "met": (a["on_time_rate"] >= on_time["target"])
                    if a["on_time_rate"] is not None and on_time["target"] is not None else None}
                   for a in agencies]
    context = {
        "form": form, "scope": scope, "period": period, "figures": figures, "targets": targets, "now": now,
        "months": months, "agencies": agencies,
        "trend_chart": charts.month_trend(months or []),
        "target_chart": charts.share_bars(targets),
        "agency_chart": charts.share_bars(agency_rows) if agency_rows else None,
        "error": error, "can_edit_targets": has_role(user, TARGET_ROLES),
        "programme": programme.figures() if scope.agency is None else [],
    }
    return render(request, "dashboard/index.html", context)


def _agencies():
    return Agency.objects.order_by("path")


def _values(form: TargetForm) -> dict:
    data = dict(form.cleaned_data)
    data["agency"] = Agency.objects.filter(pk=data["agency"]).first() if data.get("agency") else None
    return data


def _apply_errors(form, exc: InvalidInput) -> None:
    for error in exc.errors or []:
        field = error.get("field")
        form.add_error(field if field in form.fields else None, error["message"])
    if not exc.errors:
        form.add_error(None, exc.message)


@staff_required(roles=TARGET_ROLES)
def targets_view(request):
    form = TargetForm(request.POST or None, agencies=_agencies())
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_target(acting_user=request.user, **_values(form))
        except InvalidInput as exc:
            _apply_errors(form, exc)
        except (Conflict, PermissionDenied) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã thêm chỉ tiêu."))
            return redirect("dashboard:targets")
    targets = KpiTarget.objects.select_related("agency").order_by("indicator", "agency__path", "-valid_from")
    return render(request, "dashboard/targets.html", {"form": form, "targets": targets},
                  status=422 if form.errors else 200)


@staff_required(roles=TARGET_ROLES)
def target_edit_view(request, pk: int):
    target = get_object_or_404(KpiTarget, pk=pk)
    if request.method == "POST" and request.POST.get("delete"):
        actions.delete_target(acting_user=request.user, kpi=target)
        messages.success(request, _("Đã xóa chỉ tiêu."))
        return redirect("dashboard:targets")
    initial = {"indicator": target.indicator, "target": target.target,
               "agency": str(target.agency_id or ""), "valid_from": target.valid_from, "valid_to": target.valid_to,
               "basis": target.basis, "verified": target.verified}
    form = TargetForm(request.POST or None, initial=initial, agencies=_agencies())
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_target(acting_user=request.user, kpi=target, **_values(form))
        except InvalidInput as exc:
            _apply_errors(form, exc)
        except (Conflict, PermissionDenied, NotFound) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect("dashboard:targets")
    return render(request, "dashboard/target_edit.html", {"form": form, "target": target},
                  status=422 if form.errors else 200)


@staff_required(roles=VIEW_ROLES)
def kstt_view(request):
    """Báo cáo tình hình, kết quả giải quyết TTHC (form 06/VPCP/KSTT): on screen, as Excel or as PDF."""
    from django.http import HttpResponse

    from tinhso.dashboard import kstt

    today = timezone.localdate()
    scope, form, period, error = _filters(request, queries.Period.between(today.replace(day=1), today),
                                          _("Điều kiện lọc chưa hợp lệ; đang hiển thị tháng này."))
    quarter = (request.GET.get("quarter") or "").strip()
    if quarter and not error:
        try:
            if not request.GET.get("year") or request.GET.get("date_from"):
                raise InvalidInput(_("Báo cáo quý: chọn năm và quý, để trống khoảng ngày."))
            period = kstt.quarter_period(request.GET["year"], quarter)
        except InvalidInput as exc:
            error = exc.message
    report = kstt.report(scope.agency, period)
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "pdf") and not error:
        name = f"bao-cao-kstt-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.{fmt}"
        if fmt == "xlsx":
            body, ctype = kstt.xlsx(report, scope_label=str(scope.label)), \
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            body, ctype = kstt.pdf(report, scope_label=str(scope.label)), "application/pdf"
        response = HttpResponse(body, content_type=ctype)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    query = request.GET.copy()
    query.pop("format", None)
    cols = kstt.COLUMNS
    return render(request, "dashboard/kstt.html", {
        "form": form, "error": error, "report": report, "scope": scope, "query": query.urlencode(),
        "groups": [(group, len(names)) for group, names in kstt.GROUPS], "quarter": quarter,
        "quarters": kstt.QUARTERS,
        "headers": [kstt.LABELS[name] for _, names in kstt.GROUPS for name in names],
        "levels": [(label, [(r["field_name"], [r[c] for c in cols]) for r in report["rows"] if r["level"] == key],
                    [report["by_level"][key][c] for c in cols]) for key, label in kstt.LEVELS.items()],
        "totals": [report["totals"][c] for c in cols]})
