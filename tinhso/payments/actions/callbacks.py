"""The payment platform's server-to-server callback: verified, idempotent, replay-safe."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from tinhso.audit.actions import record
from tinhso.payments import gateway
from tinhso.payments.models import (Direction, GatewayMessage, MessageKind, Method, PaymentLine, PaymentRequest,
                                    PaymentStatus)


from tinhso.payments.actions._common import (ANSWERS, CANCEL_ROLES, CLOCK_SKEW, REFUND_ROLES, REQUIRED_RESULT_FIELDS, VIEW_ROLES, _agencies, _issue_receipt, _lines_for, _lock, _log, _mark_paid, _new_reference, _new_refund_reference, _notify_paid, _now, _vnd, get_payment, is_payer, may_cancel, may_collect, may_refund, may_view, system_confirm_dossier_payment, log)  # noqa: F401

@dataclass
class CallbackOutcome:
    outcome: str
    code: str
    message: str
    http_status: int
    payment: PaymentRequest | None = None

    @property
    def ok(self) -> bool:
        return self.http_status == 200

    def as_json(self) -> dict:
        return {"MaLoi": self.code, "MoTa": self.message}


class _Rejected(Exception):
    def __init__(self, outcome: str, detail: str = "", *, verified: bool = True, payment=None):
        super().__init__(detail or outcome)
        self.outcome, self.detail, self.verified, self.payment = outcome, detail, verified, payment


def _answer(outcome: str, payment=None, message: str | None = None) -> CallbackOutcome:
    code, text, status = ANSWERS[outcome]
    return CallbackOutcome(outcome, code, message or text, status, payment)


def handle_callback(raw_fields, *, raw_body: str = "", at=None) -> CallbackOutcome:
    """The platform's server-to-server payment result. Verified (MaXacThuc,
    partner, reference, amount, transaction time), idempotent (the same
    transaction applied once; an identical repeat answers "already processed"
    and changes nothing; another message reusing a transaction id is refused)
    and logged whatever happens. Never raises for bad input."""
    at = _now(at)
    fields = {str(k): ("" if v is None else str(v)).strip() for k, v in dict(raw_fields or {}).items()}
    try:
        with transaction.atomic():
            return _apply_callback(fields, raw_body, at)
    except _Rejected as rejected:
        with transaction.atomic():
            payment = rejected.payment
            _log(payment, direction=Direction.INBOUND, kind=MessageKind.RESULT, fields=fields, raw_body=raw_body,
                 verified=rejected.verified, outcome=rejected.outcome, detail=rejected.detail)
            record(actor=None, action="payments.callback_rejected", obj=payment,
                   changes={"outcome": rejected.outcome, "reference": fields.get("MaThamChieu", "")[:60],
                            "transaction_id": fields.get("MaGiaoDich", "")[:64]}, note=rejected.detail[:500])
        log.warning("payment callback rejected (%s): %s", rejected.outcome, rejected.detail)
        return _answer(rejected.outcome, payment)
    except IntegrityError:
        # a twin callback committed the same transaction id first
        return _answer("already_processed")


def _apply_callback(fields: dict, raw_body: str, at) -> CallbackOutcome:
    missing = [name for name in REQUIRED_RESULT_FIELDS if not fields.get(name)]
    if missing:
        raise _Rejected("malformed", "Thiếu trường: " + ", ".join(missing), verified=False)
    if gateway.kind_of(fields["LoaiBanTin"]) != "result":
        raise _Rejected("malformed", f"LoaiBanTin “{fields['LoaiBanTin'][:40]}” không phải kết quả thanh toán",
                        verified=False)
    if not gateway.verify(fields, "result"):
        raise _Rejected("bad_signature", "MaXacThuc không đúng", verified=False)
    if fields["MaDoiTac"] != gateway.partner_code():
        raise _Rejected("malformed", f"MaDoiTac “{fields['MaDoiTac'][:40]}” không phải của hệ thống")
    transaction_id = fields["MaGiaoDich"][:64]
    payment = (PaymentRequest.objects.select_for_update(of=("self",))
               .select_related("dossier", "agency").filter(reference=fields["MaThamChieu"]).first())
    if payment is None:
        raise _Rejected("unknown_reference", f"Không có yêu cầu thanh toán {fields['MaThamChieu'][:60]}")

    # the replay guard: this transaction id already applied?
    earlier = GatewayMessage.objects.filter(kind=MessageKind.RESULT, transaction_id=transaction_id,
                                            applied=True).first()
    if earlier is not None:
        if earlier.payment_id == payment.pk and _same_message(earlier.fields, fields):
            _log(payment, direction=Direction.INBOUND, kind=MessageKind.RESULT, fields=fields, raw_body=raw_body,
                 verified=True, outcome="already_processed", detail="Bản tin lặp lại, không thay đổi gì")
            return _answer("already_processed", payment)
        raise _Rejected("transaction_reused", f"Mã giao dịch {transaction_id} đã được áp dụng cho bản tin khác",
                        payment=payment)

    amount = fields["SoTien"]
    if not amount.isdigit() or int(amount) != payment.amount:
        raise _Rejected("amount_mismatch", f"Số tiền {amount[:20]} khác {payment.amount}", payment=payment)
    paid_at = gateway.parse_time(fields["ThoiGianGD"])
    window = datetime.timedelta(minutes=settings.TINHSO_PAYGOV_CALLBACK_WINDOW_MINUTES)
    if paid_at is None:
        raise _Rejected("malformed", "ThoiGianGD không đúng định dạng yyyyMMddHHmmss", payment=payment)
    if abs(at - paid_at) > window or paid_at < payment.created_at - CLOCK_SKEW:
        raise _Rejected("outside_window", f"ThoiGianGD {fields['ThoiGianGD']} ngoài khoảng cho phép", payment=payment)

    if fields["MaLoi"] != gateway.RESULT_SUCCESS:
        if payment.status in (PaymentStatus.PENDING, PaymentStatus.EXPIRED):
            payment.gateway_status, payment.gateway_status_at = gateway.STATE_FAILED, at
            payment.save(update_fields=["gateway_status", "gateway_status_at", "updated_at"])
        _log(payment, direction=Direction.INBOUND, kind=MessageKind.RESULT, fields=fields, raw_body=raw_body,
             verified=True, outcome="not_paid", detail=f"Giao dịch không thành công (MaLoi {fields['MaLoi'][:8]})")
        return _answer("acknowledged", payment)

    payment.gateway_status, payment.gateway_status_at = gateway.STATE_PAID, at
    if payment.status == PaymentStatus.PAID and payment.gateway_transaction_id == transaction_id:
        # already applied by the status query (reconciliation) before the callback came
        payment.save(update_fields=["gateway_status", "gateway_status_at", "updated_at"])
        _log(payment, direction=Direction.INBOUND, kind=MessageKind.RESULT, fields=fields, raw_body=raw_body,
             verified=True, applied=True, outcome="already_processed", detail="Đã ghi nhận trước đó qua tra cứu")
        return _answer("already_processed", payment)
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.EXPIRED):
        raise _Rejected("not_payable", f"Yêu cầu đang “{payment.get_status_display()}”; giao dịch {transaction_id} "
                        "cần được đối soát và hoàn tiền nếu đã trừ tiền", payment=payment)
    if PaymentRequest.objects.filter(gateway_transaction_id=transaction_id).exclude(pk=payment.pk).exists():
        raise _Rejected("transaction_reused", f"Mã giao dịch {transaction_id} thuộc yêu cầu khác", payment=payment)

    _log(payment, direction=Direction.INBOUND, kind=MessageKind.RESULT, fields=fields, raw_body=raw_body,
         verified=True, applied=True, outcome="accepted")
    _mark_paid(payment, actor=None, at=at, paid_at=paid_at, method=Method.ONLINE,
               channel=fields.get("MaKenhThanhToan", ""), transaction_id=transaction_id,
               payer_name=fields.get("HoTenNguoiNop", ""),
               note=f"Thanh toán trực tuyến qua cổng thanh toán, mã giao dịch {transaction_id}")
    return _answer("accepted", payment)


def _same_message(earlier: dict, fields: dict) -> bool:
    names = set(gateway.hash_fields("result")) | {gateway.HASH_FIELD}
    return all(str(earlier.get(name, "")) == str(fields.get(name, "")) for name in names)


# --- counter, cancel ------------------------------------------------------------------------------
