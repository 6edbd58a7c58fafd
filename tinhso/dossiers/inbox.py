"""The staff member's work lists (hộp hồ sơ): which dossiers each tab holds,
and how many, in one place for the inbox page and the home page.

Every tab is a condition on the dossiers the user may see (`visible_to`), so
the counts of all tabs come from one aggregate query."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import agencies_in_scope, role_paths
from tinhso.dossiers.models import Status
from tinhso.dossiers.policies import due_soon_window
from tinhso.dossiers.rules import visible_to
from tinhso.workcalendar.engine import get_calendar

TABS = [
    ("todo", _("Cần xử lý")),
    ("approve", _("Chờ phê duyệt, ký")),
    ("online", _("Chờ tiếp nhận trực tuyến")),
    ("supplement", _("Chờ bổ sung")),
    ("return", _("Chờ trả kết quả")),
    ("due_soon", _("Sắp đến hạn")),
    ("overdue", _("Quá hạn")),
    ("all", _("Tất cả")),
]
RUNNING = [Status.RECEIVED, Status.PROCESSING]
APPROVING_ROLES = [Role.LEADER]


def tab_conditions(user, now: datetime.datetime) -> dict[str, Q]:
    """{tab: condition} on top of `visible_to(user)`."""
    mine = Q(pk__in=[])
    for role, path in set(role_paths(user)):
        mine |= Q(current_role=role, current_agency__path__startswith=path)
    desk = agencies_in_scope(user, Role.CLERK)
    running = Q(status__in=RUNNING)
    held = running & mine & (Q(current_handler=user) | Q(current_handler__isnull=True))
    soon = get_calendar().add_working_time(now, due_soon_window(now))
    return {
        "todo": held,
        "approve": held & Q(current_role__in=APPROVING_ROLES),
        "online": Q(status=Status.SUBMITTED, receiving_agency__in=desk),
        "supplement": Q(status__in=[Status.SUPPLEMENT, Status.PAYMENT]),
        "return": Q(status=Status.FINISHED, receiving_agency__in=desk),
        "due_soon": running & Q(due_at__gte=now, due_at__lte=soon),
        "overdue": running & Q(due_at__lt=now),
    }


def inbox_queryset(user, tab: str, now: datetime.datetime):
    base = visible_to(user).select_related("procedure", "current_agency", "current_handler", "receiving_agency")
    condition = tab_conditions(user, now).get(tab)
    return base if condition is None else base.filter(condition)


def inbox_counts(user, now: datetime.datetime) -> dict[str, int]:
    """How many dossiers each tab (but "all") holds, in one query."""
    conditions = tab_conditions(user, now)
    return visible_to(user).aggregate(**{tab: Count("pk", filter=q) for tab, q in conditions.items()})
