"""The staff home page shows each person their work with counts, scoped to
their roles and agencies; the inbox tabs count the same, in one query."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tinhso.dossiers import actions
from tinhso.dossiers.inbox import inbox_counts, inbox_queryset
from tinhso.dossiers.tests.conftest import receive, vn


def _cards(client, user) -> dict[str, int]:
    client.force_login(user)
    html = client.get("/").content.decode()
    return {tab: int(count) for tab, count in
            re.findall(r'href="/dossiers/\?tab=(\w+)">\s*<span class="work-count">(\d+)</span>', html)}


def _scenario(w):
    """Three dossiers received in March (overdue now): one stays with the clerk,
    one goes to the specialist, one on through the head of division to the leader."""
    kept = receive(w, key="a")
    with_specialist = actions.forward(acting_user=w.clerk, dossier=receive(w, key="b"), receiver=w.specialist,
                                      at=vn(2026, 3, 2, 9, 0))
    d = actions.forward(acting_user=w.clerk, dossier=receive(w, key="c"), receiver=w.specialist,
                        at=vn(2026, 3, 2, 9, 0))
    d = actions.forward(acting_user=w.specialist, dossier=d, receiver=w.head, at=vn(2026, 3, 2, 10, 0))
    with_leader = actions.forward(acting_user=w.head, dossier=d, receiver=w.leader, at=vn(2026, 3, 2, 11, 0))
    return kept, with_specialist, with_leader


def test_each_person_sees_their_own_work_with_counts(client, world):
    kept, with_specialist, with_leader = _scenario(world)
    assert with_leader.current_handler == world.leader
    clerk = _cards(client, world.clerk)
    assert clerk["todo"] == 1 and clerk["approve"] == 0 and clerk["online"] == 0 and clerk["return"] == 0
    assert clerk["overdue"] == 3
    specialist = _cards(client, world.specialist)
    assert specialist["todo"] == 1 and specialist["approve"] == 0
    leader = _cards(client, world.leader)
    assert leader["todo"] == 1 and leader["approve"] == 1
    # Another commune's staff see none of it.
    outsider = _cards(client, world.outsider)
    assert set(outsider.values()) == {0}


def test_the_cards_link_to_the_inbox_tab_that_holds_the_same_dossiers(client, world):
    kept, with_specialist, with_leader = _scenario(world)
    client.force_login(world.leader)
    html = client.get("/dossiers/?tab=approve").content.decode()
    assert with_leader.code in html and kept.code not in html and with_specialist.code not in html


def test_counts_take_one_aggregate_query_and_equal_the_tab_lists(world, settings):
    # The calendar re-reads its revision token every few seconds; on a slow
    # machine that re-check could fall between the two calls and count as a query.
    settings.TINHSO_CALENDAR_RECHECK_SECONDS = 3600
    _scenario(world)
    now = timezone.now()
    for user in (world.clerk, world.specialist, world.head, world.leader, world.outsider):
        with CaptureQueriesContext(connection) as queries:
            counts = inbox_counts(user, now)
        role_and_calendar = 3  # the user's roles (cached after) and the calendar (cached after)
        assert len(queries) <= 1 + role_and_calendar
        with CaptureQueriesContext(connection) as queries:
            inbox_counts(user, now)
        assert len(queries) == 2  # the due-soon rule (dated data) and the counts
        assert counts == {tab: inbox_queryset(user, tab, now).count() for tab in counts}


def test_a_catalogue_manager_without_dossier_roles_sees_no_work_cards(client, agency):
    from tinhso.testing import make_staff

    manager = make_staff("danhmuc", roles=[("catalogue_manager", agency)])
    client.force_login(manager)
    html = client.get("/").content.decode()
    assert "work-count" not in html and "Việc của bạn" not in html
