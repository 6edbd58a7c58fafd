"""DTI self-assessment pages (/bao-cao/dti/): the years compared, and one
year's assessment with its scores. Thin: every POST calls one action."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.permissions import has_role
from tinhso.core.errors import DomainError
from tinhso.dashboard import charts
from tinhso.dashboard.access import VIEW_ROLES, province_wide
from tinhso.dashboard.live import MEASURES
from tinhso.reports import actions, dti
from tinhso.reports.models import DtiAssessment, DtiIndex, DtiIndicator, DtiMethodology


def _province_only(user):
    if not province_wide(user):
        raise DjangoPermissionDenied(_("Tự đánh giá DTI là số liệu toàn tỉnh, dành cho lãnh đạo tỉnh, trung tâm "
                                       "điều hành và quản trị hệ thống."))


@staff_required(roles=VIEW_ROLES)
def dti_index_view(request):
    _province_only(request.user)
    user, error = request.user, None
    if request.method == "POST":
        try:
            if request.POST.get("op") == "copy":
                source = get_object_or_404(DtiMethodology, pk=request.POST.get("source") or 0)
                new = actions.copy_methodology(acting_user=user, source=source, year=request.POST.get("year"))
                messages.success(request, _("Đã tạo bộ chỉ số năm %(y)s.") % {"y": new.year})
                return redirect("reports:dti_year", year=new.year)
            row = actions.create_assessment(acting_user=user, year=request.POST.get("year"))
            return redirect("reports:dti_year", year=row.methodology.year)
        except DomainError as exc:
            error = exc.message
    results = [dti.result(a) for a in DtiAssessment.objects.select_related("methodology")
               .order_by("methodology__year")]
    codes = []
    for r in results:
        for ir in r.indices:
            if ir.scored and (ir.index.code, ir.index.name) not in codes:
                codes.append((ir.index.code, ir.index.name))
    table = [(code, name, [next((ir.value for ir in r.indices if ir.index.code == code and ir.scored), None)
                           for r in results]) for code, name in codes]
    chart = charts.share_bars([{"label": f"DTI {r.methodology.year}", "value": r.dti * 100,
                                "target": (r.assessment.published_score * 100
                                           if r.assessment.published_score is not None else None), "met": None}
                               for r in results]) if results else None
    methodologies = DtiMethodology.objects.all()
    return render(request, "reports/dti_index.html", {
        "results": results, "table": table, "chart": chart, "error": error, "methodologies": methodologies,
        "open_years": [m.year for m in methodologies if not hasattr(m, "assessment")],
        "can_score": has_role(user, actions.SCORE_ROLES), "can_edit": has_role(user, actions.METHOD_ROLES)},
        status=422 if error else 200)


@staff_required(roles=VIEW_ROLES)
def dti_year_view(request, year: int):
    _province_only(request.user)
    user = request.user
    methodology = get_object_or_404(DtiMethodology, year=year)
    assessment = DtiAssessment.objects.filter(methodology=methodology).first()
    error, errors = None, {}
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "indicator":
                index = get_object_or_404(DtiIndex, pk=request.POST.get("index") or 0, methodology=methodology)
                actions.add_indicator(acting_user=user, index=index, code=request.POST.get("code"),
                                      name=request.POST.get("name"), max_points=request.POST.get("max_points"),
                                      measure=request.POST.get("measure"))
            elif op == "edit_indicator":
                indicator = get_object_or_404(DtiIndicator, pk=request.POST.get("indicator") or 0,
                                              index__methodology=methodology)
                actions.update_indicator(acting_user=user, indicator=indicator, name=request.POST.get("name"),
                                         max_points=request.POST.get("max_points"),
                                         measure=request.POST.get("measure"))
            elif assessment is None:
                raise DjangoPermissionDenied(_("Chưa có bản tự đánh giá của năm này."))
            elif op == "score":
                indicator = get_object_or_404(DtiIndicator, pk=request.POST.get("indicator") or 0,
                                              index__methodology=methodology)
                actions.enter_score(acting_user=user, assessment=assessment, indicator=indicator,
                                    points=request.POST.get("points"), note=request.POST.get("note", ""))
            elif op == "compute":
                actions.compute_scores(acting_user=user, assessment=assessment)
            elif op == "published":
                actions.set_published(acting_user=user, assessment=assessment,
                                      score=request.POST.get("published_score"),
                                      rank=request.POST.get("published_rank"))
            else:
                raise DjangoPermissionDenied(_("Thao tác không hợp lệ."))
        except DomainError as exc:
            error = exc.message
            errors = {e.get("field"): e["message"] for e in (getattr(exc, "errors", None) or [])}
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("reports:dti_year", year=year)
    result = dti.result(assessment) if assessment is not None else None
    indices = result.indices if result else [dti.IndexResult(i, 0, i.max_points, None,
                                                             [(x, None) for x in i.indicators.all()])
                                             for i in methodology.indices.prefetch_related("indicators")]
    chart = charts.share_bars([{"label": f"{ir.index.code}. {ir.index.name}", "value": ir.value * 100,
                                "target": None, "met": None} for ir in indices if ir.scored and ir.value is not None]
                              ) if result else None
    return render(request, "reports/dti_year.html", {
        "methodology": methodology, "assessment": assessment, "result": result, "indices": indices,
        "chart": chart, "error": error, "errors": errors, "measures": MEASURES,
        "can_score": has_role(user, actions.SCORE_ROLES), "can_edit": has_role(user, actions.METHOD_ROLES)},
        status=422 if error else 200)
