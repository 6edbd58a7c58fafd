import pytest
from django.db import connection
from django.utils import timezone

from tinhso.dossiers import actions
from tinhso.dossiers.models import DossierEvent
from tinhso.dossiers.tests.conftest import receive
from tinhso.nationalportal.models import SandboxRecord, SyncItem, SyncStatus
from tinhso.nationalportal.sender import send_pending
from tinhso.testing import run_together


@pytest.mark.django_db(transaction=True)
def test_two_job_runs_at_once_never_send_a_row_twice(world, portal):
    if connection.vendor != "postgresql":
        pytest.skip("row claiming under real concurrency is tested on PostgreSQL")
    dossiers = [receive(world) for _ in range(6)]
    for d in dossiers[:3]:
        actions.forward(acting_user=world.clerk, dossier=d, receiver=world.specialist)
    total = DossierEvent.objects.count()
    results = run_together(lambda: send_pending(), lambda: send_pending())
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
