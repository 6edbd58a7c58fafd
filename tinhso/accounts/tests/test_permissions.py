import datetime

import pytest

from tinhso.accounts import actions
from tinhso.accounts.models import Role
from tinhso.accounts.permissions import agencies_in_scope, has_role, require_role
from tinhso.audit.models import AuditEvent
from tinhso.core.errors import Conflict, PermissionDenied
from tinhso.testing import make_agency, make_staff


@pytest.fixture
def tree(province, commune):
    committee = make_agency("000.00.00.H13", "UBND thành phố", unit=province, kind="provincial_committee")
    department = make_agency("000.00.11.H13", "Sở Xây dựng", parent=committee)
    division = make_agency("000.01.11.H13", "Phòng Quản lý xây dựng", parent=department, kind="division")
    other = make_agency("000.00.10.H13", "Sở Tư pháp", parent=committee)
    ward = make_agency("000.31321.H13", "UBND phường Vị Thanh", unit=commune, parent=committee,
                       kind="commune_committee")
    return {"committee": committee, "department": department, "division": division, "other": other, "ward": ward}


def test_a_role_covers_its_agency_and_the_agencies_below(tree):
    leader = make_staff("leader", roles=[(Role.LEADER, tree["department"])])
    assert has_role(leader, Role.LEADER, tree["department"])
    assert has_role(leader, Role.LEADER, tree["division"])
    assert not has_role(leader, Role.LEADER, tree["other"])
    assert not has_role(leader, Role.LEADER, tree["committee"])
    assert not has_role(leader, Role.SPECIALIST, tree["division"])
    assert set(agencies_in_scope(leader, Role.LEADER)) == {tree["department"], tree["division"]}


def test_a_person_can_hold_several_roles_in_several_agencies(tree):
    user = make_staff("multi", roles=[(Role.CLERK, tree["ward"]), (Role.SPECIALIST, tree["division"])])
    assert has_role(user, Role.CLERK, tree["ward"]) and has_role(user, Role.SPECIALIST, tree["division"])
    assert not has_role(user, Role.CLERK, tree["division"])


def test_expired_assignment_and_inactive_user_grant_nothing(tree):
    user = make_staff("expired")
    actions.assign_role(acting_user=None, user=user, agency=tree["division"], role=Role.SPECIALIST,
                        valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2024, 12, 31))
    assert not has_role(user, Role.SPECIALIST, tree["division"])
    active = make_staff("gone", roles=[(Role.CLERK, tree["ward"])])
    active.is_active = False
    assert not has_role(active, Role.CLERK, tree["ward"])


def test_require_role_says_which_role_is_missing_in_vietnamese(tree):
    user = make_staff("clerk", roles=[(Role.CLERK, tree["ward"])])
    with pytest.raises(PermissionDenied) as info:
        require_role(user, Role.LEADER, tree["division"])
    assert "Lãnh đạo đơn vị" in info.value.message and "Phòng Quản lý xây dựng" in info.value.message


def test_only_system_admin_assigns_roles_and_it_is_audited(tree, admin_user):
    target = make_staff("newbie")
    clerk = make_staff("clerk2", roles=[(Role.CLERK, tree["ward"])])
    with pytest.raises(PermissionDenied):
        actions.assign_role(acting_user=clerk, user=target, agency=tree["ward"], role=Role.CLERK)
    actions.assign_role(acting_user=admin_user, user=target, agency=tree["ward"], role=Role.CLERK)
    assert has_role(target, Role.CLERK, tree["ward"])
    event = AuditEvent.objects.get(action="accounts.role.assigned")
    assert event.actor == admin_user and event.changes == {"role": "clerk", "agency": "000.31321.H13"}
    with pytest.raises(Conflict):
        actions.assign_role(acting_user=admin_user, user=target, agency=tree["ward"], role=Role.CLERK)
