"""Payment requests of dossiers: create, pay online through the payment
platform (redirect + verified server-to-server callback), pay at the counter,
cancel, refund, and reconcile with the platform's status query.

Every change is atomic, checks the actor's role, writes the audit log in the
same transaction, and notifies after commit. Calls to the platform (status
query, refund) happen outside any database transaction; what they return is
then applied in a transaction of its own. Every message to or from the
platform is kept in GatewayMessage, accepted or not."""

from __future__ import annotations

import datetime
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.audit.actions import record
from tinhso.catalogue.models import Fee
from tinhso.catalogue.models.choices import FeeKind, FeePaymentMoment
from tinhso.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from tinhso.dossiers.models import Status
from tinhso.payments import gateway
from tinhso.payments.gateway import GatewayError
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


def _lines_for(dossier, lines, day) -> list[dict]:
    """Normalise the lines of a request: catalogue fees (all effective ones
    by default) or given dicts {name, kind, amount}."""
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
    record(actor=actor, action="payments.paid", obj=payment,
           changes={"status": [before, PaymentStatus.PAID], "gateway_transaction_id": transaction_id or "",
                    "amount": payment.amount, "method": method}, note=note[:500])
    _issue_receipt(payment)
    system_confirm_dossier_payment(payment, actor=actor, note=note)
    transaction.on_commit(lambda: _notify_paid(payment.pk))


# --- create ---------------------------------------------------------------------------------------

@transaction.atomic
def create_payment_request(*, acting_user, dossier, lines=None, moment: str | None = None, method: str | None = None,
                           note: str = "", version=None, at=None) -> PaymentRequest:
    """Yêu cầu thanh toán for a dossier: the lines (copied from the case's
    effective fees, or given), the moment (the case's by default) and the
    method. For "during processing" the dossier goes to status 6 through
    `tinhso.dossiers.actions.request_payment`, which checks that the actor
    holds the dossier now; otherwise the actor must be a clerk of the
    receiving agency."""
    from tinhso.dossiers.actions import request_payment
    from tinhso.dossiers.models import Dossier

    at = _now(at)
    # the dossier as it is now, locked: serialises two staff creating requests at once
    dossier = (Dossier.objects.select_for_update(of=("self",)).select_related("case", "receiving_agency")
               .get(pk=dossier.pk))
    moment = moment or dossier.case.fee_payment_moment
    if moment not in FeePaymentMoment.values:
        raise InvalidInput("Thời điểm nộp phí không hợp lệ.", code="invalid_moment",
                           errors=[{"field": "moment", "message": "Giá trị không hợp lệ."}])
    if method is None:
        method = Method.ONLINE if (dossier.case.online_payment_required or dossier.citizen_id) else Method.COUNTER
    if method not in Method.values:
        raise InvalidInput("Hình thức nộp không hợp lệ.", code="invalid_method",
                           errors=[{"field": "method", "message": "Giá trị không hợp lệ."}])
    if moment != FeePaymentMoment.DURING_PROCESSING:
        if not has_role(acting_user, (Role.CLERK,), dossier.receiving_agency):
            raise PermissionDenied("Chỉ cán bộ một cửa nơi tiếp nhận hồ sơ được tạo yêu cầu thanh toán.")
        allowed = {FeePaymentMoment.BEFORE_RECEPTION: (Status.SUBMITTED, Status.RECEIVED),
                   FeePaymentMoment.AT_RETURN: (Status.PROCESSING, Status.FINISHED)}[moment]
        if dossier.status not in allowed:
            raise InvalidInput(f"Không thể yêu cầu nộp phí lúc này: hồ sơ đang ở trạng thái "
                               f"“{dossier.get_status_display()}”.", code="invalid_transition")
    rows = _lines_for(dossier, lines, timezone.localdate(at))
    total = sum(row["amount"] for row in rows)
    if PaymentRequest.objects.filter(dossier=dossier, status=PaymentStatus.PENDING).exists():
        raise Conflict("Hồ sơ đang có một yêu cầu thanh toán chưa hoàn tất; hãy hủy yêu cầu đó trước khi tạo mới.",
                       code="payment_pending")
    if moment == FeePaymentMoment.DURING_PROCESSING:
        dossier = request_payment(acting_user=acting_user, dossier=dossier, amount=total, version=version, at=at,
                                  note=note or "Yêu cầu nộp phí, lệ phí")
    payment = PaymentRequest.objects.create(
        dossier=dossier, agency=dossier.receiving_agency, reference=_new_reference(), moment=moment, method=method,
        amount=total, description=f"Nộp phí, lệ phí hồ sơ {dossier.code}"[:300], note=note,
        payer_name=dossier.owner_name[:200], partner_code=gateway.partner_code(), created_by=acting_user)
    PaymentLine.objects.bulk_create([
        PaymentLine(payment=payment, position=i, kind=row["kind"], name=row["name"], amount=row["amount"],
                    fee=row["fee"]) for i, row in enumerate(rows, 1)])
    record(actor=acting_user, action="payments.create", obj=payment,
           changes={"dossier": dossier.code, "amount": total, "moment": moment, "method": method})
    return payment


