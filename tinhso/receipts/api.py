"""Electronic receipts over the API (/api/v1/receipts): those of a dossier the
user may see (staff in scope; the citizen who owns it), and each receipt's
signed PDF, as the dossier pages show them."""

from __future__ import annotations

import datetime

from django.http import FileResponse
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from tinhso.core.api import ErrorOut
from tinhso.core.errors import NotFound
from tinhso.receipts.models import Receipt

router = Router(tags=["Biên lai điện tử"])
ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ReceiptOut(Schema):
    code: str
    series: str
    number: int
    dossier_code: str | None
    agency_code: str
    payer_name: str
    amount: int
    amount_in_words: str
    lines: list
    method: str
    issued_at: datetime.datetime
    cancelled_at: datetime.datetime | None


class ReceiptQuery(Schema):
    dossier: str = Field(..., min_length=1, max_length=40, description="Mã hồ sơ")


def _dossiers(user):
    if getattr(user, "is_citizen", False):
        from tinhso.portal.services import my_dossiers

        return my_dossiers(user)
    from tinhso.dossiers.rules import visible_to

    return visible_to(user)


def _out(r: Receipt) -> dict:
    return {"code": r.code, "series": str(r.series), "number": r.number,
            "dossier_code": r.dossier.code if r.dossier_id else None, "agency_code": r.agency.code,
            "payer_name": r.payer_name, "amount": r.amount, "amount_in_words": r.amount_in_words, "lines": r.lines,
            "method": r.method, "issued_at": r.issued_at, "cancelled_at": r.cancelled_at}


@router.get("", auth=django_auth, response={200: list[ReceiptOut], **ERRORS}, summary="Biên lai của một hồ sơ")
def list_receipts(request, filters: Query[ReceiptQuery]):
    dossier = _dossiers(request.user).filter(code=filters.dossier.strip().upper()).first()
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ của bạn mang mã này.")
    return [_out(r) for r in Receipt.objects.filter(dossier=dossier).select_related("series", "agency", "dossier")
            .order_by("issued_at", "id")]


@router.get("/{code}/pdf", auth=django_auth, response={200: None, **ERRORS}, summary="Tệp PDF biên lai (đã ký số)")
def receipt_pdf(request, code: str):
    receipt = Receipt.objects.filter(code=code, dossier__in=_dossiers(request.user)).first()
    if receipt is None:
        raise NotFound("Không tìm thấy biên lai.")
    return FileResponse(receipt.pdf.open("rb"), as_attachment=False, filename=f"{receipt.code}.pdf",
                        content_type="application/pdf")
