"""The server-to-server callback: verified, idempotent, replay-safe, logged,
and never a 500."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tinhso.audit.models import AuditEvent
from tinhso.dossiers.models import Status
from tinhso.payments import actions, gateway
from tinhso.payments.models import GatewayMessage
from tinhso.payments.tests.conftest import in_processing, result_message

pytestmark = pytest.mark.django_db
CALLBACK = "/thanh-toan/cong/thong-bao/"


@pytest.fixture
def pending(fees, citizen, paygov, receipts):
    d = in_processing(fees, citizen)
    payment = actions.create_payment_request(acting_user=fees.specialist, dossier=d)
    actions.start_online_payment(acting_user=citizen, payment=payment)
    payment.refresh_from_db()
    return payment


def post(fields, json=False):
    client = Client(enforce_csrf_checks=True)
    if json:
        return client.post(CALLBACK, fields, content_type="application/json")
    return client.post(CALLBACK, fields)


def test_a_verified_callback_marks_paid(pending, receipts):
    response = post(result_message(pending))
    assert response.status_code == 200 and response.json()["MaLoi"] == "00"
    pending.refresh_from_db()
    assert pending.status == "paid" and pending.gateway_transaction_id == "GD0001"
    assert pending.dossier.status == Status.PROCESSING
    assert len(receipts) == 1


def test_json_callback_is_accepted_too(pending):
    response = post(result_message(pending), json=True)
    assert response.status_code == 200 and response.json()["MaLoi"] == "00"


def test_a_forged_callback_is_refused_and_the_dossier_stays_unpaid(pending, receipts):
    forged = result_message(pending)
    forged["MaXacThuc"] = gateway.compute_hash(forged, "result", secret="khoa-doan-bua")
    response = post(forged)
    assert response.status_code == 400 and response.json()["MaLoi"] == "97"
    pending.refresh_from_db()
    assert pending.status == "pending" and pending.gateway_transaction_id is None
    assert pending.dossier.status == Status.PAYMENT
    assert receipts == []
    logged = GatewayMessage.objects.get(kind="result", direction="in")
    assert not logged.verified and not logged.applied and logged.outcome == "bad_signature"
    assert AuditEvent.objects.filter(action="payments.callback_rejected").count() == 1
    # the real callback with the same transaction id still goes through afterwards
    assert post(result_message(pending)).json()["MaLoi"] == "00"


def test_a_tampered_amount_breaks_the_signature(pending):
    message = result_message(pending)
    message["SoTien"] = "1000"
    assert post(message).json()["MaLoi"] == "97"


def test_a_replayed_callback_changes_nothing_the_second_time(pending, receipts):
    message = result_message(pending)
    assert post(message).json()["MaLoi"] == "00"
    pending.refresh_from_db()
    first = (pending.status, pending.paid_at, pending.updated_at)
    events = pending.dossier.events.count()

    again = post(message)
    assert again.status_code == 200 and again.json() == {"MaLoi": "02", "MoTa": "Giao dịch đã được xử lý trước đó"}
    pending.refresh_from_db()
    assert (pending.status, pending.paid_at, pending.updated_at) == first
    assert pending.dossier.events.count() == events
    assert len(receipts) == 1
    assert AuditEvent.objects.filter(action="payments.paid").count() == 1
    assert GatewayMessage.objects.filter(kind="result", applied=True).count() == 1


def test_another_message_with_a_used_transaction_id_is_refused(pending, fees, citizen, receipts):
    assert post(result_message(pending)).json()["MaLoi"] == "00"
    # the same transaction id, another (signed) message for the same reference
    later = result_message(pending, ThoiGianGD=gateway.format_time(timezone.now() + datetime.timedelta(seconds=5)))
    response = post(later)
    assert response.status_code == 400 and response.json()["MaLoi"] == "03"
    # ... or for another request
    other = actions.create_payment_request(acting_user=fees.clerk, dossier=pending.dossier, moment="at_return",
                                           lines=[{"name": "Phí khác", "kind": "fee", "amount": 50000}])
    response = post(result_message(other))
    assert response.json()["MaLoi"] == "03"
    other.refresh_from_db()
    assert other.status == "pending"
    assert len(receipts) == 1


def test_wrong_amount_is_refused(pending, receipts):
    response = post(result_message(pending, SoTien="49000"))
    assert response.status_code == 400 and response.json()["MaLoi"] == "04"
    pending.refresh_from_db()
    assert pending.status == "pending" and receipts == []
    assert GatewayMessage.objects.get(outcome="amount_mismatch").verified


def test_unknown_reference_is_refused(pending):
    response = post(result_message(pending, MaThamChieu="TS000000DEADBEEF"))
    assert response.status_code == 400 and response.json()["MaLoi"] == "01"


def test_transaction_time_outside_the_window_is_refused(pending):
    old = gateway.format_time(timezone.now() - datetime.timedelta(hours=2))
    response = post(result_message(pending, ThoiGianGD=old))
    assert response.json()["MaLoi"] == "05"
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_a_second_successful_payment_is_refused_and_reported(pending):
    assert post(result_message(pending)).json()["MaLoi"] == "00"
    response = post(result_message(pending, MaGiaoDich="GD0002"))
    assert response.json()["MaLoi"] == "06"
    message = GatewayMessage.objects.get(transaction_id="GD0002")
    assert message.verified and message.outcome == "not_payable"


def test_a_failed_payment_is_acknowledged_and_changes_nothing(pending, receipts):
    response = post(result_message(pending, MaLoi="24", MaGiaoDich="GD0009"))
    assert response.status_code == 200 and response.json()["MaLoi"] == "00"
    pending.refresh_from_db()
    assert pending.status == "pending" and pending.gateway_status == "02" and receipts == []


@pytest.mark.parametrize("body, content_type", [
    ("", "application/x-www-form-urlencoded"),
    ("not json", "application/json"),
    ("[1, 2]", "application/json"),
    ("MaThamChieu=%FF%FE&SoTien=abc", "application/x-www-form-urlencoded"),
])
def test_garbage_never_gives_a_500(pending, body, content_type):
    response = Client().post(CALLBACK, body, content_type=content_type)
    assert response.status_code == 400 and response.json()["MaLoi"] in ("99", "97")


def test_get_is_not_allowed(db):
    assert Client().get(CALLBACK).status_code == 405
