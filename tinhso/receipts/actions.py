"""Electronic receipts (biên lai điện tử): numbered per series without gaps,
rendered as PDF, signed by the collecting agency, registered for public
verification, and put into the citizen's data store."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput
from tinhso.receipts.models import Receipt, ReceiptSeries, ReceiptTemplate
from tinhso.receipts.words import amount_in_words

DEMO_TEMPLATE = ("01BLP0-001", "Biên lai thu phí, lệ phí (điện tử)")


def active_series(agency) -> ReceiptSeries:
    """The agency's series in use. In the demo/sandbox one is opened on first
    use; in production the administrator declares it (registered with the tax
    authority), and a missing series is an error."""
    series = (ReceiptSeries.objects.filter(agency=agency, is_active=True).select_related("template")
              .order_by("-created_at").first())
    if series is not None:
        return series
    if not getattr(settings, "TINHSO_RECEIPT_DEMO_SERIES", False):
        raise InvalidInput(f"{agency.name} chưa khai báo ký hiệu biên lai điện tử.", code="no_receipt_series")
    template, _ = ReceiptTemplate.objects.get_or_create(code=DEMO_TEMPLATE[0], defaults={"name": DEMO_TEMPLATE[1]})
    year = timezone.localdate().strftime("%y")
    series, _ = ReceiptSeries.objects.get_or_create(template=template, agency=agency, symbol=f"TS/{year}E")
    return series


COLLECTORS = (Role.CLERK, Role.SPECIALIST, Role.LEADER, Role.SYSTEM_ADMIN)


def _require_collector(user, agency) -> None:
    """Staff of the collecting agency, or of a desk under it (a commune's one-stop
    desk collects for its People's Committee)."""
    from tinhso.accounts.permissions import agencies_in_scope

    if agencies_in_scope(user, COLLECTORS).filter(path__startswith=agency.path).exists():
        return
    require_role(user, COLLECTORS, agency)


def _take_number(series: ReceiptSeries) -> int:
    locked = ReceiptSeries.objects.select_for_update().get(pk=series.pk)
    locked.last_number += 1
    locked.save(update_fields=["last_number"])
    return locked.last_number


def verify_url(code: str) -> str:
    return f"{settings.TINHSO_BASE_URL}/xac-thuc/?ma={code}"


@transaction.atomic
def issue_receipt(*, acting_user, agency, payer_name: str, lines: list[dict], dossier=None, payment_reference=None,
                  payer_id_number: str = "", payer_address: str = "", method: str = "Thanh toán trực tuyến",
                  at=None) -> Receipt:
    """Lập biên lai. `acting_user=None` is the system (a verified payment)."""
    if acting_user is not None:
        _require_collector(acting_user, agency)
    clean = [{"name": str(line["name"])[:300], "amount": int(line["amount"])} for line in lines or []]
    if not clean or any(line["amount"] < 0 for line in clean):
        raise InvalidInput("Biên lai cần ít nhất một khoản thu với số tiền hợp lệ.", code="invalid_lines")
    total = sum(line["amount"] for line in clean)
    if not (payer_name or "").strip():
        raise InvalidInput("Cần tên người nộp.", code="required")
    series = active_series(agency)
    number = _take_number(series)
    issued = at or timezone.now()
    receipt = Receipt(series=series, number=number, code=f"BL-{agency.code}-{series.symbol.replace('/', '')}-{number:07d}",
                      payment_reference=payment_reference, dossier=dossier, agency=agency, payer_name=payer_name.strip()[:200],
                      payer_id_number=payer_id_number[:20], payer_address=payer_address[:300], lines=clean,
                      amount=total, amount_in_words=amount_in_words(total), method=method[:40], issued_at=issued,
                      issued_by=acting_user if getattr(acting_user, "is_authenticated", False) else None)
    from tinhso.receipts.pdf import render_receipt
    from tinhso.signatures.service import register_signed_document, sign_pdf

    unsigned = render_receipt(receipt, verify_url=verify_url(receipt.code))
    signed = sign_pdf(unsigned, agency=agency, reason=f"Biên lai {receipt.series} số {number:07d}",
                      location=agency.name)
    register_signed_document(signed, "receipt", code=receipt.code)
    receipt.sha256 = hashlib.sha256(signed).hexdigest()
    receipt.pdf.save(f"{receipt.code}.pdf", ContentFile(signed), save=False)
    receipt.save()
    _to_data_store(receipt, signed)
    record(actor=acting_user, action="receipts.issued", obj=receipt,
           changes={"series": str(series), "number": number, "amount": total})
    return receipt


def _to_data_store(receipt, data: bytes) -> None:
    citizen_id = receipt.dossier.citizen_id if receipt.dossier_id else None
    if citizen_id is None:
        return
    from tinhso.datastore.actions import put
    from tinhso.datastore.models import ItemKind

    put(owner_id=citizen_id, kind=ItemKind.RECEIPT, title=f"Biên lai {receipt.series} số {receipt.number:07d}",
        name=f"{receipt.code}.pdf", content_type="application/pdf", data=data, sha256=receipt.sha256,
        paper_code=receipt.code, source_dossier=receipt.dossier, issued_on=timezone.localdate(receipt.issued_at))


def issue_for_payment(payment) -> Receipt:
    """Issue the receipt of a paid payment request (inside the transaction that
    marks it paid). A payment already receipted returns its receipt."""
    existing = Receipt.objects.filter(payment_reference=getattr(payment, "reference", None)).first()
    if existing is not None and existing.payment_reference:
        return existing
    dossier = payment.dossier
    agency = getattr(payment, "agency", None) or dossier.competent_agency
    lines = [{"name": line.name, "amount": line.amount} for line in payment.lines.all()]
    method = "Tiền mặt tại quầy" if getattr(payment, "method", "online") == "counter" else "Thanh toán trực tuyến"
    return issue_receipt(acting_user=None, agency=agency, payer_name=dossier.owner_name, lines=lines,
                         dossier=dossier, payment_reference=getattr(payment, "reference", None) or None,
                         payer_id_number=dossier.owner_id_number,
                         payer_address=dossier.owner_address, method=method, at=getattr(payment, "paid_at", None))
