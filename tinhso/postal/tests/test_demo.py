import pytest
from django.core.management import call_command

from tinhso.dossiers.models import DossierEvent
from tinhso.nationalportal.models import SandboxRecord, SyncItem, SyncStatus
from tinhso.postal.models import Shipment


@pytest.mark.django_db
def test_the_demo_has_shipments_in_the_history_and_a_drained_sync_outbox(settings):
    settings.TINHSO_POSTAL_SANDBOX = settings.TINHSO_NATIONAL_PORTAL_SANDBOX = True
    call_command("seed_demo")
    shipments = list(Shipment.objects.all())
    assert len(shipments) >= 2 and all(s.tracking_number for s in shipments)
    assert DossierEvent.objects.filter(action="postal_picked_up").exists()
    assert SyncItem.objects.count() == DossierEvent.objects.count()  # every demo event went through the outbox
    sent = SyncItem.objects.filter(status=SyncStatus.SENT).count()
    assert sent and SandboxRecord.objects.count() == sent
    assert SyncItem.objects.filter(status=SyncStatus.PENDING).exists()  # the last day's events still wait
    call_command("seed_demo")
    assert Shipment.objects.count() == len(shipments)
