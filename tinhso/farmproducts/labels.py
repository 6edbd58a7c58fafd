"""QR codes and printed traceability labels (tem truy xuất nguồn gốc).

The QR code of a batch holds the absolute URL of its public page
(`public_url`), nothing else. The label sheet is an A4 PDF of 3 × 7 labels
(ReportLab, already used for the dossier forms; the QR drawn as vector squares
by the forms' `QRCode` flowable and the Vietnamese font from the forms)."""

from __future__ import annotations

import io

from django.conf import settings
from django.urls import reverse

from tinhso.farmproducts.models import Batch

COLUMNS, ROWS = 3, 7
MAX_LABELS = 210


def public_url(batch: Batch) -> str:
    return settings.TINHSO_BASE_URL.rstrip("/") + reverse("trace:batch", args=[batch.code])


def qr_png(batch: Batch, scale: int = 8) -> bytes:
    import segno

    out = io.BytesIO()
    segno.make(public_url(batch), error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def label_sheet(batch: Batch, count: int = COLUMNS * ROWS) -> bytes:
    """`count` identical labels of one batch, 21 to a page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from tinhso.dossiers.documents.fonts import register
    from tinhso.dossiers.documents.layout import QRCode

    family = register()
    count = max(1, min(int(count), MAX_LABELS))
    url = public_url(batch)
    page_w, page_h = A4
    margin_x, margin_y = 8 * mm, 10 * mm
    cell_w, cell_h = (page_w - 2 * margin_x) / COLUMNS, (page_h - 2 * margin_y) / ROWS
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(f"Tem truy xuất {batch.code}")
    lines = [batch.product.name[:34], f"Lô: {batch.code}", f"Đóng gói: {batch.packing_date:%d/%m/%Y}",
             "Quét mã để truy xuất", "nguồn gốc"]
    for index in range(count):
        slot = index % (COLUMNS * ROWS)
        if index and slot == 0:
            pdf.showPage()
        col, row = slot % COLUMNS, slot // COLUMNS
        x = margin_x + col * cell_w
        y = page_h - margin_y - (row + 1) * cell_h
        pdf.setStrokeGray(0.8)
        pdf.rect(x + 1 * mm, y + 1 * mm, cell_w - 2 * mm, cell_h - 2 * mm, stroke=1, fill=0)
        qr = QRCode(url, size=min(cell_h - 4 * mm, 32 * mm))
        qr.canv = pdf
        pdf.saveState()
        pdf.translate(x + 2 * mm, y + (cell_h - qr.size) / 2)
        qr.draw()
        pdf.restoreState()
        text_x = x + 4 * mm + qr.size
        pdf.setFillGray(0)
        for n, line in enumerate(lines):
            pdf.setFont(f"{family}-Bold" if n == 0 else family, 7.5 if n == 0 else 6.5)
            pdf.drawString(text_x, y + cell_h - 8 * mm - n * 3.6 * mm, line)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
