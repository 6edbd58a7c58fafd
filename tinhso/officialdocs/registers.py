"""The registers of Appendix IV (Decree 30/2020) printed from the system:
the incoming and outgoing document registers, as PDF and Excel."""

from __future__ import annotations

import io

from django.utils import timezone

from tinhso.officialdocs.models import Direction, OfficialDocument
from tinhso.core.cells import safe_cell

INCOMING = ["Ngày đến", "Số đến", "Tác giả (nơi gửi)", "Số, ký hiệu", "Ngày tháng văn bản",
            "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận", "Ký nhận", "Ghi chú"]
OUTGOING = ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung", "Người ký",
            "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận", "Ghi chú"]


def rows(register) -> list[list[str]]:
    docs = (OfficialDocument.objects.filter(register=register).select_related("doc_type")
            .prefetch_related("recipients", "assignments__unit", "assignments__person").order_by("number"))
    out = []
    for doc in docs:
        marks = " ".join(m for m in (doc.get_urgency_display() if doc.urgency != "normal" else "",
                                     doc.get_secrecy_display() if doc.secrecy != "none" else "") if m)
        if register.direction == Direction.INCOMING:
            assignment = next(iter(doc.assignments.all()), None)
            handler = ""
            if assignment is not None:
                handler = assignment.unit.name + (f" — {assignment.person.get_full_name()}" if assignment.person else "")
            out.append([timezone.localtime(doc.received_at).strftime("%d/%m/%Y") if doc.received_at else "",
                        str(doc.number), doc.sender_name, doc.sender_reference,
                        doc.issued_on.strftime("%d/%m/%Y") if doc.issued_on else "",
                        f"{doc.doc_type.name}: {doc.summary}", handler, "", marks])
        else:
            out.append([doc.reference, doc.issued_on.strftime("%d/%m/%Y") if doc.issued_on else "",
                        f"{doc.doc_type.name}: {doc.summary}", doc.signer_name,
                        "; ".join(r.name for r in doc.recipients.all()), "Văn thư", "01",
                        doc.issued_on.strftime("%d/%m/%Y") if doc.issued_on else "", "", marks])
    return out


def title(register) -> str:
    kind = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" if register.direction == Direction.INCOMING else "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    series = "" if register.series == "normal" else f" ({register.get_series_display().upper()})"
    return f"{kind}{series} NĂM {register.year}"


def xlsx(register) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "So van ban"
    sheet.append([register.agency.name.upper()])
    sheet.append([title(register)])
    sheet["A1"].font = sheet["A2"].font = Font(bold=True)
    columns = INCOMING if register.direction == Direction.INCOMING else OUTGOING
    sheet.append(columns)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows(register):
        sheet.append([safe_cell(v) for v in row])  # summaries and references are typed text: never a formula
    for index, width in enumerate([14, 10, 30, 18, 12, 50, 30, 12, 16, 12], start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(register) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from tinhso.dossiers.documents import fonts

    family = fonts.register()
    small = ParagraphStyle("cell", fontName=family, fontSize=8, leading=10)
    heading = ParagraphStyle("head", fontName=f"{family}-Bold", fontSize=13, leading=16, alignment=1)
    agency = ParagraphStyle("agency", fontName=f"{family}-Bold", fontSize=10, leading=12)
    columns = INCOMING if register.direction == Direction.INCOMING else OUTGOING
    data = [[Paragraph(f"<b>{c}</b>", small) for c in columns]]
    data += [[Paragraph(_escape(value), small) for value in row] for row in rows(register)]
    width = landscape(A4)[0] - 20 * mm
    table = Table(data, colWidths=[width / len(columns)] * len(columns), repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm, topMargin=10 * mm,
                      bottomMargin=10 * mm, title=title(register)).build(
        [Paragraph(_escape(register.agency.name.upper()), agency), Spacer(1, 4 * mm),
         Paragraph(_escape(title(register)), heading), Spacer(1, 6 * mm), table])
    return out.getvalue()


def _escape(value: str) -> str:
    return (value or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
