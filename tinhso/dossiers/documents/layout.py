"""Shared layout of the one-stop-shop forms: styles, the administrative
header (agency on the left, national motto on the right), place and date
line, the code-and-QR block, signature blocks and text helpers."""

from __future__ import annotations

import datetime
import io
import unicodedata
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tinhso.dossiers.documents import fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 25 * mm, 15 * mm, 15 * mm, 18 * mm
# The usable width: platypus frames keep 6 pt padding on each side.
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT - 12


def lookup_url(code: str, base_url: str) -> str:
    """The public lookup page of a dossier (what the QR code encodes)."""
    return f"{(base_url or '').rstrip('/')}/tra-cuu/?ma={quote(code, safe='')}"


# -- text -------------------------------------------------------------------------------------------------------


def nfc(value) -> str:
    """Precomposed Unicode: the fonts carry glyphs for "ễ", not for "e" + two
    combining marks, so decomposed input would print badly."""
    return unicodedata.normalize("NFC", str(value if value is not None else ""))


def t(value) -> str:
    """Text ready for a Paragraph: NFC, XML-escaped, line breaks kept."""
    return escape(nfc(value)).replace("\n", "<br/>")


def upper(value) -> str:
    return nfc(value).upper()


def local(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value) if value is not None else None


def fmt_date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = local(value)
    return f"{value:%d/%m/%Y}"


def fmt_datetime(value: datetime.datetime | None) -> str:
    """"08 giờ 00 phút, ngày 02/03/2026"."""
    if value is None:
        return ""
    value = local(value)
    return f"{value:%H} giờ {value:%M} phút, ngày {value:%d/%m/%Y}"


def fmt_short(value: datetime.datetime | None) -> str:
    """"08:00 02/03/2026" for table cells."""
    if value is None:
        return ""
    value = local(value)
    return f"{value:%H:%M} {value:%d/%m/%Y}"


def province_name(agency) -> str:
    """The province of the agency's unit, without "Thành phố"/"Tỉnh"."""
    unit = getattr(agency, "unit", None)
    seen = 0
    while unit is not None and unit.level != "province" and seen < 5:
        unit, seen = unit.parent, seen + 1
    if unit is None:
        return ""
    name = nfc(unit.name).strip()
    for prefix in ("Thành phố ", "Tỉnh ", "TP. ", "TP "):
        if name.startswith(prefix):
            return name[len(prefix):].strip()
    return name


def place_and_date(agency, day) -> str:
    if isinstance(day, datetime.datetime):
        day = local(day).date()
    place = province_name(agency)
    return f"{place + ', ' if place else ''}ngày {day:%d} tháng {day:%m} năm {day:%Y}"


# -- styles -----------------------------------------------------------------------------------------------------


class Styles:
    def __init__(self):
        family = fonts.register()
        bold = f"{family}-Bold"
        italic = f"{family}-Italic"
        base = dict(fontName=family, fontSize=11, leading=15)
        self.body = ParagraphStyle("body", alignment=TA_JUSTIFY, spaceAfter=3, **base)
        self.left = ParagraphStyle("left", alignment=TA_LEFT, **base)
        self.center = ParagraphStyle("center", alignment=TA_CENTER, **base)
        self.header = ParagraphStyle("header", fontName=family, fontSize=9.5, leading=12.5, alignment=TA_CENTER)
        self.header_bold = ParagraphStyle("header_bold", parent=self.header, fontName=bold)
        self.nation = ParagraphStyle("nation", parent=self.header_bold, fontSize=10, leading=13)
        self.motto = ParagraphStyle("motto", parent=self.header_bold, fontSize=11, leading=14)
        self.date_line = ParagraphStyle("date_line", fontName=italic, fontSize=11, leading=14, alignment=TA_CENTER)
        self.title = ParagraphStyle("title", fontName=bold, fontSize=13.5, leading=18, alignment=TA_CENTER,
                                    spaceBefore=4, spaceAfter=2)
        self.subtitle = ParagraphStyle("subtitle", fontName=italic, fontSize=11, leading=14, alignment=TA_CENTER)
        self.small = ParagraphStyle("small", fontName=family, fontSize=8.5, leading=10.5)
        self.small_center = ParagraphStyle("small_center", parent=self.small, alignment=TA_CENTER)
        self.cell = ParagraphStyle("cell", fontName=family, fontSize=8, leading=10)
        self.cell_center = ParagraphStyle("cell_center", parent=self.cell, alignment=TA_CENTER)
        self.cell_head = ParagraphStyle("cell_head", fontName=bold, fontSize=8, leading=10,
                                        alignment=TA_CENTER)
        self.sign_title = ParagraphStyle("sign_title", fontName=bold, fontSize=11, leading=14, alignment=TA_CENTER)
        self.sign_note = ParagraphStyle("sign_note", fontName=italic, fontSize=10, leading=13, alignment=TA_CENTER)
        self.sign_name = ParagraphStyle("sign_name", fontName=bold, fontSize=11, leading=14, alignment=TA_CENTER)
        self.right = ParagraphStyle("right", alignment=TA_RIGHT, **base)
        self.family, self.bold, self.italic = family, bold, italic


# -- flowables --------------------------------------------------------------------------------------------------


