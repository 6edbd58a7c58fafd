"""Rules as dated data: the value in force at a moment, changes only from now
on, bad values refused in Vietnamese, and the one-stop-shop's four rules
following them."""

import datetime

import pytest
from django.utils import timezone

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.dossiers import actions as dossier_actions
from tinhso.dossiers.models import Status
from tinhso.dossiers.tests.conftest import pdf, receive, vn, world  # noqa: F401
from tinhso.policies import actions
from tinhso.policies.models import Policy
from tinhso.policies.rules import value


def _to_leader(w):
    d = receive(w)
    d = dossier_actions.forward(acting_user=w.clerk, dossier=d, receiver=w.specialist)
    d = dossier_actions.forward(acting_user=w.specialist, dossier=d, receiver=w.head)
    return dossier_actions.forward(acting_user=w.head, dossier=d, receiver=w.leader)


def test_the_value_in_force_is_the_latest_row_at_or_before_the_moment(db):
    assert value("dossiers.max_supplement_requests") == 1  # the default: today's reading
    actions.schedule(acting_user=None, key="dossiers.max_supplement_requests", value=2,
                     effective_from=vn(2026, 7, 1, 0, 0))
    assert value("dossiers.max_supplement_requests", vn(2026, 6, 30, 23, 59)) == 1
    assert value("dossiers.max_supplement_requests", vn(2026, 7, 1, 0, 0)) == 2


def test_an_administrator_schedules_from_now_on_only_and_bad_values_are_refused(db, world):  # noqa: F811
    with pytest.raises(PermissionDenied):
        actions.schedule(acting_user=world.leader, key="dossiers.max_supplement_requests", value=2,
                         effective_from=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(InvalidInput) as exc:
        actions.schedule(acting_user=world.admin, key="dossiers.max_supplement_requests", value=2,
                         effective_from=timezone.now() - datetime.timedelta(days=1))
    assert "quá khứ" in exc.value.message
    for bad in ("nhiều", -1, 99, True):
        with pytest.raises(InvalidInput) as exc:
            actions.schedule(acting_user=world.admin, key="dossiers.max_supplement_requests", value=bad,
                             effective_from=timezone.now() + datetime.timedelta(days=1))
        assert "số nguyên" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        actions.schedule(acting_user=world.admin, key="dossiers.finish_roles", value="leader, janitor",
                         effective_from=timezone.now() + datetime.timedelta(days=1))
    assert "janitor" in exc.value.message
    actions.schedule(acting_user=world.admin, key="dossiers.finish_roles", value="leader",
                     effective_from=timezone.now() + datetime.timedelta(days=1), note="Quyết định số 1")
    assert Policy.objects.get(key="dossiers.finish_roles").value == ["leader"]
    assert AuditEvent.objects.filter(action="policies.scheduled").count() == 1


def test_the_supplement_limit_follows_the_rule_in_force(world):  # noqa: F811
    actions.schedule(acting_user=None, key="dossiers.max_supplement_requests", value=0,
                     effective_from=vn(2026, 3, 2, 8, 30))
    before = receive(world, key="a", at=vn(2026, 3, 2, 8, 0))
    d = dossier_actions.request_supplement(acting_user=world.clerk, dossier=before, reason="Thiếu giấy tờ",
                                           at=vn(2026, 3, 2, 8, 10))
    assert d.status == Status.SUPPLEMENT  # the old rule (1) governed that moment
    after = receive(world, key="b", at=vn(2026, 3, 2, 9, 0))
    with pytest.raises(InvalidInput):
        dossier_actions.request_supplement(acting_user=world.clerk, dossier=after, reason="Thiếu giấy tờ",
                                           at=vn(2026, 3, 2, 9, 10))


def test_who_may_finish_follows_the_rule(world):  # noqa: F811
    from tinhso.dossiers.rules import allowed_actions

    d = _to_leader(world)
    assert "finish" in allowed_actions(world.leader, d)
    actions.schedule(acting_user=None, key="dossiers.finish_roles", value=["clerical_office"],
                     effective_from=timezone.now() - datetime.timedelta(minutes=5))
    from tinhso.dossiers.models import Dossier

    d = Dossier.objects.get(pk=d.pk)  # a new request reads the dossier afresh
    assert "finish" not in allowed_actions(world.leader, d)
    with pytest.raises(InvalidInput):
        dossier_actions.finish(acting_user=world.leader, dossier=d, result_summary="x", result_files=[pdf()])


def test_a_wait_that_no_longer_pauses_the_clock_does_not_move_the_due_time(world):  # noqa: F811
    actions.schedule(acting_user=None, key="dossiers.pausing_reasons", value=["payment"],
                     effective_from=vn(2026, 1, 1, 0, 0))
    d = receive(world, at=vn(2026, 3, 2, 8, 0))
    due = d.due_at
    d = dossier_actions.request_supplement(acting_user=world.clerk, dossier=d, reason="Thiếu giấy tờ",
                                           at=vn(2026, 3, 2, 9, 0))
    d = dossier_actions.accept_supplement(acting_user=world.clerk, dossier=d, at=vn(2026, 3, 4, 9, 0))
    assert d.due_at == due  # the two days waiting for the supplement count against the deadline


def test_the_due_soon_window_is_the_rule_in_force(db):
    from tinhso.dossiers.policies import due_soon_window

    assert due_soon_window() == datetime.timedelta(hours=8)
    actions.schedule(acting_user=None, key="dossiers.due_soon_working_hours", value=16,
                     effective_from=timezone.now() - datetime.timedelta(minutes=1))
    assert due_soon_window() == datetime.timedelta(hours=16)


def test_the_page_lists_rules_and_schedules_a_change(client, world):  # noqa: F811
    client.force_login(world.admin)
    html = client.get("/policies/").content.decode()
    assert "Số lần cơ quan giải quyết yêu cầu bổ sung" in html
    when = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/policies/dossiers.max_supplement_requests/", {"value": "2", "effective_from": when,
                                                                         "note": "Thông tư mới"})
    assert response.status_code == 302
    response = client.post("/policies/dossiers.max_supplement_requests/", {"value": "abc", "effective_from": when})
    assert "số nguyên" in response.content.decode()
    client.force_login(world.clerk)
    assert client.get("/policies/").status_code == 403
