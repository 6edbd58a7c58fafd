"""Reconciliation with the platform's status query (the periodic job and staff)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from tinhso.audit.actions import record
from tinhso.payments import gateway
from tinhso.payments.gateway import GatewayError
from tinhso.payments.models import (Direction, GatewayMessage, MessageKind, Method, PaymentLine, PaymentRequest,
                                    PaymentStatus)


from tinhso.payments.actions._common import (ANSWERS, CANCEL_ROLES, CLOCK_SKEW, REFUND_ROLES, REQUIRED_RESULT_FIELDS, VIEW_ROLES, _agencies, _issue_receipt, _lines_for, _lock, _log, _mark_paid, _new_reference, _new_refund_reference, _notify_paid, _now, _vnd, get_payment, is_payer, may_cancel, may_collect, may_refund, may_view, system_confirm_dossier_payment, log)  # noqa: F401

from tinhso.payments.actions.callbacks import _same_message  # noqa: F401

def reconcile(payment: PaymentRequest, *, at=None) -> str:
    """Ask the platform about a payment (status query) and apply the answer:
    a pending request the platform reports paid is marked paid (with the same
    checks as a callback); one it reports failed or unknown long after it
    started expires; otherwise only the platform's status is recorded (the
    daily report compares it with ours). Idempotent. Returns the outcome."""
    at = _now(at)
    payment = PaymentRequest.objects.select_related("dossier", "dossier__procedure", "agency").get(pk=payment.pk)
    if payment.started_at is None:
        return "not_started"
    client = gateway.get_client()
    try:
        result, exchange = client.query(payment)
    except GatewayError as exc:
        with transaction.atomic():
            _log(payment, direction=Direction.OUTBOUND, kind=MessageKind.QUERY, outcome="unreachable",
                 detail=exc.message, transaction_id="")
        raise
    try:
        with transaction.atomic():
            return _apply_query(payment, result, exchange, at)
    except IntegrityError:
        return "already_processed"


def _apply_query(payment, result, exchange, at) -> str:
    payment = _lock(payment)
    _log(payment, direction=Direction.OUTBOUND, kind=MessageKind.QUERY, fields=exchange.sent, verified=True,
         outcome="sent", transaction_id="")
    payment.gateway_status = result.state[:8]
    payment.gateway_status_at = at

    def answer(outcome, detail="", applied=False):
        _log(payment, direction=Direction.INBOUND, kind=MessageKind.QUERY_RESULT, fields=exchange.received,
             raw_body=exchange.raw_body, verified=True, applied=applied, outcome=outcome, detail=detail,
             http_status=exchange.http_status, transaction_id=result.transaction_id if applied else "")
        return outcome

    if result.paid:
        if payment.status == PaymentStatus.PAID and payment.gateway_transaction_id == result.transaction_id:
            payment.save()
            return answer("in_agreement")
        if payment.status not in (PaymentStatus.PENDING, PaymentStatus.EXPIRED):
            payment.save()
            record(actor=None, action="payments.reconcile_mismatch", obj=payment,
                   note=f"Cổng báo đã thanh toán (giao dịch {result.transaction_id}) nhưng yêu cầu đang "
                        f"“{payment.get_status_display()}”")
            return answer("mismatch", "Cổng báo đã thanh toán, hệ thống không ở trạng thái chờ")
        if result.amount != payment.amount or not result.transaction_id or PaymentRequest.objects.filter(
                gateway_transaction_id=result.transaction_id).exclude(pk=payment.pk).exists():
            payment.save()
            record(actor=None, action="payments.reconcile_mismatch", obj=payment,
                   note=f"Kết quả tra cứu không khớp: số tiền {result.amount}, giao dịch {result.transaction_id}")
            return answer("mismatch", "Số tiền hoặc mã giao dịch không khớp")
        answer("paid", applied=True)
        _mark_paid(payment, actor=None, at=at, paid_at=result.paid_at, method=Method.ONLINE, channel=result.channel,
                   transaction_id=result.transaction_id,
                   note=f"Đối soát với cổng thanh toán: đã thanh toán, mã giao dịch {result.transaction_id}")
        return "paid"
    horizon = datetime.timedelta(minutes=settings.TINHSO_PAYGOV_EXPIRE_AFTER_MINUTES)
    if (payment.status == PaymentStatus.PENDING and result.state in (gateway.STATE_FAILED, gateway.STATE_UNKNOWN)
            and payment.started_at <= at - horizon):
        payment.status = PaymentStatus.EXPIRED
        payment.save()
        record(actor=None, action="payments.expired", obj=payment,
               changes={"status": [PaymentStatus.PENDING, PaymentStatus.EXPIRED], "gateway_status": result.state})
        return answer("expired")
    payment.save()
    return answer("unchanged")


def reconcile_pending(at=None) -> dict:
    """The periodic job: every online payment still pending some minutes
    after it started is checked with the platform."""
    at = _now(at)
    cutoff = at - datetime.timedelta(minutes=settings.TINHSO_PAYGOV_RECONCILE_AFTER_MINUTES)
    counts: dict[str, int] = {}
    for payment in PaymentRequest.objects.filter(status=PaymentStatus.PENDING, started_at__lte=cutoff).order_by("id"):
        try:
            outcome = reconcile(payment, at=at)
        except GatewayError as exc:
            log.warning("reconciliation of %s failed: %s", payment.reference, exc.message)
            outcome = "error"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def refresh_gateway_status(payments, at=None) -> dict:
    """Query the platform for each online payment given (the daily report's
    refresh); a failed query leaves the stored status."""
    counts: dict[str, int] = {}
    for payment in payments:
        if payment.started_at is None:
            continue
        try:
            outcome = reconcile(payment, at=at)
        except GatewayError:
            outcome = "error"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
