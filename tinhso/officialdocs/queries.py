"""Who sees which document, and the work lists (inboxes)."""

from __future__ import annotations

from django.db.models import Q

from tinhso.accounts.models import Role, RoleAssignment
from tinhso.accounts.permissions import has_role
from tinhso.officialdocs.models import DocStatus, OfficialDocument, Secrecy


def my_agencies(user):
    """The agencies whose documents the user works on: where they hold a role,
    and the parent of an office or division they belong to."""
    rows = RoleAssignment.objects.active().filter(user_id=user.pk).select_related("agency__parent")
    found = {}
    for row in rows:
        found[row.agency.pk] = row.agency
        if row.agency.kind in ("office", "division") and row.agency.parent_id:
            found[row.agency.parent.pk] = row.agency.parent
    return list(found.values())


def visible(user):
    """An agency's documents to its staff; a secret one only to those who
    drafted, signed, hold it or were assigned it, and to its leaders and
    clerical office."""
    agencies = my_agencies(user)
    if user.is_superuser:
        return OfficialDocument.objects.all()
    base = OfficialDocument.objects.filter(agency__in=agencies)
    open_ = Q(secrecy=Secrecy.NONE)
    involved = Q(drafter=user) | Q(signer=user) | Q(holder=user) | Q(assignments__person=user)
    leads = [a.pk for a in agencies if has_role(user, (Role.LEADER, Role.CLERICAL_OFFICE), a)]
    return base.filter(open_ | involved | Q(agency__in=leads)).distinct()


TABS = {
    "review": ("Chờ duyệt", Q(status=DocStatus.REVIEW)),
    "to_sign": ("Chờ ký", Q(status=DocStatus.TO_SIGN)),
    "to_issue": ("Chờ phát hành", Q(status=DocStatus.TO_ISSUE)),
    "drafts": ("Dự thảo của tôi", None),
    "to_register": ("Văn bản đến chờ vào sổ", Q(status=DocStatus.ARRIVED)),
    "to_assign": ("Chờ phân công", Q(status=DocStatus.REGISTERED)),
    "to_handle": ("Được giao xử lý", None),
    "outgoing": ("Văn bản đi", Q(direction="out", status=DocStatus.ISSUED)),
    "overdue": ("Quá hạn xử lý", None),
    "incoming": ("Văn bản đến", Q(direction="in")),
}


def tab(user, name: str):
    qs = visible(user).select_related("doc_type", "agency")
    if name == "drafts":
        return qs.filter(drafter=user, status=DocStatus.DRAFT)
    if name == "overdue":
        from django.utils import timezone

        return qs.filter(status__in=(DocStatus.ASSIGNED, DocStatus.IN_PROGRESS), assignments__done_at__isnull=True,
                         assignments__due_at__lt=timezone.now()).distinct()
    if name == "to_handle":
        return qs.filter(status__in=(DocStatus.ASSIGNED, DocStatus.IN_PROGRESS), holder=user)
    return qs.filter(TABS.get(name, TABS["incoming"])[1])


def profile_agencies(user, pk: int | None = None) -> list:
    """The agencies whose issuing profile the user may edit, by path (only
    the one with `pk` when given): every issuing agency for a system
    administrator; otherwise those of the user's agencies (`my_agencies`)
    whose documents they number and issue."""
    from tinhso.agencies.models import Agency
    from tinhso.officialdocs.actions.common import clerical_of
    from tinhso.officialdocs.actions.profiles import NOT_ISSUING

    rows = Agency.objects.filter(is_active=True).exclude(kind__in=NOT_ISSUING).select_related("unit__parent__parent")
    if pk is not None:
        rows = rows.filter(pk=pk)
    if has_role(user, Role.SYSTEM_ADMIN):
        return list(rows.order_by("path"))
    ids = [a.pk for a in my_agencies(user) if a.kind not in NOT_ISSUING and clerical_of(user, a)]
    return list(rows.filter(pk__in=ids).order_by("path"))
