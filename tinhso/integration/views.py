"""The integration platform's pages (/tich-hop/): client systems and their
credentials, the service registry with each external system's health, the
message log for auditors, the national-portal sync backlog."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.models import Role, User
from tinhso.accounts.permissions import has_role
from tinhso.audit.actions import record
from tinhso.core.errors import DomainError
from tinhso.integration import actions, registry
from tinhso.integration.log import verify
from tinhso.integration.models import (ApiKey, ClientSystem, CredentialKind, Direction, MessageLog, Outcome, Service,
                                       ServiceStatus)
from tinhso.integration.queries import LogFilter, per_system_per_day

ADMIN = (Role.SYSTEM_ADMIN,)
READERS = (Role.SYSTEM_ADMIN, Role.AUDITOR)


def _backlog():
    """The national-portal sync backlog (tinhso.nationalportal)."""
    from django.urls import reverse

    from tinhso.nationalportal.reconcile import backlog_summary

    summary = backlog_summary()
    seconds = summary.get("oldest_pending_seconds")
    summary["oldest_pending_hours"] = round(seconds / 3600, 1) if seconds is not None else None
    summary["url"] = reverse("nationalportal:report")
    return summary


@staff_required(READERS)
def index_view(request):
    registry.ensure()
    services = list(Service.objects.all())
    return render(request, "integration/index.html", {
        "consumed": [s for s in services if s.direction == Direction.CONSUMED],
        "offered": [s for s in services if s.direction == Direction.OFFERED],
        "clients": ClientSystem.objects.prefetch_related("granted").order_by("name"),
        "recent": MessageLog.objects.select_related("client")[:15], "backlog": _backlog(),
        "is_admin": has_role(request.user, Role.SYSTEM_ADMIN)})


def _done(request, message: str, target: str = "integration:index", **kwargs):
    messages.success(request, message)
    return redirect(target, **kwargs)


@require_POST
@staff_required(ADMIN)
def register_view(request):
    try:
        client = actions.register_client(acting_user=request.user, name=request.POST.get("name", ""),
                                         owner=request.POST.get("owner", ""), contact=request.POST.get("contact", ""),
                                         code=request.POST.get("code", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("integration:index")
    return _done(request, _("Đã đăng ký hệ thống; cấp dịch vụ và thông tin xác thực bên dưới."),
                 "integration:client", client_id=client.pk)


def _client(client_id) -> ClientSystem:
    client = ClientSystem.objects.filter(pk=client_id).select_related("service_user").first()
    if client is None:
        raise Http404(_("Không có hệ thống này."))
    return client


@staff_required(ADMIN)
def client_view(request, client_id):
    client = _client(client_id)
    registry.ensure()
    granted = set(client.granted.values_list("code", flat=True))
    return render(request, "integration/client.html", {
        "client": client, "offered": Service.objects.filter(direction=Direction.OFFERED), "granted": granted,
        "keys": client.keys.select_related("rotated_from").order_by("-created_at"), "kinds": CredentialKind.choices,
        "new_key": request.session.pop("integration.new_key", None),
        "calls": MessageLog.objects.filter(client=client)[:20]})


@require_POST
@staff_required(ADMIN)
def client_update_view(request, client_id):
    client = _client(client_id)
    try:
        rate = request.POST.get("rate_limit", "").strip()
        if rate and not rate.isdecimal():
            raise DomainError(_("Giới hạn lượt gọi phải là số nguyên."))
        username = request.POST.get("service_user", "").strip()
        user = None
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise DomainError(_("Không có tài khoản “%(name)s”.") % {"name": username})
        actions.update_client(acting_user=request.user, client=client, rate_limit=int(rate) if rate else None,
                              is_active=request.POST.get("is_active") == "on", service_user=user,
                              clear_service_user=not username)
        actions.grant_services(acting_user=request.user, client=client, codes=request.POST.getlist("service"))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("integration:client", client_id=client.pk)
    return _done(request, _("Đã lưu."), "integration:client", client_id=client.pk)


def _show_once(request, client, row, secret):
    # Shown once, on the next page only (kept in the session until then, never stored in the database).
    request.session["integration.new_key"] = {"client": client.name, "secret": secret, "id": row.pk,
                                              "kind": row.kind, "client_id": row.prefix}


@require_POST
@staff_required(ADMIN)
def issue_view(request, client_id):
    client = _client(client_id)
    days = request.POST.get("valid_days", "").strip()
    try:
        if days and not days.isdecimal():
            raise DomainError(_("Thời hạn phải là số ngày."))
        row, secret = actions.issue_key(acting_user=request.user, client=client, scopes=request.POST.getlist("scope"),
                                        kind=request.POST.get("kind", CredentialKind.API_KEY),
                                        valid_days=int(days) if days else None)
        _show_once(request, client, row, secret)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("integration:client", client_id=client.pk)


@require_POST
@staff_required(ADMIN)
def rotate_view(request, key_id):
    key = ApiKey.objects.filter(pk=key_id).select_related("client").first()
    if key is None:
        raise Http404
    try:
        row, secret = actions.rotate_key(acting_user=request.user, key_id=key.pk)
        _show_once(request, key.client, row, secret)
        messages.success(request, _("Đã cấp thông tin xác thực thay thế; cái cũ còn dùng được đến %(at)s.")
                         % {"at": ApiKey.objects.get(pk=key.pk).expires_at.strftime("%d/%m/%Y %H:%M")})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("integration:client", client_id=key.client_id)


@require_POST
@staff_required(ADMIN)
def revoke_view(request, key_id):
    key = ApiKey.objects.filter(pk=key_id).first()
    if key is None:
        raise Http404
    try:
        actions.revoke_key(acting_user=request.user, key_id=key_id)
        messages.success(request, _("Đã thu hồi; các lần gọi sau bằng thông tin này bị từ chối."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("integration:client", client_id=key.client_id)


@staff_required(READERS)
def service_view(request, code):
    service = Service.objects.filter(code=code).first()
    if service is None:
        raise Http404
    return render(request, "integration/service.html", {
        "service": service, "statuses": ServiceStatus.choices, "clients": service.clients.order_by("name"),
        "calls": MessageLog.objects.filter(service=service.code).select_related("client")[:20],
        "can_edit": has_role(request.user, Role.SYSTEM_ADMIN)})


@require_POST
@staff_required(ADMIN)
def service_update_view(request, code):
    service = Service.objects.filter(code=code).first()
    if service is None:
        raise Http404
    values = {}
    try:
        for name in actions.SERVICE_FIELDS:
            if name not in request.POST:
                continue
            values[name] = request.POST[name].strip()  # numbers checked and converted by the action
        if "reset_breaker" in request.POST:
            actions.reset_breaker(acting_user=request.user, service=service)
        else:
            actions.update_service(acting_user=request.user, service=service, **values)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("integration:service", code=code)
    return _done(request, _("Đã lưu."), "integration:service", code=code)


@staff_required(READERS)
def log_view(request):
    f = LogFilter.parse(request.GET)
    page = Paginator(f.rows().select_related("client").order_by("-seq"), 50).get_page(request.GET.get("page"))
    record(actor=request.user, action="integration.log.searched", note=request.GET.urlencode()[:500],
           require_atomic=False)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "integration/log.html", {
        "f": f, "page": page, "systems": per_system_per_day(f), "outcomes": Outcome.choices,
        "services": Service.objects.values_list("code", flat=True), "clients": ClientSystem.objects.order_by("name"),
        "query": query.urlencode(), "verified": request.session.pop("integration.verified", None)})


@staff_required(READERS)
def log_export_view(request):
    f = LogFilter.parse(request.GET)
    record(actor=request.user, action="integration.log.exported", note=request.GET.urlencode()[:500],
           require_atomic=False)

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    header = ["seq", "at", "direction", "client", "service", "operation", "purpose", "subject", "status", "outcome",
              "latency_ms", "request_sha256", "response_sha256", "hash"]

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for r in f.rows().select_related("client").order_by("seq").iterator(chunk_size=2000):
            yield writer.writerow([r.seq, r.at.isoformat(), r.direction, r.client.name if r.client else "", r.service,
                                   r.operation, r.purpose, r.subject, r.status, r.outcome, r.latency_ms,
                                   r.request_digest, r.response_digest, r.hash])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-trao-doi-{f.since}-{f.until}.csv"'
    return response


@require_POST
@staff_required(READERS)
def verify_view(request):
    checked, breaks = verify()
    record(actor=request.user, action="integration.log.verified",
           changes={"checked": checked, "breaks": len(breaks)}, require_atomic=False)
    request.session["integration.verified"] = {"checked": checked, "breaks": [
        {"seq": b.seq, "problem": b.problem} for b in breaks[:50]], "count": len(breaks)}
    return redirect("integration:log")
