"""The system administrator's page of client systems and their keys."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.models import Role
from tinhso.core.errors import DomainError
from tinhso.integration import actions
from tinhso.integration.models import ClientSystem, MessageLog, Service


@staff_required((Role.SYSTEM_ADMIN,))
def index_view(request):
    return render(request, "integration/index.html", {
        "clients": ClientSystem.objects.prefetch_related("keys").order_by("name"), "scopes": Service.objects.filter(direction="offered").values_list("code", "name"),
        "calls": MessageLog.objects.select_related("client")[:50], "new_key": request.session.pop("integration.new_key", None)})


@require_POST
@staff_required((Role.SYSTEM_ADMIN,))
def register_view(request):
    try:
        actions.register_client(acting_user=request.user, name=request.POST.get("name", ""),
                                owner=request.POST.get("owner", ""), contact=request.POST.get("contact", ""))
        messages.success(request, _("Đã đăng ký hệ thống."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("integration:index")


@require_POST
@staff_required((Role.SYSTEM_ADMIN,))
def issue_view(request, client_id):
    client = ClientSystem.objects.filter(pk=client_id).first()
    if client is None:
        messages.error(request, _("Không có hệ thống này."))
        return redirect("integration:index")
    try:
        row, key = actions.issue_key(acting_user=request.user, client=client, scopes=request.POST.getlist("scope"))
        # Shown once, on the next page only (kept in the session until then, never stored in the database).
        request.session["integration.new_key"] = {"client": client.name, "key": key, "id": row.pk}
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("integration:index")


@require_POST
@staff_required((Role.SYSTEM_ADMIN,))
def revoke_view(request, key_id):
    try:
        actions.revoke_key(acting_user=request.user, key_id=key_id)
        messages.success(request, _("Đã thu hồi khóa; các lần gọi sau bằng khóa này bị từ chối."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("integration:index")
