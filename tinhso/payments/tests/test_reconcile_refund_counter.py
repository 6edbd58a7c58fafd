"""Status-query reconciliation when no callback came, refunds through the
gateway, cash at the counter, cancelling."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.dossiers.models import Status
from tinhso.integration import outbound
from tinhso.payments import actions, gateway
from tinhso.payments.models import GatewayMessage, SandboxTransaction
from tinhso.payments.tasks import reconcile_pending_task
from tinhso.payments.tests.conftest import in_processing, path_of, result_message

pytestmark = pytest.mark.django_db


def pay_on_sandbox(citizen, payment, *, deliver=True, channel="ATM"):
    browser = Client()
    browser.force_login(citizen)
    url = browser.post(f"/thanh-toan/{payment.reference}/")["Location"]
    data = {"channel": channel, "pay": "1"}
    if not deliver:
        data["drop_callback"] = "1"
    return browser.post(path_of(url), data)


@pytest.fixture
def request_(fees, citizen, paygov, receipts):
    d = in_processing(fees, citizen)
    return actions.create_payment_request(acting_user=fees.specialist, dossier=d)


def test_reconciliation_marks_paid_when_no_callback_came(request_, citizen, paygov, receipts):
    pay_on_sandbox(citizen, request_, deliver=False)
    assert not [c for c in paygov.calls if c[1] == "/thanh-toan/cong/thong-bao/"]
    request_.refresh_from_db()
    assert request_.status == "pending" and request_.dossier.status == Status.PAYMENT

    # too early for the job: nothing asked
    assert actions.reconcile_pending() == {}
    later = timezone.now() + datetime.timedelta(minutes=20)
    assert actions.reconcile_pending(at=later) == {"paid": 1}
    request_.refresh_from_db()
    txn = SandboxTransaction.objects.get(reference=request_.reference)
    assert request_.status == "paid" and request_.gateway_transaction_id == txn.transaction_id
    assert request_.gateway_status == "00" and request_.dossier.status == Status.PROCESSING
    assert len(receipts) == 1
    assert ("POST", "/sandbox/paygov/tra-cuu/", 200) in paygov.calls

    # idempotent: asking again changes nothing
    assert actions.reconcile(request_) == "in_agreement"
    assert len(receipts) == 1
    # the callback arriving late is "already processed"
    late = result_message(request_, MaGiaoDich=txn.transaction_id, MaKenhThanhToan="ATM",
                          ThoiGianGD=gateway.format_time(txn.paid_at))
    response = Client().post("/thanh-toan/cong/thong-bao/", late)
    assert response.json()["MaLoi"] == "02"
    assert len(receipts) == 1 and request_.dossier.events.filter(action="confirm_payment").count() == 1


def test_the_periodic_task_runs_the_reconciliation(request_, citizen, settings):
    settings.TINHSO_PAYGOV_RECONCILE_AFTER_MINUTES = 0
    pay_on_sandbox(citizen, request_, deliver=False)
    reconcile_pending_task.call_local()
    request_.refresh_from_db()
    assert request_.status == "paid"


def test_an_abandoned_request_expires_by_the_gateways_answer(request_, citizen):
    actions.start_online_payment(acting_user=citizen, payment=request_)  # never opened the gateway page
    assert actions.reconcile(request_) == "unchanged"  # not yet past the horizon
    outcome = actions.reconcile(request_, at=timezone.now() + datetime.timedelta(days=2))
    assert outcome == "expired"
    request_.refresh_from_db()
    assert request_.status == "expired" and request_.gateway_status == "03"
    # a late payment on an expired request is still recorded (the money is real)
    response = Client().post("/thanh-toan/cong/thong-bao/", result_message(request_))
    assert response.json()["MaLoi"] == "00"
    request_.refresh_from_db()
    assert request_.status == "paid"


def test_reconciliation_with_the_gateway_down_raises_a_clear_error(request_, citizen, paygov):
    actions.start_online_payment(acting_user=citizen, payment=request_)
    paygov_mount = outbound.TRANSPORT_MOUNTS.pop("http://testserver/")
    try:
        from django.test import override_settings

        with override_settings(TINHSO_BASE_URL="http://127.0.0.1:9"):
            with pytest.raises(gateway.GatewayError) as error:
                actions.reconcile(request_)
    finally:
        outbound.TRANSPORT_MOUNTS["http://testserver/"] = paygov_mount
    assert "Không kết nối được cổng thanh toán" in error.value.message
    assert GatewayMessage.objects.filter(kind="query", outcome="unreachable").count() == 1
    request_.refresh_from_db()
    assert request_.status == "pending"


def test_refund_through_the_gateway(request_, citizen, fees, paygov):
    pay_on_sandbox(citizen, request_)
    request_.refresh_from_db()
    assert request_.status == "paid"
    with pytest.raises(PermissionDenied):
        actions.refund_payment(acting_user=fees.clerk, payment=request_, amount=10000, reason="Nộp nhầm")
    with pytest.raises(InvalidInput):
        actions.refund_payment(acting_user=fees.leader, payment=request_, amount=60000, reason="Nộp nhầm")
    with pytest.raises(InvalidInput):
        actions.refund_payment(acting_user=fees.leader, payment=request_, amount=10000, reason=" ")

    actions.refund_payment(acting_user=fees.leader, payment=request_, amount=20000, reason="Thu thừa lệ phí")
    request_.refresh_from_db()
    assert request_.status == "refunded" and request_.refund_amount == 20000 and request_.refunded_at
    assert request_.refund_reference.startswith("HT") and request_.refund_transaction_id.startswith("SBXR")
    txn = SandboxTransaction.objects.get(reference=request_.reference)
    assert txn.status == "refunded" and txn.refunded_amount == 20000
    assert ("POST", "/sandbox/paygov/hoan-tien/", 200) in paygov.calls
    assert GatewayMessage.objects.filter(payment=request_, kind="refund_result", applied=True).count() == 1
    with pytest.raises(InvalidInput):  # once per request
        actions.refund_payment(acting_user=fees.leader, payment=request_, amount=1000, reason="Lần nữa")
    # the gateway now reports it refunded: in agreement
    actions.reconcile(request_)
    request_.refresh_from_db()
    assert request_.gateway_status == "04"


def test_a_refund_the_gateway_refuses_is_not_recorded(request_, citizen, fees):
    pay_on_sandbox(citizen, request_)
    request_.refresh_from_db()
    SandboxTransaction.objects.filter(reference=request_.reference).update(refunded_amount=45000)
    with pytest.raises(InvalidInput) as refused:
        actions.refund_payment(acting_user=fees.leader, payment=request_, amount=20000, reason="Thu thừa")
    assert "từ chối hoàn tiền" in refused.value.message
    request_.refresh_from_db()
    assert request_.status == "paid" and request_.refund_reference is None


def test_counter_payment_by_the_desk_clerk(request_, fees, receipts):
    with pytest.raises(PermissionDenied):
        actions.record_counter_payment(acting_user=fees.outsider, payment=request_)
    with pytest.raises(PermissionDenied):
        actions.record_counter_payment(acting_user=fees.specialist, payment=request_)
    actions.record_counter_payment(acting_user=fees.clerk, payment=request_, receipt_no="0001234")
    request_.refresh_from_db()
    assert request_.status == "paid" and request_.method == "counter" and request_.channel == "TIEN_MAT"
    assert request_.collected_by == fees.clerk and request_.counter_receipt_no == "0001234"
    assert request_.gateway_transaction_id is None
    assert request_.dossier.status == Status.PROCESSING
    last = request_.dossier.events.order_by("-id").first()
    assert last.action == "confirm_payment" and last.sender == fees.clerk
    assert receipts == [{"reference": request_.reference, "status": "paid", "atomic": True}]
    with pytest.raises(InvalidInput):
        actions.record_counter_payment(acting_user=fees.clerk, payment=request_)
    # a cash refund is recorded without the gateway
    actions.refund_payment(acting_user=fees.leader, payment=request_, amount=50000, reason="Dừng xử lý")
    request_.refresh_from_db()
    assert request_.status == "refunded"


def test_counter_payment_refused_when_online_payment_is_required(request_, fees):
    fees.case.online_payment_required = True
    fees.case.save()
    with pytest.raises(InvalidInput):
        actions.record_counter_payment(acting_user=fees.clerk, payment=request_)


def test_cancel(request_, fees, citizen):
    with pytest.raises(PermissionDenied):
        actions.cancel_payment(acting_user=fees.outsider, payment=request_, reason="x")
    with pytest.raises(InvalidInput):
        actions.cancel_payment(acting_user=fees.clerk, payment=request_, reason="")
    actions.cancel_payment(acting_user=fees.clerk, payment=request_, reason="Tính sai số tiền")
    request_.refresh_from_db()
    assert request_.status == "cancelled"
    with pytest.raises(InvalidInput):
        actions.start_online_payment(acting_user=citizen, payment=request_)
    # a paid callback for a cancelled request is refused (to be refunded), not applied
    response = Client().post("/thanh-toan/cong/thong-bao/", result_message(request_))
    assert response.json()["MaLoi"] == "06"


def test_only_the_dossiers_citizen_starts_the_payment(request_):
    from tinhso.payments.tests.conftest import make_citizen

    with pytest.raises(PermissionDenied):
        actions.start_online_payment(acting_user=make_citizen("092095009999", "Người khác"), payment=request_)


def test_without_a_configured_gateway_production_refuses(request_, citizen, settings):
    settings.TINHSO_PAYGOV_SANDBOX = False
    settings.TINHSO_PAYGOV_SECRET = ""
    with pytest.raises(gateway.GatewayError) as error:
        actions.start_online_payment(acting_user=citizen, payment=request_)
    assert "Chưa cấu hình cổng thanh toán" in error.value.message
    request_.refresh_from_db()
    assert request_.started_at is None
    assert Client().get("/sandbox/paygov/thanh-toan/").status_code == 404


def test_two_pending_requests_conflict(request_, fees):
    with pytest.raises(Conflict):
        actions.create_payment_request(acting_user=fees.specialist, dossier=request_.dossier)


def test_a_paid_at_return_request_notifies_the_desk(request_, fees, citizen, django_capture_on_commit_callbacks):
    from tinhso.notifications.models import Notification

    actions.record_counter_payment(acting_user=fees.clerk, payment=request_)
    other = actions.create_payment_request(acting_user=fees.clerk, dossier=request_.dossier, moment="at_return",
                                           lines=[{"name": "Phí trả kết quả qua bưu chính", "kind": "fee",
                                                   "amount": 25000}])
    actions.start_online_payment(acting_user=citizen, payment=other)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/thanh-toan/cong/thong-bao/", result_message(other, SoTien="25000"))
    assert response.json()["MaLoi"] == "00"
    note = Notification.objects.get(recipient=fees.clerk, kind="payment_paid")
    assert other.reference in note.url and "25.000" in note.title
