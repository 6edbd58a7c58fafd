"""Payment requests over the API (/api/v1/payments), as the staff pages
/thanh-toan/can-bo/: read in one's scope, and the staff operations (counter
payment, cancel, refund, status query) through tinhso/payments/actions."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from tinhso.accounts.permissions import require_role
from tinhso.core.api import ErrorOut
from tinhso.core.errors import PermissionDenied
from tinhso.payments import actions
from tinhso.payments.models import Method, PaymentRequest, PaymentStatus

router = Router(tags=["Thanh toán"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 502: ErrorOut}


class LineOut(Schema):
    name: str
    amount: int
    full_amount: int | None = None
    exemption: str | None = None


class PaymentOut(Schema):
    reference: str
    dossier_code: str
    agency_code: str
    status: str
    method: str
    amount: int
    description: str
    created_at: datetime.datetime
    paid_at: datetime.datetime | None
    gateway_status: str
    counter_receipt_no: str
    lines: list[LineOut]


class PaymentQuery(Schema):
    status: PaymentStatus | None = None
    method: Method | None = None
    q: str | None = Field(None, max_length=60, description="Mã tham chiếu hoặc mã hồ sơ (một phần)")
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(50, ge=1, le=200)


class PaymentPage(Schema):
    count: int
    items: list[PaymentOut]


class CounterIn(Schema):
    receipt_no: str = Field("", max_length=60)
    payer_name: str = Field("", max_length=200)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class RefundIn(ReasonIn):
    amount: int = Field(..., ge=1)


class QueryOut(Schema):
    outcome: str
    payment: PaymentOut


def _out(p: PaymentRequest) -> dict:
    return {"reference": p.reference, "dossier_code": p.dossier.code, "agency_code": p.agency.code,
            "status": p.status, "method": p.method, "amount": p.amount, "description": p.description,
            "created_at": p.created_at, "paid_at": p.paid_at, "gateway_status": p.gateway_status,
            "counter_receipt_no": p.counter_receipt_no,
            "lines": [{"name": line.name, "amount": line.amount, "full_amount": line.full_amount,
                       "exemption": line.exemption.name if line.exemption_id else None} for line in p.lines.all()]}


def _payment(request, reference: str) -> PaymentRequest:
    require_role(request.user, actions.VIEW_ROLES)
    payment = get_object_or_404(PaymentRequest.objects.select_related("dossier", "agency"), reference=reference)
    if not actions.may_view(request.user, payment):
        raise PermissionDenied("Bạn không có quyền xem yêu cầu thanh toán này.")
    return payment


@router.get("", auth=django_auth, response={200: PaymentPage, **ERRORS}, summary="Yêu cầu thanh toán trong phạm vi")
def list_payments(request, filters: Query[PaymentQuery]):
    require_role(request.user, actions.VIEW_ROLES)
    qs = actions.visible_to(request.user).select_related("dossier", "agency").prefetch_related("lines")
    if filters.status:
        qs = qs.filter(status=filters.status.value)
    if filters.method:
        qs = qs.filter(method=filters.method.value)
    if filters.q:
        from django.db.models import Q

        qs = qs.filter(Q(reference__icontains=filters.q) | Q(dossier__code__icontains=filters.q))
    qs = qs.order_by("-created_at", "-id")
    return {"count": qs.count(), "items": [_out(p) for p in qs[filters.offset:filters.offset + filters.limit]]}


class LineIn(Schema):
    name: str = Field(..., min_length=1, max_length=500)
    kind: str = Field(..., max_length=10, description="Loại khoản thu: phí (fee) hoặc lệ phí (charge)")
    amount: int = Field(..., ge=0)


class CreateIn(Schema):
    dossier: str = Field(..., min_length=1, max_length=40, description="Mã hồ sơ")
    lines: list[LineIn] | None = Field(None, max_length=50, description="Bỏ trống: các khoản phí, lệ phí của thủ tục")
    moment: str | None = Field(None, max_length=20)
    method: Method | None = None
    note: str = Field("", max_length=500)
    exemption: str | None = Field(None, max_length=40, description="Mã đối tượng miễn, giảm phí, lệ phí (nếu có)")
    version: int | None = Field(None, description="Phiên bản hồ sơ đã xem (khóa lạc quan)")


@router.post("", auth=django_auth, response={201: PaymentOut, **ERRORS}, summary="Tạo yêu cầu thanh toán cho hồ sơ",
             description="Như trang cán bộ: phí, lệ phí theo thủ tục (hoặc các khoản nêu rõ), thời điểm và hình thức.")
def create_payment(request, payload: CreateIn):
    from tinhso.dossiers.rules import visible_to

    dossier = visible_to(request.user).filter(code=payload.dossier.strip().upper()).first()
    if dossier is None:
        from tinhso.core.errors import NotFound

        raise NotFound("Không tìm thấy hồ sơ trong phạm vi của bạn.")
    exemption = None
    if payload.exemption:
        from django.utils import timezone

        from tinhso.catalogue.models import FeeExemption

        exemption = FeeExemption.for_case(dossier.case, timezone.localdate()).filter(code=payload.exemption).first()
        if exemption is None:
            from tinhso.core.errors import InvalidInput

            raise InvalidInput("Không có đối tượng miễn, giảm này cho thủ tục của hồ sơ.", code="invalid_exemption",
                               errors=[{"field": "exemption", "message": "Mã đối tượng không áp dụng được."}])
    payment = actions.create_payment_request(
        acting_user=request.user, dossier=dossier, moment=payload.moment, note=payload.note, version=payload.version,
        exemption=exemption,
        lines=[line.dict() for line in payload.lines] if payload.lines is not None else None,
        method=payload.method.value if payload.method else None)
    return 201, _out(PaymentRequest.objects.select_related("dossier", "agency").get(pk=payment.pk))


@router.get("/{reference}", auth=django_auth, response={200: PaymentOut, **ERRORS}, summary="Một yêu cầu thanh toán")
def get_payment(request, reference: str):
    return _out(_payment(request, reference))


@router.post("/{reference}/counter", auth=django_auth, response={200: PaymentOut, **ERRORS},
             summary="Ghi nhận đã thu tại quầy")
def counter(request, reference: str, payload: CounterIn):
    payment = actions.record_counter_payment(acting_user=request.user, payment=_payment(request, reference),
                                             receipt_no=payload.receipt_no, payer_name=payload.payer_name)
    return _out(payment)


@router.post("/{reference}/cancel", auth=django_auth, response={200: PaymentOut, **ERRORS}, summary="Hủy yêu cầu")
def cancel(request, reference: str, payload: ReasonIn):
    return _out(actions.cancel_payment(acting_user=request.user, payment=_payment(request, reference),
                                       reason=payload.reason))


@router.post("/{reference}/refund", auth=django_auth, response={200: PaymentOut, **ERRORS}, summary="Hoàn tiền")
def refund(request, reference: str, payload: RefundIn):
    return _out(actions.refund_payment(acting_user=request.user, payment=_payment(request, reference),
                                       amount=payload.amount, reason=payload.reason))


@router.post("/{reference}/query", auth=django_auth, response={200: QueryOut, **ERRORS},
             summary="Tra cứu trạng thái trên cổng thanh toán")
def query(request, reference: str):
    payment = _payment(request, reference)
    outcome = actions.reconcile(payment)
    payment.refresh_from_db()
    return {"outcome": outcome, "payment": _out(payment)}
