from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from tinhso.accounts.decorators import staff_required
from tinhso.fieldreports import stats
from tinhso.fieldreports.people import AGENCY_ROLES, CENTRE_ROLES
from tinhso.fieldreports.queries import staff_scope


@staff_required((*CENTRE_ROLES, *AGENCY_ROLES))
def stats_view(request):
    start, end = stats.period(request.GET)
    figures = stats.compute(start, end, staff_scope(request.user))
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(stats.xlsx(figures), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = f'attachment; filename="thong-ke-phan-anh-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
        return response
    return render(request, "fieldreports/stats.html", {"f": figures, "charts": stats.charts(figures)})
