from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.core.errors import DomainError
from tinhso.dossiers.models import Status
from tinhso.integration.outbound import ExternalError
from tinhso.nationalportal import actions, reconcile
from tinhso.nationalportal.actions import MANAGERS


@staff_required(MANAGERS)
@require_GET
def report_view(request):
    by_agency, rows = reconcile.unsynced(request.user)
    day, differences, compare_error = None, None, ""
    raw = request.GET.get("ngay", "").strip()
    if raw:
        try:
            day = datetime.date.fromisoformat(raw)
        except ValueError:
            compare_error = _("Ngày không hợp lệ; nhập theo dạng năm-tháng-ngày, ví dụ 2026-03-02.")
        else:
            try:
                differences = reconcile.compare(request.user, day)
            except ExternalError as exc:
                compare_error = exc.message
    summary = reconcile.backlog_summary(rows=reconcile.scope(request.user))
    now = timezone.now()
    oldest = (now - datetime.timedelta(seconds=summary["oldest_pending_seconds"])
              if summary["oldest_pending_seconds"] is not None else None)
    labels = dict(Status.choices)
    for d in differences or []:
        d["here_label"], d["portal_label"] = labels.get(d["here"], "—"), labels.get(d["portal"], _("chưa có"))
    return render(request, "nationalportal/report.html", {
        "by_agency": by_agency, "rows": rows, "now": now, "day": day, "raw_day": raw, "oldest": oldest,
        "differences": differences, "compare_error": compare_error, "summary": summary})


@staff_required(MANAGERS)
@require_POST
def resend_view(request):
    try:
        count = actions.resend(acting_user=request.user, item_ids=request.POST.getlist("items"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã đưa %(n)s bản ghi vào hàng đợi gửi lại.") % {"n": count})
    return redirect("nationalportal:report")


@staff_required(MANAGERS)
@require_GET
def summary_view(request):
    return JsonResponse(reconcile.backlog_summary())
