"""Shared pieces of the payment actions: who may do what, references, the
message log, marking a request paid, receipts and notices."""

from __future__ import annotations

import datetime
import logging
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.audit.actions import record
from tinhso.catalogue.models import Fee
from tinhso.catalogue.models.choices import FeeKind, FeePaymentMoment
from tinhso.core.errors import Conflict, DomainError, InvalidInput, NotFound
from tinhso.dossiers.models import Status
from tinhso.payments import gateway
from tinhso.payments.models import (Direction, GatewayMessage, MessageKind, Method, PaymentLine, PaymentRequest,
                                    PaymentStatus)


log = logging.getLogger(__name__)

# Who may do what (besides the system): roles in the collecting agency or the competent agency.
VIEW_ROLES = (Role.CLERK, Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER, Role.OPERATIONS_CENTRE,
              Role.SYSTEM_ADMIN)
CANCEL_ROLES = (Role.CLERK, Role.LEADER, Role.SYSTEM_ADMIN)
REFUND_ROLES = (Role.LEADER, Role.SYSTEM_ADMIN)
CLOCK_SKEW = datetime.timedelta(minutes=5)

# Answers to the platform's callback: (MaLoi, MoTa, HTTP status).
ANSWERS = {
    "accepted": ("00", "Đã ghi nhận thanh toán", 200),
    "acknowledged": ("00", "Đã ghi nhận kết quả giao dịch không thành công", 200),
    "already_processed": ("02", "Giao dịch đã được xử lý trước đó", 200),
    "bad_signature": ("97", "Sai mã xác thực (MaXacThuc)", 400),
    "unknown_reference": ("01", "Không tìm thấy mã tham chiếu", 400),
    "amount_mismatch": ("04", "Số tiền không khớp yêu cầu thanh toán", 400),
    "transaction_reused": ("03", "Mã giao dịch đã được dùng cho giao dịch khác", 400),
    "outside_window": ("05", "Thời gian giao dịch nằm ngoài khoảng cho phép", 400),
    "not_payable": ("06", "Yêu cầu thanh toán không còn ở trạng thái chờ thanh toán", 400),
    "malformed": ("99", "Bản tin không hợp lệ", 400),
}
REQUIRED_RESULT_FIELDS = ("LoaiBanTin", "MaDoiTac", "MaThamChieu", "SoTien", "ThoiGianGD", "MaGiaoDich", "MaLoi",
                          gateway.HASH_FIELD)


def _now(at=None) -> datetime.datetime:
    return at or timezone.now()


def _vnd(amount: int) -> str:
    return f"{int(amount):,}".replace(",", ".") + " đồng"


# --- permissions ----------------------------------------------------------------------------------

def _agencies(payment: PaymentRequest):
    return [payment.agency, payment.dossier.competent_agency]


def may_view(user, payment: PaymentRequest) -> bool:
    return any(has_role(user, VIEW_ROLES, agency) for agency in _agencies(payment))


def may_collect(user, payment: PaymentRequest) -> bool:
    return has_role(user, (Role.CLERK,), payment.agency)


def may_cancel(user, payment: PaymentRequest) -> bool:
    return has_role(user, (Role.CLERK,), payment.agency) or any(
        has_role(user, (Role.LEADER, Role.SYSTEM_ADMIN), agency) for agency in _agencies(payment))


def may_refund(user, payment: PaymentRequest) -> bool:
    return any(has_role(user, REFUND_ROLES, agency) for agency in _agencies(payment))


def visible_to(user):
    """Payment requests a staff member may see: collected by, or for a dossier
    of, an agency in their scope (the list page and the API)."""
    from django.db.models import Q

    from tinhso.accounts.permissions import agencies_in_scope

    scope = agencies_in_scope(user, VIEW_ROLES)
    return PaymentRequest.objects.filter(Q(agency__in=scope) | Q(dossier__competent_agency__in=scope)).distinct()


def is_payer(user, payment: PaymentRequest) -> bool:
    return (getattr(user, "is_authenticated", False) and getattr(user, "is_citizen", False)
            and payment.dossier.citizen_id == user.pk)


# --- helpers --------------------------------------------------------------------------------------

def _lock(payment: PaymentRequest) -> PaymentRequest:
    return (PaymentRequest.objects.select_for_update(of=("self",))
            .select_related("dossier", "dossier__procedure", "dossier__competent_agency", "agency")
            .get(pk=payment.pk))


