import pytest

from tinhso.core.errors import Conflict
from tinhso.dossiers import actions
from tinhso.dossiers.jobs import flag_deadlines
from tinhso.dossiers.models import Dossier, DossierEvent
from tinhso.dossiers.tests.conftest import receive, vn
from tinhso.notifications.models import Notification
from tinhso.testing import run_together


def _running(counts: dict) -> dict:
    """The counts of the running dossiers (the online-check and supplement alerts have their own tests)."""
    return {k: counts[k] for k in ("due_soon", "overdue")}


def test_due_soon_and_overdue_are_flagged_once_and_handlers_told(world):
    d = receive(world)  # due Thu 5 Mar 08:00
    d = actions.forward(acting_user=world.clerk, dossier=d, receiver=world.specialist, at=vn(2026, 3, 2, 9, 0))
    assert _running(flag_deadlines(at=vn(2026, 3, 3, 8, 0))) == {"due_soon": 0, "overdue": 0}
    assert _running(flag_deadlines(at=vn(2026, 3, 4, 9, 0))) == {"due_soon": 1, "overdue": 0}
    assert _running(flag_deadlines(at=vn(2026, 3, 4, 9, 30))) == {"due_soon": 0, "overdue": 0}
    assert Notification.objects.filter(recipient=world.specialist, kind="dossier.due_soon").count() == 1
    assert _running(flag_deadlines(at=vn(2026, 3, 5, 9, 0))) == {"due_soon": 0, "overdue": 1}
    assert Notification.objects.filter(recipient=world.leader, kind="dossier.overdue").count() == 1
    assert _running(flag_deadlines(at=vn(2026, 3, 6, 9, 0))) == {"due_soon": 0, "overdue": 0}


@pytest.mark.django_db(transaction=True)
def test_two_staff_acting_at_once_one_wins_the_other_is_told(world):
    d = receive(world)
    d = actions.forward(acting_user=world.clerk, dossier=d, to_step=world.case.steps.get(order=2))
    seen = d.version
    results = run_together(
        lambda: actions.forward(acting_user=world.specialist, dossier=d, version=seen),
        lambda: actions.request_supplement(acting_user=world.specialist2, dossier=d, reason="Thiếu giấy",
                                           version=seen))
    wins = [r for r in results if isinstance(r, Dossier)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(wins) == 1 and len(conflicts) == 1, results
    d.refresh_from_db()
    assert d.version == seen + 1
    assert DossierEvent.objects.filter(dossier=d).count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_receptions_never_share_a_code(world):
    results = run_together(*[lambda: receive(world) for _ in range(6)])
    assert all(isinstance(r, Dossier) for r in results), results
    codes = [r.code for r in results]
    assert len(set(codes)) == 6
    assert sorted(c[-4:] for c in codes) == ["0001", "0002", "0003", "0004", "0005", "0006"]


@pytest.mark.django_db(transaction=True)
def test_the_same_request_sent_twice_at_once_creates_one_dossier(world):
    results = run_together(lambda: receive(world, key="k-42"), lambda: receive(world, key="k-42"))
    assert Dossier.objects.count() == 1
    made = [r for r in results if isinstance(r, Dossier)]
    assert made and all(r.pk == made[0].pk for r in made)
    assert all(isinstance(r, (Dossier, Conflict)) for r in results), results
