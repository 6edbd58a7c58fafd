import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tinhso.dashboard import actions
from tinhso.dashboard.access import in_scope, province_wide, resolve_scope, visible_agencies
from tinhso.dashboard.models import KpiTarget


def test_scope_rules(data):
    w = data.w
    # province-wide: the provincial committee's leader, the operations centre, the administrator
    for user in (data.province_leader, data.operations, w.admin):
        assert province_wide(user)
        assert resolve_scope(user).agency is None
        assert resolve_scope(user, w.other_committee.pk).agency == w.other_committee
    # a commune leader: their commune and what is under it, by default their commune
    assert not province_wide(w.leader)
    assert resolve_scope(w.leader).agency == w.committee
    assert resolve_scope(w.leader, w.centre.pk).agency == w.centre
    assert in_scope(w.head, w.centre) and not in_scope(w.head, w.other_committee)
    assert set(visible_agencies(w.leader)) == {w.committee, w.centre}
    with pytest.raises(PermissionDenied):
        resolve_scope(w.leader, w.other_committee.pk)
    with pytest.raises(PermissionDenied):
        resolve_scope(w.leader, data.provincial.pk)
    with pytest.raises(NotFound):
        resolve_scope(w.leader, 987654)
    # no dashboard role at all
    for user in (w.clerk, w.specialist, w.outsider):
        with pytest.raises(PermissionDenied):
            resolve_scope(user)


def test_a_leader_of_a_department_is_not_province_wide(data):
    from tinhso.testing import make_agency, make_staff

    department = make_agency("000.00.11.H13", "Sở Xây dựng", parent=data.provincial, kind="department")
    leader = make_staff("lanhdao.sxd", roles=[("leader", department)])
    assert not province_wide(leader)
    assert resolve_scope(leader).agency == department
    with pytest.raises(PermissionDenied):
        resolve_scope(leader, data.w.committee.pk)


def test_create_update_delete_target_audited(data):
    w = data.w
    target = actions.create_target(acting_user=w.admin, indicator="online_share", target="55.5", agency=w.committee,
                                   valid_from=datetime.date(2026, 1, 1), basis="Kế hoạch 12/KH-UBND")
    assert target.target == Decimal("55.50") and target.agency == w.committee and not target.verified
    assert AuditEvent.objects.filter(action="dashboard.target.created", object_id=str(target.pk)).exists()
    actions.update_target(acting_user=w.admin, kpi=target, target=Decimal("60"), verified=True)
    target.refresh_from_db()
    assert target.target == Decimal("60.00") and target.verified
    event = AuditEvent.objects.get(action="dashboard.target.updated", object_id=str(target.pk))
    assert event.changes["target"] == ["55.50", "60.00"]
    actions.delete_target(acting_user=w.admin, kpi=target)
    assert not KpiTarget.objects.filter(pk=target.pk).exists()
    assert AuditEvent.objects.filter(action="dashboard.target.deleted", object_id=str(target.pk)).exists()


def test_only_administrators_change_targets(data):
    for user in (data.w.leader, data.province_leader, data.operations):
        with pytest.raises(PermissionDenied):
            actions.create_target(acting_user=user, indicator="online_share", target=50)
    assert not KpiTarget.objects.exists()


def test_target_validation(data):
    admin = data.w.admin
    with pytest.raises(InvalidInput) as exc:
        actions.create_target(acting_user=admin, indicator="dti", target=120)
    assert {e["field"] for e in exc.value.errors} == {"indicator", "target"}
    for bad in ("abc", "nan", "NaN", "inf"):  # "nan" used to reach a comparison that raises (a 500)
        with pytest.raises(InvalidInput):
            actions.create_target(acting_user=admin, indicator="online_share", target=bad)
    with pytest.raises(InvalidInput) as exc:
        actions.create_target(acting_user=admin, indicator="online_share", target=50,
                              valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2025, 1, 1))
    assert exc.value.errors[0]["field"] == "valid_to"


def test_overlapping_targets_are_refused(data):
    admin = data.w.admin
    actions.create_target(acting_user=admin, indicator="online_share", target=50, valid_to=datetime.date(2025, 12, 31))
    with pytest.raises(Conflict):
        actions.create_target(acting_user=admin, indicator="online_share", target=60,
                              valid_from=datetime.date(2025, 6, 1))
    # the next period, another agency, another indicator: all fine
    actions.create_target(acting_user=admin, indicator="online_share", target=60, valid_from=datetime.date(2026, 1, 1))
    actions.create_target(acting_user=admin, indicator="online_share", target=70, agency=data.w.committee)
    actions.create_target(acting_user=admin, indicator="on_time_rate", target=95)
    assert KpiTarget.objects.count() == 4


def test_seed_migration_sets_unverified_defaults(db):
    KpiTarget.objects.all().delete()
    migration = importlib.import_module("tinhso.dashboard.migrations.0002_seed_targets")
    migration.seed(django_apps, None)
    migration.seed(django_apps, None)  # idempotent
    seeded = {t.indicator: t for t in KpiTarget.objects.all()}
    assert set(seeded) == {"online_share", "on_time_rate"} and len(KpiTarget.objects.all()) == 2
    assert seeded["online_share"].target == Decimal("50.00")
    assert not any(t.verified for t in seeded.values())
    assert all(t.agency_id is None and t.valid_from is None for t in seeded.values())
