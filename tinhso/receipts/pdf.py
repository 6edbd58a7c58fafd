"""The receipt as a PDF (ReportLab), laid out like the printed forms."""

from __future__ import annotations

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from tinhso.dossiers.documents.layout import FRAME_WIDTH, QRCode, Styles, build, grid, header, t, title


def _money(value: int) -> str:
    return f"{int(value):,}".replace(",", ".")


def render_receipt(receipt, *, verify_url: str) -> bytes:
    styles = Styles()
    issued = timezone.localtime(receipt.issued_at)
    story = header(styles, receipt.agency, issued.date())
    story += title(styles, "BIÊN LAI THU PHÍ, LỆ PHÍ", "(Biên lai điện tử)")
    info = [Paragraph(f"Mẫu số: <b>{t(receipt.series.template.code)}</b>", styles.left),
            Paragraph(f"Ký hiệu: <b>{t(receipt.series.symbol)}</b>", styles.left),
            Paragraph(f"Số: <b>{receipt.number:07d}</b>", styles.left),
            Spacer(1, 2 * mm),
            Paragraph(f"Tra cứu, xác thực biên lai: quét mã QR hoặc truy cập {t(verify_url)}", styles.small)]
    qr = QRCode(verify_url)
    top = Table([[info, qr]], colWidths=[FRAME_WIDTH - qr.size - 4 * mm, qr.size + 4 * mm])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story += [top, Spacer(1, 3 * mm)]
    story.append(Paragraph(f"Tên đơn vị thu: <b>{t(receipt.agency.name)}</b> (mã định danh {t(receipt.agency.code)})",
                           styles.body))
    story.append(Paragraph(f"Người nộp: <b>{t(receipt.payer_name)}</b>", styles.body))
    if receipt.payer_id_number:
        story.append(Paragraph(f"Số định danh cá nhân: {t(receipt.payer_id_number)}", styles.body))
    if receipt.payer_address:
        story.append(Paragraph(f"Địa chỉ: {t(receipt.payer_address)}", styles.body))
    if receipt.dossier_id:
        story.append(Paragraph(f"Hồ sơ: {t(receipt.dossier.code)} — {t(receipt.dossier.procedure.name)}", styles.body))
    story.append(Paragraph(f"Hình thức thanh toán: {t(receipt.method)}", styles.body))
    story.append(Spacer(1, 3 * mm))
    rows = [[Paragraph("STT", styles.cell_head), Paragraph("Nội dung khoản thu", styles.cell_head),
             Paragraph("Số tiền (đồng)", styles.cell_head)]]
    for i, line in enumerate(receipt.lines, 1):
        rows.append([Paragraph(str(i), styles.cell_center), Paragraph(t(line["name"]), styles.cell),
                     Paragraph(_money(line["amount"]), styles.cell_center)])
    rows.append(["", Paragraph("<b>Tổng cộng</b>", styles.cell), Paragraph(f"<b>{_money(receipt.amount)}</b>",
                                                                           styles.cell_center)])
    story.append(grid(rows, [12 * mm, FRAME_WIDTH - 52 * mm, 40 * mm]))
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph(f"Số tiền bằng chữ: <i>{t(receipt.amount_in_words)}</i>", styles.body))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(f"Ngày lập: {issued:%H:%M} ngày {issued:%d/%m/%Y}", styles.right))
    story.append(Paragraph("Biên lai được ký số bởi đơn vị thu.", styles.sign_note))
    return build(story, title_text="Biên lai thu phí, lệ phí", code=receipt.code, styles=styles)