class Rule(Flowable):
    """A short centred line under a header block."""

    def __init__(self, width: float, length: float, space: float = 2):
        super().__init__()
        self.width, self.length, self.height, self.space = width, length, space + 1, space

    def draw(self):
        x = (self.width - self.length) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(x, 1, x + self.length, 1)


class QRCode(Flowable):
    """A QR code drawn as vector squares from segno's matrix (no image
    library needed, sharp at any zoom). `payload` is what it encodes."""

    def __init__(self, payload: str, size: float = 27 * mm):
        super().__init__()
        import segno

        self.payload = payload
        self.qr = segno.make(payload, error="m", micro=False)
        self.size = size
        self.width = self.height = size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        border = 2
        matrix = self.qr.matrix
        count = len(matrix) + 2 * border
        module = self.size / count
        canvas = self.canv
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        for row_index, row in enumerate(matrix):
            y = self.size - (row_index + border + 1) * module
            column = 0
            while column < len(row):  # one rectangle per run of dark modules
                if row[column]:
                    start = column
                    while column < len(row) and row[column]:
                        column += 1
                    canvas.rect((start + border) * module, y, (column - start) * module, module, stroke=0, fill=1)
                else:
                    column += 1


def header(styles: Styles, agency, day) -> list:
    """Agency (parent in caps, then the agency in bold caps) on the left; the
    national name and motto on the right; place and date under the motto."""
    left = []
    parent = getattr(agency, "parent", None)
    if parent is not None:
        left.append(Paragraph(t(upper(parent.name)), styles.header))
    left.append(Paragraph(t(upper(agency.name)), styles.header_bold))
    left_width, right_width = FRAME_WIDTH * 0.48, FRAME_WIDTH * 0.52
    left.append(Rule(left_width - 6, 30 * mm))
    right = [Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", styles.nation),
             Paragraph("Độc lập - Tự do - Hạnh phúc", styles.motto),
             Rule(right_width - 6, 50 * mm)]
    table = Table([[left, right], ["", Paragraph(t(place_and_date(agency, day)), styles.date_line)]],
                  colWidths=[left_width, right_width])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 1), (-1, 1), 6),
    ]))
    return [table, Spacer(1, 4 * mm)]


def code_and_qr(styles: Styles, code: str, url: str, lines=()) -> list:
    """The dossier code (and any extra lines) beside the QR code of the lookup page."""
    text = [Paragraph(f"Mã hồ sơ: <b>{t(code)}</b>", styles.left)]
    text += [Paragraph(line, styles.left) for line in lines]
    text.append(Spacer(1, 2 * mm))
    text.append(Paragraph(f"Tra cứu tình trạng hồ sơ: quét mã QR hoặc truy cập {t(url)}", styles.small))
    qr = QRCode(url)
    table = Table([[text, qr]], colWidths=[FRAME_WIDTH - qr.size - 4 * mm, qr.size + 4 * mm])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [table, Spacer(1, 3 * mm)]


def slip_block(styles: Styles, code: str, url: str) -> list:
    """A counter slip's number beside the QR code of the procedure's public page."""
    text = [Paragraph(f"Số phiếu: <b>{t(code)}</b>", styles.left), Spacer(1, 2 * mm),
            Paragraph(f"Thông tin thủ tục, thành phần hồ sơ: quét mã QR hoặc truy cập {t(url)}", styles.small)]
    qr = QRCode(url)
    table = Table([[text, qr]], colWidths=[FRAME_WIDTH - qr.size - 4 * mm, qr.size + 4 * mm])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [table, Spacer(1, 3 * mm)]


def title(styles: Styles, text: str, subtitle: str = "") -> list:
    items = [Paragraph(t(text), styles.title)]
    if subtitle:
        items.append(Paragraph(t(subtitle), styles.subtitle))
    items.append(Spacer(1, 3 * mm))
    return items


def signatures(styles: Styles, *blocks) -> list:
    """Signature blocks side by side; each is (title, note, name)."""
    cells = []
    for heading, note, name in blocks:
        cells.append([Paragraph(t(upper(heading)), styles.sign_title),
                      Paragraph(t(note), styles.sign_note),
                      Spacer(1, 20 * mm),
                      Paragraph(t(name or ""), styles.sign_name)])
    if len(cells) == 1:
        cells.insert(0, "")
    width = FRAME_WIDTH / len(cells)
    table = Table([cells], colWidths=[width] * len(cells))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [Spacer(1, 5 * mm), table]


def grid(data, col_widths, *, repeat=1) -> Table:
    table = Table(data, colWidths=col_widths, repeatRows=repeat)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, repeat - 1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, repeat - 1), colors.HexColor("#EEEEEE")),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def build(story: list, *, title_text: str, code: str, styles: Styles) -> bytes:
    """Lay the story out on A4 with a small footer (code, page number)."""
    buffer = io.BytesIO()

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(styles.family, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN_LEFT, 10 * mm, nfc(f"{title_text} — {code}"))
        canvas.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, 10 * mm, f"Trang {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
                            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=nfc(f"{title_text} {code}"),
                            author="Tỉnh Số", subject=nfc(title_text), creator="Tỉnh Số", lang="vi")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
