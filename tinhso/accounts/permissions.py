"""Permission checks: every object access asks whether the user holds one of
the required roles in the object's agency (or an agency above it)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from tinhso.accounts.models import Role, RoleAssignment
from tinhso.core.errors import PermissionDenied

_CACHE_ATTR = "_tinhso_role_paths"


def _assignments(user) -> list[tuple[str, str]]:
    """(role, agency path) pairs the user holds today, cached on the user object
    for the request."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleAssignment.objects.active().filter(user_id=user.pk)
                      .values_list("role", "agency__path"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def role_paths(user) -> list[tuple[str, str]]:
    """(role, agency path) pairs the user holds today."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(_assignments(user))


def use_cached_roles(user, ref) -> None:
    """Take the user's role assignments for this request from the per-process
    reference cache `ref` (tinhso/catalogue/refcache.py, read under the
    revision token the current transaction read: saving or deleting a role
    assignment, an agency or a user bumps it, so a revoked role is refused
    by the next transaction of every process), unless they were read
    already. Inactive users are left to `_assignments` (no roles), and so
    are citizens: they hold no roles, and one cache entry per citizen would
    soon fill the shared snapshot."""
    if ref is None or not getattr(user, "is_authenticated", False) or not user.is_active \
            or getattr(user, "is_citizen", False) or hasattr(user, _CACHE_ATTR):
        return
    setattr(user, _CACHE_ATTR, list(ref.role_paths(user.pk)))


def forget_roles(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _as_set(roles: str | Iterable[str]) -> set[str]:
    return {roles} if isinstance(roles, str) else set(roles)


def user_roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = {role for role, _ in _assignments(user)}
    if user.is_superuser:
        roles.add(Role.SYSTEM_ADMIN)
    return roles


def has_role(user, roles: str | Iterable[str], agency=None) -> bool:
    """True when the user holds one of `roles` in `agency` or an agency above
    it; with no agency, in any agency. Superusers are system administrators
    everywhere."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    wanted = _as_set(roles)
    if user.is_superuser and Role.SYSTEM_ADMIN in wanted:
        return True
    for role, path in _assignments(user):
        # The system administrator configures the whole installation: that
        # role is not limited to the subtree of the agency it is held in.
        if role in wanted and (agency is None or role == Role.SYSTEM_ADMIN or agency.path.startswith(path)):
            return True
    return False


def require_role(user, roles: str | Iterable[str], agency=None, message: str | None = None) -> None:
    if not has_role(user, roles, agency):
        names = ", ".join(Role(r).label for r in sorted(_as_set(roles)))
        where = f" tại {agency.name}" if agency is not None else ""
        raise PermissionDenied(message or f"Thao tác này cần vai trò {names}{where}.")


def agencies_in_scope(user, roles: str | Iterable[str]):
    """Every agency where the user holds one of `roles`, with their subtrees."""
    from tinhso.agencies.models import Agency

    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    wanted = _as_set(roles)
    if user.is_superuser and Role.SYSTEM_ADMIN in wanted:
        return Agency.objects.all()
    held = [(role, path) for role, path in _assignments(user) if role in wanted]
    if any(role == Role.SYSTEM_ADMIN for role, _ in held):
        return Agency.objects.all()
    return agencies_under({path for _, path in held})


def agencies_under(paths):
    """The agencies in the subtrees whose materialised paths are given (none
    for no path)."""
    from tinhso.agencies.models import Agency

    if not paths:
        return Agency.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Agency.objects.filter(condition)


# Agencies that are units of their own: staff of a department are not the provincial committee's own staff, nor
# are a commune's the city's.
SELF_GOVERNING_KINDS = ("provincial_committee", "department", "commune_committee")


def own_paths(agency, paths) -> list[str]:
    """Of the agency paths `paths`, those of `agency` itself or of an agency
    below it reached without entering another self-governing unit (a
    department, a people's committee): its divisions, office, service centre."""
    from tinhso.agencies.models import Agency

    def below(path):
        return {int(x) for x in path[len(agency.path):].strip("/").split("/") if x}

    inside = [p for p in paths if p.startswith(agency.path)]
    between = set().union(*(below(p) for p in inside)) if inside else set()
    units = set(Agency.objects.filter(pk__in=between, kind__in=SELF_GOVERNING_KINDS)
                .values_list("pk", flat=True)) if between else set()
    return [p for p in inside if not below(p) & units]


def works_in(user, agency) -> bool:
    """True when the user holds a role today in `agency` itself or in one of
    its own divisions, office or service centre (`own_paths`) — its own staff —
    unlike `has_role`, which a role held above it also satisfies: for what only
    the unit's own people may attest (a commune's attendance at a meeting, its
    digital teams' activities)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(own_paths(agency, [path for _role, path in _assignments(user)]))


def units_worked_in(user) -> set[int]:
    """Ids of every agency `works_in(user, agency)` is true for: each agency
    the user holds a role in today, and the agencies above it up to and
    including the first self-governing one (the commune's people's committee
    above its service centre, a department above its division), not beyond.
    One query, for list filtering ("the meetings of my unit")."""
    from tinhso.agencies.models import Agency

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    lines = [[int(x) for x in path.strip("/").split("/") if x] for _role, path in _assignments(user)]
    ids = set().union(*lines) if lines else set()
    units = set(Agency.objects.filter(pk__in=ids, kind__in=SELF_GOVERNING_KINDS).values_list("pk", flat=True)) \
        if ids else set()
    out = set()
    for line in lines:
        for pk in reversed(line):  # from the agency the role is held in, upwards
            out.add(pk)
            if pk in units:
                break
    return out
