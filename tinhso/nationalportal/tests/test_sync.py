"""Done means: dossiers are received while the national portal is stopped,
and once it is back every event reaches it exactly once and in order."""

import datetime

import pytest
from django.utils import timezone

from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.dossiers import actions
from tinhso.dossiers.models import DossierEvent, Status
from tinhso.dossiers.tests.conftest import receive, vn
from tinhso.integration.models import MessageLog
from tinhso.nationalportal import actions as np_actions
from tinhso.nationalportal.models import SandboxRecord, SyncItem, SyncStatus
from tinhso.nationalportal.sender import send_pending

LATER = datetime.timedelta(hours=3)


def _sync_calls(adapter):
    return [c for c in adapter.calls if c[1].endswith("/DongBoHoSoMC")]


def _stored_in_order(dossier):
    return list(SandboxRecord.objects.filter(dossier_code=dossier.code).order_by("id").values_list("key", flat=True))


def _events(dossier):
    return [str(pk) for pk in DossierEvent.objects.filter(dossier=dossier).order_by("id").values_list("id", flat=True)]


def _two_dossiers(world):
    first = receive(world, at=vn(2026, 3, 2, 8, 0))
    first = actions.forward(acting_user=world.clerk, dossier=first, receiver=world.specialist, at=vn(2026, 3, 2, 9, 0))
    first = actions.request_supplement(acting_user=world.specialist, dossier=first, reason="Thiếu giấy xác nhận",
                                       at=vn(2026, 3, 2, 10, 0))
    second = receive(world, at=vn(2026, 3, 2, 8, 30))
    return first, second


def test_every_event_gets_one_outbox_row_in_its_own_transaction(world, portal):
    first, second = _two_dossiers(world)
    rows = SyncItem.objects.order_by("id")
    assert [r.key for r in rows] == [str(pk) for pk in DossierEvent.objects.order_by("id").values_list("id", flat=True)]
    assert [r.status_code for r in rows if r.dossier_id == first.pk] == [Status.RECEIVED, Status.PROCESSING,
                                                                         Status.SUPPLEMENT]
    with pytest.raises(InvalidInput):  # a refused transition writes nothing, neither event nor outbox row
        actions.request_supplement(acting_user=world.clerk, dossier=second, reason="")
    assert SyncItem.objects.count() == DossierEvent.objects.count() == 4


def test_reception_goes_on_while_the_portal_is_down_and_everything_syncs_once_in_order_after(world, portal):
    portal.down.add("/sandbox/dvcqg/")
    first, second = _two_dossiers(world)
    assert first.status == Status.SUPPLEMENT and second.status == Status.RECEIVED
    assert portal.calls == []  # reception never called the portal

    assert send_pending() == {"sent": 0, "retry": 1, "refused": 0}
    waiting = SyncItem.objects.get(key=_events(first)[0])
    assert waiting.status == SyncStatus.PENDING and waiting.attempts == 1
    assert "Không kết nối được Cổng DVCQG" in waiting.last_error
    assert waiting.next_attempt_at > timezone.now()  # backs off
    assert SandboxRecord.objects.count() == 0

    portal.down.clear()
    assert send_pending(now=timezone.now() + LATER)["sent"] == 4
    assert _stored_in_order(first) == _events(first)
    assert _stored_in_order(second) == _events(second)
    assert SyncItem.objects.filter(status=SyncStatus.SENT).count() == 4
    assert set(DossierEvent.objects.values_list("sync_status", flat=True)) == {"synced"}

    calls = len(_sync_calls(portal))
    assert send_pending(now=timezone.now() + LATER)["sent"] == 0  # a second run sends nothing
    assert len(_sync_calls(portal)) == calls
    assert SandboxRecord.objects.count() == 4
    assert MessageLog.objects.filter(service="national-portal", outcome="unavailable").exists()


def test_a_lost_acknowledgement_is_resent_and_the_portal_keeps_one_copy(world, portal):
    first, second = _two_dossiers(world)
    portal.lose = 5  # the first message and its retries reach the portal, no answer comes back
    counts = send_pending()
    assert counts["retry"] == 1 and counts["sent"] == 0
    assert SandboxRecord.objects.count() == 1  # the portal did store it
    assert SyncItem.objects.get(key=_events(first)[0]).status == SyncStatus.PENDING

    portal.lose = 0
    send_pending(now=timezone.now() + LATER)
    send_pending(now=timezone.now() + LATER)
    assert _stored_in_order(first) == _events(first)
    assert _stored_in_order(second) == _events(second)
    assert SandboxRecord.objects.count() == 4
    assert not SyncItem.objects.exclude(status=SyncStatus.SENT).exists()


def test_a_garbage_answer_leaves_the_row_pending_with_a_clear_error_and_later_rows_wait(world, portal):
    first = receive(world)
    actions.forward(acting_user=world.clerk, dossier=first, receiver=world.specialist)
    portal.garbage = True
    send_pending()
    head, later = SyncItem.objects.filter(dossier=first).order_by("id")
    assert head.status == SyncStatus.PENDING and head.attempts == 1
    assert "Cổng DVCQG trả lời không hợp lệ" in head.last_error and "502 Bad Gateway" in head.last_error
    assert later.status == SyncStatus.PENDING and later.attempts == 0  # never overtook the head
    portal.garbage = False
    send_pending(now=timezone.now() + LATER)
    assert _stored_in_order(first) == [head.key, later.key]


def test_a_refused_row_is_failed_blocks_its_dossier_and_is_resent_by_a_leader(world, portal):
    first = receive(world)
    actions.forward(acting_user=world.clerk, dossier=first, receiver=world.specialist)
    other = receive(world)
    head = SyncItem.objects.filter(dossier=first).order_by("id").first()
    good_payload = dict(head.payload)
    SyncItem.objects.filter(pk=head.pk).update(payload={**good_payload, "status": 99})
    assert send_pending() == {"sent": 1, "retry": 0, "refused": 1}  # the other dossier is not held up
    head.refresh_from_db()
    assert head.status == SyncStatus.FAILED and "từ chối" in head.last_error
    assert _stored_in_order(first) == [] and _stored_in_order(other) == _events(other)

    with pytest.raises(PermissionDenied):
        np_actions.resend(acting_user=world.specialist, item_ids=[head.pk])
    with pytest.raises(InvalidInput):
        np_actions.resend(acting_user=world.leader, item_ids=[])
    SyncItem.objects.filter(pk=head.pk).update(payload=good_payload)  # the data was corrected
    assert np_actions.resend(acting_user=world.leader, item_ids=[head.pk]) == 1
    from tinhso.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="nationalportal.sync.resend").count() == 1
    send_pending()
    assert _stored_in_order(first) == _events(first)


def test_the_portal_session_is_renewed_when_it_expires(world, portal, settings):
    receive(world)
    from tinhso.nationalportal.protocol import PortalClient

    client = PortalClient()
    client._session = "expired-or-forged"
    from tinhso.nationalportal.sender import refs_for

    item = SyncItem.objects.get()
    answer = client.sync(item, refs_for([item]))
    assert answer["MaGiaoDich"] == item.key
    record = SandboxRecord.objects.get()
    assert record.body["MaTTHC"] == "1.000894" and record.body["MaCoQuanTiepNhan"] == world.centre.code
    assert record.body["ThanhPhanHoSo"][0]["TenGiayTo"] == "Tờ khai đăng ký kết hôn"
    assert record.body["QuaTrinhXuLy"][0]["DenTrangThai"] == "2"
