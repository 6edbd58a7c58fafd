from django.core.paginator import Paginator
from django.shortcuts import render

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.permissions import has_role
from tinhso.dossiers.inbox import inbox_counts
from tinhso.dossiers.rules import DOSSIER_ROLES
from tinhso.accounts.models import Role, RoleAssignment
from tinhso.audit.models import AuditEvent


# The work cards of the home page: (inbox tab, what the count means), in the order of a working day.
WORK_CARDS = [
    ("online", _("Hồ sơ trực tuyến chờ tiếp nhận")),
    ("todo", _("Hồ sơ cần xử lý")),
    ("approve", _("Hồ sơ chờ phê duyệt, ký")),
    ("return", _("Kết quả chờ trả cho người dân")),
    ("due_soon", _("Sắp đến hạn (trong phạm vi của bạn)")),
    ("overdue", _("Quá hạn (trong phạm vi của bạn)")),
]


@staff_required()
def home_view(request):
    """Each person's work: what waits for them, with counts linking to the inbox."""
    roles = RoleAssignment.objects.active().filter(user=request.user).select_related("agency")
    work = []
    if has_role(request.user, DOSSIER_ROLES):
        counts = inbox_counts(request.user, timezone.now())
        work = [{"tab": tab, "label": label, "count": counts[tab],
                 "tone": "late" if tab == "overdue" and counts[tab] else ("warn" if tab == "due_soon" and counts[tab]
                                                                          else "")}
                for tab, label in WORK_CARDS]
    return render(request, "backoffice/home.html", {"roles": roles, "work": work})


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
