"""The payment platform through the integration platform: every exchange is a
row of the message log under the consumed service `paygov` (the payment's
reference as subject, no payer data), and its breaker stops the calls when the
platform keeps failing."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tinhso.integration.models import Breaker, MessageLog, Service
from tinhso.payments import actions, gateway
from tinhso.payments.tests.conftest import in_processing, result_message
from tinhso.payments.tests.test_reconcile_refund_counter import pay_on_sandbox

pytestmark = pytest.mark.django_db
PERSONAL = ("092095001234", "Nguyễn Thị Mai", "Mai")


@pytest.fixture
def request_(fees, citizen, paygov, receipts):
    d = in_processing(fees, citizen)
    return actions.create_payment_request(acting_user=fees.specialist, dossier=d)


def rows():
    return list(MessageLog.objects.filter(service="paygov").order_by("seq"))


def no_personal_data(row):
    text = f"{row.operation} {row.purpose} {row.subject}"
    return not any(p in text for p in PERSONAL)


def test_callback_query_and_refund_are_rows_of_the_message_log(request_, citizen, fees, paygov):
    pay_on_sandbox(citizen, request_)  # the sandbox posts the result to our callback
    callback, = rows()
    assert (callback.direction, callback.status, callback.outcome) == ("in", 200, "ok")
    assert callback.operation == "POST /thanh-toan/cong/thong-bao/" and callback.subject == request_.reference
    assert len(callback.request_digest) == 64

    actions.reconcile(request_)
    actions.refund_payment(acting_user=fees.leader, payment=request_, amount=20000, reason="Thu thừa lệ phí")
    query, refund = rows()[1:]
    assert (query.direction, query.operation, query.status, query.outcome) == (
        "out", "POST http://testserver/sandbox/paygov/tra-cuu/", 200, "ok")
    assert (refund.direction, refund.operation, refund.outcome) == (
        "out", "POST http://testserver/sandbox/paygov/hoan-tien/", "ok")
    assert query.subject == refund.subject == request_.reference
    assert query.purpose == "Tra cứu trạng thái giao dịch thanh toán" and refund.purpose == "Yêu cầu hoàn tiền"
    assert all(no_personal_data(row) for row in rows())
    assert Service.objects.get(code="paygov").last_ok_at is not None


def test_a_forged_callback_is_an_incoming_refused_row(request_, citizen, paygov):
    actions.start_online_payment(acting_user=citizen, payment=request_)
    forged = result_message(request_)
    forged["MaXacThuc"] = gateway.compute_hash(forged, "result", secret="khoa-doan-bua")
    assert Client().post("/thanh-toan/cong/thong-bao/", forged).status_code == 400
    row, = rows()
    assert (row.direction, row.status, row.outcome, row.subject) == ("in", 400, "refused", request_.reference)


def test_a_refund_is_sent_once_and_the_breaker_opens_after_repeated_failures(request_, citizen, fees, paygov):
    pay_on_sandbox(citizen, request_)
    Service.objects.filter(code="paygov").update(failure_threshold=2, max_retries=2, cooldown_seconds=600)
    paygov.down.update({"/sandbox/paygov/hoan-tien/", "/sandbox/paygov/tra-cuu/"})

    with pytest.raises(gateway.GatewayError) as down:  # money moves: not retried
        actions.refund_payment(acting_user=fees.leader, payment=request_, amount=20000, reason="Thu thừa")
    assert "Không kết nối được cổng thanh toán" in down.value.message
    assert [c[1] for c in paygov.calls].count("/sandbox/paygov/hoan-tien/") == 1
    assert [r.outcome for r in rows()[1:]] == ["unavailable"]

    later = timezone.now() + datetime.timedelta(minutes=20)
    with pytest.raises(gateway.GatewayError):  # a status query is retried, then counts as the second failure
        actions.reconcile(request_, at=later)
    assert [c[1] for c in paygov.calls].count("/sandbox/paygov/tra-cuu/") == 3
    assert Service.objects.get(code="paygov").breaker == Breaker.OPEN

    calls = len(paygov.calls)
    with pytest.raises(gateway.GatewayError):  # refused at once, the platform not called
        actions.reconcile(request_, at=later)
    assert len(paygov.calls) == calls
    assert rows()[-1].outcome == "circuit_open" and rows()[-1].subject == request_.reference
    assert all(no_personal_data(row) for row in rows())
