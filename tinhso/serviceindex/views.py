"""Pages of the service index (/chi-so-766/): the index with its charts, the
drill-down lists with Excel export, entry of values from outside Tỉnh Số and
of the published score, and the methodology versions. Thin: figures in
engine.py and drilldown.py, changes in actions.py, scope in dashboard/access.py."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.permissions import has_role
from tinhso.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from tinhso.dashboard import charts
from tinhso.dashboard.access import VIEW_ROLES, province_wide, visible_agencies
from tinhso.serviceindex import actions, drilldown, engine
from tinhso.serviceindex.api import scope_of
from tinhso.serviceindex.forms import EnteredValueForm, MethodologyForm, PublishedScoreForm
from tinhso.serviceindex.models import EnteredValue, Methodology, PublishedScore, Snapshot, Source, scope_key

PAGE_SIZE = 50
ENTRY_ROLES = actions.AGENCY_ENTRY_ROLES


def _scope(user, raw):
    try:
        return scope_of(user, raw)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from None
    except NotFound as exc:
        raise Http404(exc.message) from None


def _period(raw, errors):
    try:
        return engine.parse_period(raw)
    except InvalidInput as exc:
        errors.append(exc.message)
        return engine.parse_period("")


@staff_required(roles=VIEW_ROLES)
def index_view(request):
    user = request.user
    errors: list[str] = []
    raw_scope = (request.GET.get("scope") or "").strip()
    try:
        scope = scope_of(user, raw_scope)
    except InvalidInput as exc:
        errors.append(exc.message)
        scope = _scope(user, "")
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from None
    except NotFound as exc:
        raise Http404(exc.message) from None
    period_text = (request.GET.get("period") or "").strip()
    period = _period(period_text, errors)
    try:
        result = engine.compute(scope.agency, period)
    except NotFound as exc:
        return render(request, "serviceindex/index.html", {"errors": [exc.message], "result": None}, status=404)
    group_rows = [{"label": f"{g['number']}. {g['name']}",
                   "value": (g["points"] * 100 / g["max_points"]).quantize(Decimal("0.1")) if g["max_points"] else None,
                   "target": None, "met": None} for g in result["groups"]]
    snapshots = list(Snapshot.objects.filter(scope=scope_key(scope.agency)).order_by("-month")[:12])[::-1]
    trend = charts.stacked_columns([
        {"label": s.month.strftime("%m/%Y"), "short": s.month.strftime("%m/%y"), "ok": float(s.points),
         "bad": float(s.max_points - s.points), "ok_label": _("điểm"), "bad_label": _("điểm bị trừ")}
        for s in snapshots])
    published = {p.month: p for p in PublishedScore.objects.filter(scope=scope_key(scope.agency),
                                                                  month__in=[s.month for s in snapshots])}
    comparison = [_compare(s, published[s.month]) for s in snapshots if s.month in published]
    agencies = visible_agencies(user).filter(kind__in=("department", "commune_committee", "provincial_committee",
                                                       "provincial_service_centre")).order_by("path")
    return render(request, "serviceindex/index.html", {
        "result": result, "scope": scope, "period": period, "period_text": period_text, "errors": errors,
        "group_chart": charts.share_bars(group_rows), "trend_chart": trend, "snapshots": snapshots,
        "comparison": comparison, "agencies": agencies, "province": province_wide(user),
        "scope_param": "province" if scope.agency is None else str(scope.agency.pk),
        "period_param": period_text or period.first_day.strftime("%Y-%m"),
        "can_enter": has_role(user, ENTRY_ROLES), "is_admin": has_role(user, actions.ADMIN_ROLES),
    }, status=422 if errors else 200)


def _compare(snapshot, published) -> dict:
    """Our snapshot against the published score, per group, with the indicators that lost points here."""
    groups = []
    for g in snapshot.data.get("groups", []):
        ours = Decimal(g["points"])
        theirs = published.group_points.get(str(g["number"]))
        lost = [f"{i['code']}: −{(Decimal(i['max_points']) - Decimal(i['points'])).quantize(Decimal('0.01'))}"
                + (f" ({i['numerator']}/{i['denominator']})" if i["denominator"] else _(" (không có số liệu)"))
                for i in g["indicators"] if Decimal(i["points"]) < Decimal(i["max_points"])]
        groups.append({"number": g["number"], "name": g["name"], "ours": ours,
                       "published": Decimal(theirs) if theirs is not None else None,
                       "difference": (ours - Decimal(theirs)) if theirs is not None else None, "lost": lost})
    return {"month": snapshot.month, "ours": snapshot.points, "published": published.points,
            "difference": snapshot.points - published.points, "basis": published.basis, "groups": groups}


@staff_required(roles=VIEW_ROLES)
def drill_view(request, code: str):
    errors: list[str] = []
    kind = request.GET.get("kind", "missing")
    try:
        scope = _scope(request.user, (request.GET.get("scope") or "").strip())
        period = engine.parse_period(request.GET.get("period"))
        indicator = drilldown.indicator_of(code, period)
        qs = drilldown.queryset(indicator, scope.agency, period, kind)
    except InvalidInput as exc:
        return render(request, "serviceindex/drill.html", {"errors": [exc.message]}, status=422)
    if request.GET.get("format") == "xlsx":
        body = drilldown.xlsx(indicator, str(scope.label), period, kind, qs[:drilldown.EXPORT_LIMIT])
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="chi-so-{indicator.code}-{kind}.xlsx"'
        return response
    count = qs.count()
    pages = max(1, -(-count // PAGE_SIZE))
    page = request.GET.get("page", "1")
    page = int(page) if page.isdecimal() and 1 <= int(page) <= pages else 1
    start = (page - 1) * PAGE_SIZE
    return render(request, "serviceindex/drill.html", {
        "indicator": indicator, "scope": scope, "period": period, "kind": kind, "count": count, "page": page,
        "pages": pages, "rows": drilldown.rows_for(indicator, qs[start:start + PAGE_SIZE], kind),
        "label": drilldown.label(indicator, kind), "errors": errors,
        "table": "procedure" if indicator.formula in ("procedures_complete", "procedures_online", "online_used",
                                                       "fee_online") else "dossier",
        "scope_param": "province" if scope.agency is None else str(scope.agency.pk),
        "period_param": request.GET.get("period", ""), "prev": page - 1 if page > 1 else None,
        "next": page + 1 if page < pages else None}, status=422 if errors else 200)


def _apply(form, exc: DomainError) -> None:
    form.add_error(None, exc.message)
    for error in getattr(exc, "errors", None) or []:
        if error.get("field") in form.fields:
            form.add_error(error["field"], error["message"])


def _agency_choice(user, raw):
    if not raw:
        return None
    return scope_of(user, str(raw)).agency  # PermissionDenied / NotFound: shown by _apply


@staff_required(roles=ENTRY_ROLES)
def enter_view(request):
    user = request.user
    agencies = visible_agencies(user).order_by("path")
    form = EnteredValueForm(request.POST or None, agencies=agencies, province=province_wide(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.enter_value(acting_user=user, indicator_code=data["indicator_code"],
                                agency=_agency_choice(user, data["agency"]), month=data["month"],
                                numerator=data["numerator"], denominator=data["denominator"], basis=data["basis"],
                                source=data["source"])
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Đã lưu số liệu chỉ số."))
            return redirect("serviceindex:enter")
    values = EnteredValue.objects.select_related("agency").order_by("-month", "indicator_code")[:100]
    return render(request, "serviceindex/enter.html", {"form": form, "values": values},
                  status=422 if form.errors else 200)


@staff_required(roles=ENTRY_ROLES)
def published_view(request):
    user = request.user
    form = PublishedScoreForm(request.POST or None, agencies=visible_agencies(user).order_by("path"),
                              province=province_wide(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.enter_published_score(
                acting_user=user, agency=_agency_choice(user, data["agency"]), month=data["month"],
                points=data["points"], basis=data["basis"],
                group_points={str(n): data.get(f"group_{n}") for n in range(1, 6)})
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Đã lưu điểm công bố."))
            return redirect("serviceindex:published")
    scores = PublishedScore.objects.select_related("agency").order_by("-month")[:60]
    return render(request, "serviceindex/published.html", {"form": form, "scores": scores},
                  status=422 if form.errors else 200)


@staff_required(roles=VIEW_ROLES)
def methodology_view(request):
    user = request.user
    versions = Methodology.objects.prefetch_related("groups__indicators").order_by("-valid_from")
    current = engine.methodology_for(timezone.localdate()) if versions else None
    form = None
    if has_role(user, actions.ADMIN_ROLES):
        form = MethodologyForm(request.POST or None, methodology=current)
        if request.method == "POST" and form.is_valid():
            try:
                actions.create_methodology_version(acting_user=user, **form.values())
            except DomainError as exc:
                _apply(form, exc)
            else:
                messages.success(request, _("Đã tạo phiên bản phương pháp mới."))
                return redirect("serviceindex:methodology")
    return render(request, "serviceindex/methodology.html", {"versions": versions, "form": form,
                                                             "sources": dict(Source.choices)},
                  status=422 if form is not None and form.errors else 200)
