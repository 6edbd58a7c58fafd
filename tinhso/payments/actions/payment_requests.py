"""Payment requests: create, start an online payment, record a counter payment, cancel."""

from __future__ import annotations


from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.audit.actions import record
from tinhso.catalogue.models.choices import FeePaymentMoment
from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.dossiers.models import Status
from tinhso.payments import gateway
from tinhso.payments.models import (Direction, GatewayMessage, MessageKind, Method, PaymentLine, PaymentRequest,
                                    PaymentStatus)


from tinhso.payments.actions._common import (ANSWERS, CANCEL_ROLES, CLOCK_SKEW, REFUND_ROLES, REQUIRED_RESULT_FIELDS, VIEW_ROLES, _agencies, _issue_receipt, _lines_for, _lock, _log, _mark_paid, _new_reference, _new_refund_reference, _notify_paid, _now, _vnd, get_payment, is_payer, may_cancel, may_collect, may_refund, may_view, system_confirm_dossier_payment, log)  # noqa: F401

@transaction.atomic
def create_payment_request(*, acting_user, dossier, lines=None, moment: str | None = None, method: str | None = None,
                           note: str = "", version=None, at=None, exemption=None) -> PaymentRequest:
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
    rows = _lines_for(dossier, lines, timezone.localdate(at), exemption)
    total = sum(row["amount"] for row in rows)
    if PaymentRequest.objects.filter(dossier=dossier, status=PaymentStatus.PENDING).exists():
        raise Conflict("Hồ sơ đang có một yêu cầu thanh toán chưa hoàn tất; hãy hủy yêu cầu đó trước khi tạo mới.",
                       code="payment_pending")
    if moment == FeePaymentMoment.DURING_PROCESSING and total > 0:
        dossier = request_payment(acting_user=acting_user, dossier=dossier, amount=total, version=version, at=at,
                                  note=note or "Yêu cầu nộp phí, lệ phí")
    exempt = total == 0  # every line exempted: nothing to pay, nothing to wait for, on record all the same
    payment = PaymentRequest.objects.create(
        dossier=dossier, agency=dossier.receiving_agency, reference=_new_reference(), moment=moment, method=method,
        amount=total, description=f"Nộp phí, lệ phí hồ sơ {dossier.code}"[:300], note=note,
        payer_name=dossier.owner_name[:200], partner_code=gateway.partner_code(), created_by=acting_user,
        status=PaymentStatus.EXEMPT if exempt else PaymentStatus.PENDING)
    PaymentLine.objects.bulk_create([
        PaymentLine(payment=payment, position=i, kind=row["kind"], name=row["name"], amount=row["amount"],
                    fee=row["fee"], full_amount=row.get("full_amount"), exemption=row.get("exemption"))
        for i, row in enumerate(rows, 1)])
    record(actor=acting_user, action="payments.create", obj=payment,
           changes={"dossier": dossier.code, "amount": total, "moment": moment, "method": method,
                    "exemption": exemption.code if exemption else None})
    if exempt and dossier.status == Status.PAYMENT:  # waiting for a request that turned out to be exempt
        from tinhso.dossiers.actions import confirm_payment

        confirm_payment(acting_user=acting_user, dossier=dossier, at=at,
                        note=f"Được miễn phí, lệ phí: {exemption.name} ({exemption.legal_basis})")
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
