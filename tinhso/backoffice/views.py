from django.core.paginator import Paginator
from django.shortcuts import render

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.models import Role, RoleAssignment
from tinhso.audit.models import AuditEvent


@staff_required()
def home_view(request):
    roles = RoleAssignment.objects.active().filter(user=request.user).select_related("agency")
    return render(request, "backoffice/home.html", {"roles": roles})


@staff_required(roles=(Role.SYSTEM_ADMIN,))
def audit_log_view(request):
    events = AuditEvent.objects.select_related("content_type")
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_repr__icontains=actor)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/audit_log.html", {"page": page, "action": action, "actor": actor})
