import datetime

from django.utils import timezone

from tinhso.dossiers import actions
from tinhso.dossiers.tests.conftest import receive
from tinhso.nationalportal.models import SyncItem, SyncStatus
from tinhso.nationalportal.reconcile import backlog_summary
from tinhso.nationalportal.sender import send_pending


def test_backlog_summary_counts_pending_failed_sent_today_and_the_oldest_age(world, portal):
    first = receive(world)
    send_pending()
    actions.forward(acting_user=world.clerk, dossier=first, receiver=world.specialist)
    receive(world)
    SyncItem.objects.filter(status=SyncStatus.PENDING).update(created_at=timezone.now() - datetime.timedelta(hours=2))
    last = SyncItem.objects.order_by("id").last()
    SyncItem.objects.filter(pk=last.pk).update(status=SyncStatus.FAILED)
    summary = backlog_summary()
    assert summary["pending"] == 1 and summary["failed"] == 1 and summary["sent_today"] == 1
    assert 7190 < summary["oldest_pending_seconds"] < 7300


def test_the_report_lists_what_waits_and_what_differs_from_the_portal(world, portal, client):
    synced = receive(world)
    send_pending()
    waiting = receive(world)
    SyncItem.objects.filter(dossier=waiting).update(status=SyncStatus.FAILED, last_error="Cổng DVCQG từ chối: thiếu mã")
    client.force_login(world.leader)
    day = timezone.localdate().isoformat()
    page = client.get(f"/dong-bo-dvcqg/?ngay={day}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cổng DVCQG từ chối: thiếu mã" in text and waiting.code in text
    assert [d["code"] for d in page.context["differences"]] == [waiting.code]
    assert page.context["differences"][0]["portal"] is None
    assert synced.code not in [d["code"] for d in page.context["differences"]]

    row = SyncItem.objects.get(dossier=waiting)
    response = client.post("/dong-bo-dvcqg/gui-lai/", {"items": [row.pk]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == SyncStatus.PENDING

    summary = client.get("/dong-bo-dvcqg/tong-hop.json").json()
    assert summary["pending"] == 1 and summary["failed"] == 0


def test_the_report_refuses_staff_without_the_role_and_shows_a_message_for_a_bad_day(world, portal, client):
    client.force_login(world.specialist)
    assert client.get("/dong-bo-dvcqg/").status_code == 403
    client.force_login(world.admin)
    page = client.get("/dong-bo-dvcqg/?ngay=hom-qua")
    assert page.status_code == 200 and "Ngày không hợp lệ" in page.content.decode()


def test_the_report_says_so_when_the_portal_cannot_be_asked(world, portal, client):
    receive(world)
    portal.down.add("/sandbox/dvcqg/")
    client.force_login(world.admin)
    page = client.get(f"/dong-bo-dvcqg/?ngay={timezone.localdate().isoformat()}")
    assert page.status_code == 200 and "không trả lời" in page.content.decode()