def _new_reference() -> str:
    """MaThamChieu: TS + yymmdd + 8 hex characters (16 characters, unique)."""
    day = timezone.localdate().strftime("%y%m%d")
    for _ in range(10):
        reference = f"TS{day}{secrets.token_hex(4).upper()}"
        if not PaymentRequest.objects.filter(reference=reference).exists():
            return reference
    raise Conflict("Không tạo được mã tham chiếu; vui lòng thử lại.", code="reference_collision")


def _new_refund_reference() -> str:
    return f"HT{timezone.localdate():%y%m%d}{secrets.token_hex(4).upper()}"


def _log(payment, *, direction, kind, fields=None, raw_body="", verified=False, applied=False, outcome="",
         detail="", http_status=None, transaction_id=None) -> GatewayMessage:
    fields = {str(k): ("" if v is None else str(v)) for k, v in (fields or {}).items()}
    return GatewayMessage.objects.create(
        payment=payment, direction=direction, kind=kind, message_type=fields.get("LoaiBanTin", "")[:60],
        reference=fields.get("MaThamChieu", getattr(payment, "reference", ""))[:60],
        transaction_id=(transaction_id if transaction_id is not None else fields.get("MaGiaoDich", ""))[:64],
        fields=fields, raw_body=raw_body[:20000], verified=verified, applied=applied, outcome=outcome[:40],
        detail=detail[:500], http_status=http_status)


def _lines_for(dossier, lines, day, exemption=None) -> list[dict]:
    """Normalise the lines of a request: catalogue fees (all effective ones
    by default) or given dicts {name, kind, amount}; with an `exemption`
    (miễn, giảm theo đối tượng) each line keeps its full amount and is
    reduced, possibly to zero."""
    case_fees = dossier.case.fees.effective(day)
    if lines is None:
        fees = list(case_fees.filter(amount__gt=0))
        kinds = [fee.kind for fee in fees]
        if any(kinds.count(kind) > 1 for kind in set(kinds)):
            raise InvalidInput("Trường hợp này có nhiều mức phí, lệ phí; cần chọn khoản thu áp dụng cho hồ sơ.",
                               code="choose_fee", errors=[{"field": "fees", "message": "Chọn khoản thu."}])
        lines = fees
    rows = []
    for item in lines:
        if isinstance(item, Fee):
            if item.case_id != dossier.case_id or not item.is_effective(day):
                raise InvalidInput(f"Khoản thu “{item.name}” không thuộc trường hợp của hồ sơ hoặc đã hết hiệu lực.",
                                   code="invalid_fee", errors=[{"field": "fees", "message": "Khoản thu không hợp lệ."}])
            rows.append({"kind": item.kind, "name": item.name, "amount": int(item.amount), "fee": item})
            continue
        name = str(item.get("name") or "").strip()
        kind = item.get("kind") or FeeKind.CHARGE
        try:
            amount = int(item.get("amount"))
        except (TypeError, ValueError):
            amount = -1
        if not name:
            raise InvalidInput("Cần nhập tên khoản thu.", code="required",
                               errors=[{"field": "line_name", "message": "Trường này là bắt buộc."}])
        if kind not in FeeKind.values:
            raise InvalidInput("Loại khoản thu phải là phí hoặc lệ phí.", code="invalid_kind",
                               errors=[{"field": "line_kind", "message": "Loại không hợp lệ."}])
        if amount <= 0 or amount > 10**12:
            raise InvalidInput(f"Số tiền của khoản “{name}” phải là số nguyên dương (đồng).", code="invalid_amount",
                               errors=[{"field": "line_amount", "message": "Số tiền không hợp lệ."}])
        rows.append({"kind": kind, "name": name[:500], "amount": amount, "fee": None})
    rows = [row for row in rows if row["amount"] > 0]
    if not rows:
        raise InvalidInput("Không có khoản phí, lệ phí nào phải nộp cho hồ sơ này.", code="nothing_due")
    if exemption is not None:
        from tinhso.catalogue.models import FeeExemption

        if not FeeExemption.for_case(dossier.case, day).filter(pk=exemption.pk).exists():
            raise InvalidInput(f"Đối tượng “{exemption.name}” không được miễn, giảm cho thủ tục này vào ngày này.",
                               code="invalid_exemption", errors=[{"field": "exemption",
                                                                  "message": "Không áp dụng được."}])
        for row in rows:
            row["full_amount"], row["amount"] = row["amount"], exemption.reduce(row["kind"], row["amount"])
            row["exemption"] = exemption if row["amount"] != row["full_amount"] else None
    return rows


