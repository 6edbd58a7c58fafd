"""Refunds through the payment platform."""

from __future__ import annotations


from django.db import transaction

from tinhso.audit.actions import record
from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.payments import gateway
from tinhso.payments.gateway import GatewayError
from tinhso.payments.models import (Direction, GatewayMessage, MessageKind, Method, PaymentLine, PaymentRequest,
                                    PaymentStatus)


from tinhso.payments.actions._common import refresh_dossier_flags
from tinhso.payments.actions._common import (ANSWERS, CANCEL_ROLES, CLOCK_SKEW, REFUND_ROLES, REQUIRED_RESULT_FIELDS, VIEW_ROLES, _agencies, _issue_receipt, _lines_for, _lock, _log, _mark_paid, _new_reference, _new_refund_reference, _notify_paid, _now, _vnd, get_payment, is_payer, may_cancel, may_collect, may_refund, may_view, system_confirm_dossier_payment, log)  # noqa: F401

def refund_payment(*, acting_user, payment: PaymentRequest, amount, reason: str, at=None) -> PaymentRequest:
    """Hoàn tiền (leaders, system administrators): at most the amount paid,
    once per request. An online payment is refunded through the platform's
    refund message; a cash payment is recorded as refunded at the counter.
    A refund the platform did not answer keeps its reference, so a retry
    asks again with the same reference (the platform treats it idempotently)."""
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        amount = 0
    reason = (reason or "").strip()
    with transaction.atomic():
        payment = _lock(payment)
        if not may_refund(acting_user, payment):
            raise PermissionDenied("Chỉ lãnh đạo cơ quan hoặc quản trị hệ thống được hoàn tiền.")
        if payment.status != PaymentStatus.PAID:
            raise InvalidInput(f"Chỉ hoàn tiền yêu cầu đã thanh toán (đang “{payment.get_status_display()}”).",
                               code="not_refundable")
        if not reason:
            raise InvalidInput("Cần nhập lý do hoàn tiền.", code="required",
                               errors=[{"field": "reason", "message": "Trường này là bắt buộc."}])
        if amount <= 0 or amount > payment.amount:
            raise InvalidInput(f"Số tiền hoàn phải từ 1 đến {_vnd(payment.amount)}.", code="invalid_amount",
                               errors=[{"field": "amount", "message": "Số tiền không hợp lệ."}])
        if payment.refund_pending and payment.refund_amount != amount:
            raise Conflict(f"Đang chờ cổng thanh toán xác nhận yêu cầu hoàn {_vnd(payment.refund_amount)}; "
                           "thực hiện lại với đúng số tiền đó.", code="refund_pending")
        at = _now(at)
        if not payment.refund_pending:
            payment.refund_reference = _new_refund_reference()
            payment.refund_amount = amount
            payment.refund_reason = reason[:2000]
            payment.refund_requested_at = at
            payment.save()
            record(actor=acting_user, action="payments.refund_requested", obj=payment,
                   changes={"refund_amount": amount, "refund_reference": payment.refund_reference}, note=reason[:500])
        if not payment.gateway_transaction_id:  # cash: refunded at the counter
            _finish_refund(payment, acting_user, at, "")
            return payment

    client = gateway.get_client()
    try:
        result, exchange = client.refund(payment, amount=payment.refund_amount,
                                         refund_reference=payment.refund_reference, reason=payment.refund_reason)
    except GatewayError as exc:
        with transaction.atomic():
            _log(payment, direction=Direction.OUTBOUND, kind=MessageKind.REFUND, outcome="unreachable",
                 detail=exc.message, transaction_id=payment.gateway_transaction_id or "")
        raise
    with transaction.atomic():
        payment = _lock(payment)
        _log(payment, direction=Direction.OUTBOUND, kind=MessageKind.REFUND, fields=exchange.sent, verified=True,
             outcome="sent")
        _log(payment, direction=Direction.INBOUND, kind=MessageKind.REFUND_RESULT, fields=exchange.received,
             raw_body=exchange.raw_body, verified=True, applied=result.ok, http_status=exchange.http_status,
             outcome="refunded" if result.ok else "refused", detail=result.message,
             transaction_id=result.transaction_id or (f"refund:{payment.refund_reference}" if result.ok else ""))
        if result.ok:
            payment.gateway_status, payment.gateway_status_at = gateway.STATE_REFUNDED, _now(at)
            _finish_refund(payment, acting_user, _now(at), result.transaction_id)
            return payment
        # refused for good: a new attempt gets a new reference
        payment.refund_reference = None
        payment.refund_amount = None
        payment.refund_requested_at = None
        payment.save()
        record(actor=acting_user, action="payments.refund_refused", obj=payment, note=result.message[:500])
    raise InvalidInput(f"Cổng thanh toán từ chối hoàn tiền: {result.message or 'không rõ lý do'} (mã {result.code}).",
                       code="refund_refused")


def _finish_refund(payment, actor, at, refund_transaction_id: str) -> None:
    payment.status = PaymentStatus.REFUNDED
    payment.refunded_at = at
    payment.refund_transaction_id = refund_transaction_id[:64]
    payment.save()
    refresh_dossier_flags(payment)
    record(actor=actor, action="payments.refunded", obj=payment,
           changes={"status": [PaymentStatus.PAID, PaymentStatus.REFUNDED], "refund_amount": payment.refund_amount,
                    "refund_reference": payment.refund_reference}, note=payment.refund_reason[:500])


# --- reconciliation -------------------------------------------------------------------------------
