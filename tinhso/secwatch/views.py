"""The security officer's pages (/an-ninh/): events with filters, the daily
chart and the last 24 hours; alert rules; SIEM exports; integrity check."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.core.errors import DomainError
from tinhso.secwatch import actions, siem
from tinhso.secwatch.models import Alert, AlertRule, AuditSeal, GroupBy, Kind, Severity
from tinhso.secwatch.queries import EventFilter, last_24h, per_day_chart

READERS = actions.READERS


def _query(f: EventFilter) -> str:
    return urlencode({"since": f.since.isoformat(), "until": f.until.isoformat(), "kind": f.kind,
                      "severity": f.severity, "user": f.username, "address": f.address})


@staff_required(READERS)
def index_view(request):
    f = EventFilter.from_query(request.GET)
    chart, _rows = per_day_chart(f)
    page = Paginator(f.queryset(), 50).get_page(request.GET.get("page"))
    return render(request, "secwatch/index.html", {
        "f": f, "query": _query(f), "chart": chart, "page": page, "last24": last_24h(),
        "kinds": Kind.choices, "severities": Severity.choices,
        "alerts": Alert.objects.select_related("rule")[:10], "last_seal": AuditSeal.objects.order_by("-last_id").first(),
        "is_admin": has_role(request.user, Role.SYSTEM_ADMIN)})


def _refused(f: EventFilter) -> HttpResponse:
    """A download with a bad filter is refused (422, the messages as text)
    rather than silently exporting another period than the one asked for."""
    return HttpResponse("\n".join(f.errors) + "\n", status=422, content_type="text/plain; charset=utf-8")


@staff_required(READERS)
def export_jsonl_view(request):
    f = EventFilter.from_query(request.GET)
    if f.errors:
        return _refused(f)
    response = StreamingHttpResponse(siem.json_lines(f.queryset().order_by("id").iterator(chunk_size=2000)),
                                     content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="su-kien-an-toan.jsonl"'
    return response


@staff_required(READERS)
def export_syslog_view(request):
    f = EventFilter.from_query(request.GET)
    if f.errors:
        return _refused(f)
    lines = (siem.syslog_line(e) + "\n" for e in f.queryset().order_by("id").iterator(chunk_size=2000))
    response = StreamingHttpResponse(lines, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="su-kien-an-toan.log"'
    return response


@staff_required(READERS)
def rules_view(request, rule_id=None):
    rule = AlertRule.objects.filter(pk=rule_id).first() if rule_id else None
    errors, data = [], None
    if request.method == "POST":
        data = request.POST
        try:
            actions.save_rule(acting_user=request.user, data=request.POST, rule_id=rule.pk if rule else None)
        except DomainError as exc:
            messages.error(request, exc.message)
            errors = exc.errors
        else:
            messages.success(request, _("Đã lưu quy tắc cảnh báo."))
            return redirect("secwatch:rules")
    return render(request, "secwatch/rules.html", {
        "rules": AlertRule.objects.all(), "rule": rule, "data": data, "errors": errors, "kinds": Kind.choices,
        "severities": Severity.choices, "groups": GroupBy.choices,
        "is_admin": has_role(request.user, Role.SYSTEM_ADMIN)}, status=422 if errors else 200)


@require_POST
@staff_required((Role.SYSTEM_ADMIN,))
def integrity_view(request):
    try:
        result = actions.run_integrity_check(acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if result["problems"]:
            messages.error(request, _("Nhật ký hệ thống mất toàn vẹn: %(n)s vấn đề; đã ghi sự kiện khẩn cấp.")
                           % {"n": len(result["problems"])})
        else:
            messages.success(request, _("Nhật ký hệ thống toàn vẹn; đã niêm phong thêm %(n)s đoạn.")
                             % {"n": result["sealed"]})
    return redirect("secwatch:index")
