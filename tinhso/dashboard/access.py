"""Who sees which part of the dashboard.

The dashboard shows aggregates only (no personal data), but a commune's
leaders see their commune, not the neighbours': the scope is the agency
subtree where the user holds a dashboard role. Province-wide (no agency
filter) is for the province's leaders (a leader of the provincial people's
committee), the operations centre (its job is to watch the whole province)
and the system administrator."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tinhso.accounts.models import Role, RoleAssignment
from tinhso.accounts.permissions import has_role, role_paths
from tinhso.agencies.models import Agency, AgencyKind
from tinhso.core.errors import NotFound, PermissionDenied

VIEW_ROLES = (Role.LEADER, Role.HEAD_OF_DIVISION, Role.OPERATIONS_CENTRE, Role.SYSTEM_ADMIN)
PROVINCE_ROLES = (Role.OPERATIONS_CENTRE, Role.SYSTEM_ADMIN)  # province-wide wherever held
SCOPED_ROLES = (Role.LEADER, Role.HEAD_OF_DIVISION)  # their agency's subtree
TARGET_ROLES = (Role.SYSTEM_ADMIN,)  # who edits the targets


@dataclass(frozen=True)
class Scope:
    """Toàn tỉnh (agency None) or one agency and its subtree."""

    agency: Agency | None

    @property
    def label(self) -> str:
        return self.agency.name if self.agency is not None else _("Toàn tỉnh")


def may_view(user) -> bool:
    return has_role(user, VIEW_ROLES)


def province_wide(user) -> bool:
    if not may_view(user):
        return False
    if has_role(user, PROVINCE_ROLES):
        return True
    return (RoleAssignment.objects.active().filter(user_id=user.pk, role=Role.LEADER,
                                                   agency__kind=AgencyKind.PROVINCIAL_COMMITTEE).exists())


def _scoped_paths(user) -> list[str]:
    return sorted({path for role, path in role_paths(user) if role in SCOPED_ROLES}, key=len)


def in_scope(user, agency: Agency) -> bool:
    if province_wide(user):
        return True
    return any(agency.path.startswith(path) for path in _scoped_paths(user))


def visible_agencies(user):
    """Agencies whose dashboard the user may open."""
    if province_wide(user):
        return Agency.objects.all()
    from tinhso.accounts.permissions import agencies_under

    return agencies_under(_scoped_paths(user))


def require_province(user) -> Scope:
    """The whole province's scope, for figures that exist only province-wide (the service index's province
    scope, the programme targets, the DTI): PermissionDenied (403) for anyone else."""
    scope = resolve_scope(user, None)
    if scope.agency is not None:
        raise PermissionDenied(_("Bạn không có quyền xem số liệu toàn tỉnh."))
    return scope


def resolve_scope(user, agency_id: int | None = None) -> Scope:
    """The scope asked for, checked: PermissionDenied (403) without a
    dashboard role or outside the user's scope, NotFound (404) for an agency
    that does not exist. Without `agency_id`: the whole province for those who
    may see it, else the user's own (highest) agency."""
    if not may_view(user):
        raise PermissionDenied(_("Bảng điều hành chỉ dành cho lãnh đạo, trung tâm điều hành và quản trị hệ thống."))
    if agency_id is None:
        if province_wide(user):
            return Scope(None)
        paths = _scoped_paths(user)
        pk = int(paths[0].strip("/").split("/")[-1])
        return Scope(Agency.objects.get(pk=pk))
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise NotFound(_("Không tìm thấy cơ quan, đơn vị có mã số %(id)s.") % {"id": agency_id})
    if not in_scope(user, agency):
        raise PermissionDenied(_("Bạn không có quyền xem số liệu của %(name)s.") % {"name": agency.name})
    return Scope(agency)
