"""Who is told: the centre's staff, an agency's handlers and leaders."""

from __future__ import annotations

from tinhso.accounts.models import Role, RoleAssignment

CENTRE_ROLES = (Role.OPERATIONS_CENTRE,)
AGENCY_ROLES = (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER)


def _users(rows):
    return [a.user for a in rows.select_related("user")]


def centre_staff():
    return _users(RoleAssignment.objects.active().filter(role__in=CENTRE_ROLES))


def centre_agencies():
    """The agencies where the operations centre's staff work (the IOC)."""
    from tinhso.agencies.models import Agency

    return list(Agency.objects.filter(pk__in=RoleAssignment.objects.active().filter(role__in=CENTRE_ROLES)
                                      .values("agency_id")).select_related("parent"))


def handlers(agency):
    if agency is None:
        return []
    return _users(RoleAssignment.objects.active().filter(role__in=AGENCY_ROLES, agency__path__startswith=agency.path))


def leaders(agency):
    if agency is None:
        return []
    return _users(RoleAssignment.objects.active().filter(role=Role.LEADER, agency=agency))


def parent_leaders(agency):
    return leaders(agency.parent) if agency is not None and agency.parent_id else []