# --- online payment -------------------------------------------------------------------------------

def return_url(payment: PaymentRequest) -> str:
    return gateway.base_url() + reverse("payments:return", args=[payment.reference])


@transaction.atomic
def start_online_payment(*, acting_user, payment: PaymentRequest, at=None) -> str:
    """The payment platform's URL to send the citizen's browser to. Only the
    dossier's own citizen (or the system, `acting_user=None`) may start it."""
    if acting_user is not None and not is_payer(acting_user, payment):
        raise PermissionDenied("Chỉ chủ hồ sơ được thanh toán yêu cầu này.")
    payment = _lock(payment)
    if payment.status != PaymentStatus.PENDING:
        raise InvalidInput(f"Yêu cầu thanh toán đang ở trạng thái “{payment.get_status_display()}”, "
                           "không thể thanh toán.", code="not_payable")
    client = gateway.get_client()
    url, fields = client.payment_redirect(payment, return_url(payment))
    payment.started_at = _now(at)
    payment.method = Method.ONLINE
    payment.save(update_fields=["started_at", "method", "updated_at"])
    _log(payment, direction=Direction.OUTBOUND, kind=MessageKind.PAY, fields=fields, verified=True, outcome="sent")
    record(actor=acting_user, action="payments.start_online", obj=payment, changes={"amount": payment.amount})
    return url


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

@transaction.atomic
def record_counter_payment(*, acting_user, payment: PaymentRequest, receipt_no: str = "", payer_name: str = "",
                           at=None) -> PaymentRequest:
    """Đã thu tại quầy: cash collected by a clerk of the collecting agency."""
    payment = _lock(payment)
    if not may_collect(acting_user, payment):
        raise PermissionDenied("Chỉ cán bộ một cửa của cơ quan thu được ghi nhận thu tiền tại quầy.")
    if payment.dossier.case.online_payment_required:
        raise InvalidInput("Thủ tục này quy định phí, lệ phí phải nộp trực tuyến.", code="online_required")
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.EXPIRED):
        raise InvalidInput(f"Yêu cầu thanh toán đang ở trạng thái “{payment.get_status_display()}”, "
                           "không thể ghi nhận thu.", code="not_payable")
    at = _now(at)
    payment.counter_receipt_no = (receipt_no or "").strip()[:60]
    payment.collected_by = acting_user
    _mark_paid(payment, actor=acting_user, at=at, paid_at=at, method=Method.COUNTER, channel="TIEN_MAT",
               payer_name=(payer_name or "").strip(),
               note="Đã thu phí, lệ phí tại quầy" + (f", biên lai số {payment.counter_receipt_no}"
                                                     if payment.counter_receipt_no else ""))
    return payment


@transaction.atomic
def cancel_payment(*, acting_user, payment: PaymentRequest, reason: str, at=None) -> PaymentRequest:
    """Hủy yêu cầu thanh toán chưa thanh toán. The dossier's own status is
    not changed (a dossier in status 6 waits for a new request)."""
    payment = _lock(payment)
    if not may_cancel(acting_user, payment):
        raise PermissionDenied("Bạn không có quyền hủy yêu cầu thanh toán này.")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Cần nhập lý do hủy.", code="required",
                           errors=[{"field": "reason", "message": "Trường này là bắt buộc."}])
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.EXPIRED):
        raise InvalidInput(f"Yêu cầu thanh toán đang ở trạng thái “{payment.get_status_display()}”, không thể hủy.",
                           code="not_cancellable")
    before = payment.status
    payment.status = PaymentStatus.CANCELLED
    payment.cancelled_at = _now(at)
    payment.cancel_reason = reason[:2000]
    payment.save()
    record(actor=acting_user, action="payments.cancel", obj=payment,
           changes={"status": [before, PaymentStatus.CANCELLED]}, note=reason[:500])
    return payment


# --- refund ---------------------------------------------------------------------------------------

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
    record(actor=actor, action="payments.refunded", obj=payment,
           changes={"status": [PaymentStatus.PAID, PaymentStatus.REFUNDED], "refund_amount": payment.refund_amount,
                    "refund_reference": payment.refund_reference}, note=payment.refund_reason[:500])


# --- reconciliation -------------------------------------------------------------------------------

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


def get_payment(reference: str) -> PaymentRequest:
    payment = (PaymentRequest.objects.select_related("dossier", "dossier__procedure", "dossier__competent_agency",
                                                     "dossier__receiving_agency", "agency")
               .filter(reference=(reference or "").strip()[:40]).first())
    if payment is None:
        raise NotFound("Không tìm thấy yêu cầu thanh toán.")
    return payment