def _issue_receipt(payment: PaymentRequest) -> None:
    """The e-receipt, in the transaction that marks the payment paid. A
    failure there does not undo a payment the platform has confirmed: it is
    logged and audited, and the receipt can be issued again later."""
    from tinhso.receipts.actions import issue_for_payment

    try:
        with transaction.atomic():
            issue_for_payment(payment)
    except Exception as exc:  # noqa: BLE001 - a receipt problem must not lose a confirmed payment
        log.exception("receipt for payment %s failed", payment.reference)
        record(actor=None, action="payments.receipt_failed", obj=payment, note=str(exc)[:500])


def system_confirm_dossier_payment(payment: PaymentRequest, *, actor=None, note: str = "") -> bool:
    """Put a dossier waiting for this payment (status 6) back to processing.

    With `actor=None` it is the system acting on the platform's verified
    answer: `tinhso.dossiers.actions.confirm_payment(acting_user=None,
    by_gateway=True)`. A clerk recording a counter payment is the actor
    instead. A dossier no longer waiting (confirmed by hand meanwhile) is left
    alone; a refusal of the dossier action is logged, never undoes the payment."""
    from tinhso.dossiers.actions import confirm_payment

    dossier = payment.dossier
    dossier.refresh_from_db(fields=["status", "version"])
    if payment.moment != FeePaymentMoment.DURING_PROCESSING or dossier.status != Status.PAYMENT:
        return False
    if PaymentRequest.objects.filter(dossier=dossier, status=PaymentStatus.PENDING).exclude(pk=payment.pk).exists():
        return False
    try:
        with transaction.atomic():
            confirm_payment(acting_user=actor, dossier=dossier, note=note, by_gateway=actor is None)
    except DomainError as exc:
        log.warning("dossier %s payment not confirmed: %s", dossier.code, exc.message)
        record(actor=actor, action="payments.dossier_confirm_failed", obj=payment, note=exc.message[:500])
        return False
    return True


def _notify_paid(payment_id: int) -> None:
    from tinhso.dossiers.notifications import desk_clerks
    from tinhso.notifications.actions import notify

    payment = PaymentRequest.objects.select_related("dossier", "dossier__receiving_agency").get(pk=payment_id)
    if payment.moment == FeePaymentMoment.DURING_PROCESSING:
        return  # the dossier's own notice (confirm_payment) tells the holder
    notify(desk_clerks(payment.dossier), kind="payment_paid",
           title=f"Hồ sơ {payment.dossier.code} đã nộp phí, lệ phí ({_vnd(payment.amount)})",
           url=reverse("payments:staff_detail", args=[payment.reference]))


def refresh_dossier_flags(payment: PaymentRequest) -> None:
    """The dossier's payment flags (paid, paid online: service index 3.6, tinhso/dossiers/flags.py), in the
    transaction that settles or refunds the payment."""
    from tinhso.dossiers.flags import refresh

    cached = payment._state.fields_cache.get("dossier")
    refresh(cached if cached is not None else payment.dossier_id, "payments")


def _mark_paid(payment: PaymentRequest, *, actor, at, paid_at, method, channel="", transaction_id=None,
               payer_name="", note="") -> None:
    before = payment.status
    payment.status = PaymentStatus.PAID
    payment.method = method
    payment.paid_at = paid_at or at
    payment.channel = channel[:40]
    if transaction_id:
        payment.gateway_transaction_id = transaction_id
    if payer_name:
        payment.payer_name = payer_name[:200]
    payment.save()
    refresh_dossier_flags(payment)
    record(actor=actor, action="payments.paid", obj=payment,
           changes={"status": [before, PaymentStatus.PAID], "gateway_transaction_id": transaction_id or "",
                    "amount": payment.amount, "method": method}, note=note[:500])
    _issue_receipt(payment)
    system_confirm_dossier_payment(payment, actor=actor, note=note)
    transaction.on_commit(lambda: _notify_paid(payment.pk))


# --- create ---------------------------------------------------------------------------------------


def get_payment(reference: str) -> PaymentRequest:
    payment = (PaymentRequest.objects.select_related("dossier", "dossier__procedure", "dossier__competent_agency",
                                                     "dossier__receiving_agency", "agency")
               .filter(reference=(reference or "").strip()[:40]).first())
    if payment is None:
        raise NotFound("Không tìm thấy yêu cầu thanh toán.")
    return payment
