import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from tinhso.dossiers import actions
from tinhso.dossiers.models import DossierEvent
from tinhso.dossiers.tests.conftest import receive
from tinhso.nationalportal.models import SandboxRecord, SyncItem, SyncStatus
from tinhso.nationalportal.sender import send_pending


def _run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, fn):
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_job_runs_at_once_never_send_a_row_twice(world, portal):
    if connection.vendor != "postgresql":
        pytest.skip("row claiming under real concurrency is tested on PostgreSQL")
    dossiers = [receive(world) for _ in range(6)]
    for d in dossiers[:3]:
        actions.forward(acting_user=world.clerk, dossier=d, receiver=world.specialist)
    total = DossierEvent.objects.count()
    results = _run_together(lambda: send_pending(), lambda: send_pending())
    assert all(isinstance(r, dict) for r in results), results
    send_pending(now=timezone.now())  # whatever a run left for the next one
    sync_calls = [c for c in portal.calls if c[1].endswith("/DongBoHoSoMC")]
    assert len(sync_calls) == total  # each row sent once, by one of the two runs
    assert sum(r["sent"] for r in results) <= total
    assert SandboxRecord.objects.count() == total
    assert SyncItem.objects.filter(status=SyncStatus.SENT).count() == total
    for d in dossiers:
        assert list(SandboxRecord.objects.filter(dossier_code=d.code).order_by("id").values_list("key", flat=True)) \
            == [str(pk) for pk in DossierEvent.objects.filter(dossier=d).order_by("id").values_list("id", flat=True)]
