"""Báo cáo tình hình, kết quả giải quyết thủ tục hành chính: the periodic
report a province sends the Government Office (Circular 01/2020/TT-VPCP,
form 06/VPCP/KSTT and its variants by level), computed from the dossiers.

One row per field (lĩnh vực) and level of the competent agency (province or
commune), with, for the period [start, end):

- received: carried over (received before the period, still in hand at its
  start) + new (received in the period), of which online;
- handled: handled in the period (`handled_at`: a result issued, a refusal on
  the merits, or a closure the dated "dossiers.counted_closures" rule counted),
  early / on time / late as judged then (against the original appointment);
- in progress at the end: received before the end, neither handled nor closed
  by then; within the time limit or overdue at the end;
- withdrawn or stopped: closed in the period without being counted as handled
  (withdrawn at the applicant's request, by default), so that
  received = handled + in progress + withdrawn.

Dossiers never received (1, 3) are in none of the figures. ONE aggregate query
per report. The column layout of the form lives here only (COLUMNS, LABELS,
GROUPS); see docs/targets-and-reports.md for what is certain about it."""

from __future__ import annotations

import io

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from tinhso.core.errors import InvalidInput

from tinhso.dashboard.queries import Period, dossiers_of
from tinhso.dossiers.models import Channel, DossierPause, Outcome

FORM = "Mẫu số 06/VPCP/KSTT"
TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
LEVELS = {"province": "Cấp tỉnh", "commune": "Cấp xã"}
COLUMNS = ["received", "carried_over", "new", "online", "handled", "early", "on_time", "late", "in_progress",
           "in_progress_in_time", "in_progress_overdue", "withdrawn"]
LABELS = {
    "received": "Tổng số hồ sơ tiếp nhận", "carried_over": "Kỳ trước chuyển qua", "new": "Mới tiếp nhận",
    "online": "Trong đó trực tuyến", "handled": "Tổng số đã giải quyết", "early": "Trước hạn", "on_time": "Đúng hạn",
    "late": "Quá hạn", "in_progress": "Tổng số đang giải quyết", "in_progress_in_time": "Trong hạn",
    "in_progress_overdue": "Quá hạn", "withdrawn": "Rút, dừng không tính giải quyết",
}
GROUPS = [("Số hồ sơ nhận giải quyết", ["received", "carried_over", "new", "online"]),
          ("Số hồ sơ đã giải quyết", ["handled", "early", "on_time", "late"]),
          ("Số hồ sơ đang giải quyết", ["in_progress", "in_progress_in_time", "in_progress_overdue"]),
          ("Số hồ sơ rút, dừng", ["withdrawn"])]
QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def quarter_period(year, quarter) -> Period:
    """Quý `quarter` (1–4) of `year`: a clear Vietnamese error for anything else."""
    try:
        q = int(str(quarter).strip())
    except (TypeError, ValueError):
        q = 0
    if q not in QUARTERS:
        raise InvalidInput("Quý phải là 1, 2, 3 hoặc 4.", code="invalid_quarter",
                           errors=[{"field": "quarter", "message": "Quý không hợp lệ."}])
    try:
        year = int(str(year).strip())
    except (TypeError, ValueError):
        raise InvalidInput("Năm không hợp lệ.", code="invalid_year",
                           errors=[{"field": "year", "message": "Năm không hợp lệ."}]) from None
    whole = Period.year(year)
    first = datetime.date(whole.first_day.year, 3 * q - 2, 1)
    last = (datetime.date(whole.first_day.year + (q == 4), (3 * q) % 12 + 1, 1) - datetime.timedelta(days=1))
    return Period.between(first, last)


def _handled(start, end) -> Q:
    """Handled in [start, end): the one definition (see the module docstring and docs/dashboard.md)."""
    return Q(handled_at__gte=start, handled_at__lt=end)


def _open_at(moment) -> Q:
    """Received before `moment` and neither handled nor closed before it."""
    return (Q(received_at__lt=moment) & (Q(handled_at__isnull=True) | Q(handled_at__gte=moment))
            & (Q(closed_at__isnull=True) | Q(closed_at__gte=moment)))


def _paused_at(moment) -> Exists:
    """Waiting for the applicant (supplement, payment) at `moment`: the clock was stopped, so not overdue."""
    return Exists(DossierPause.objects.filter(dossier=OuterRef("pk"), started_at__lt=moment)
                  .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=moment)))


def report(agency, period: Period) -> dict:
    start, end = period.start, period.end
    new = Q(received_at__gte=start, received_at__lt=end)
    carried = _open_at(start)
    handled = _handled(start, end)
    in_progress = _open_at(end)
    withdrawn = Q(received_at__lt=end, handled_at__isnull=True, closed_at__gte=start, closed_at__lt=end)
    aggregates = {
        "carried_over": Count("pk", filter=carried),
        "new": Count("pk", filter=new),
        "online": Count("pk", filter=new & Q(channel=Channel.ONLINE)),
        "handled": Count("pk", filter=handled),
        "early": Count("pk", filter=handled & Q(outcome=Outcome.EARLY)),
        "on_time": Count("pk", filter=handled & Q(outcome=Outcome.ON_TIME)),
        "late": Count("pk", filter=handled & Q(outcome=Outcome.LATE)),
        "in_progress": Count("pk", filter=in_progress),
        "in_progress_overdue": Count("pk", filter=in_progress & Q(due_at__lt=end) & ~Q(_paused_at(end))),
        "withdrawn": Count("pk", filter=withdrawn),
    }
    qs = (dossiers_of(agency).filter(carried | new | handled)
          .values("procedure__field__code", "procedure__field__name", "competent_agency__unit__level")
          .annotate(**aggregates).order_by("competent_agency__unit__level", "procedure__field__code"))
    rows = []
    for row in qs:
        level = "commune" if row["competent_agency__unit__level"] == "commune" else "province"
        figures = {k: row[k] for k in aggregates}
        figures["received"] = figures["carried_over"] + figures["new"]
        figures["in_progress_in_time"] = figures["in_progress"] - figures["in_progress_overdue"]
        rows.append({"level": level, "level_label": LEVELS[level], "field_code": row["procedure__field__code"] or "",
                     "field_name": row["procedure__field__name"] or "—", **figures})
    merged: dict = {}
    for row in rows:  # the unit level of agencies without one counts as provincial: merge duplicates
        key = (row["level"], row["field_code"])
        if key in merged:
            for column in COLUMNS:
                merged[key][column] += row[column]
        else:
            merged[key] = row
    rows = sorted(merged.values(), key=lambda r: (r["level"] != "province", r["field_code"]))
    totals = {column: sum(r[column] for r in rows) for column in COLUMNS}
    by_level = {level: {column: sum(r[column] for r in rows if r["level"] == level) for column in COLUMNS}
                for level in LEVELS}
    return {"form": FORM, "title": TITLE, "period": period, "rows": rows, "by_level": by_level, "totals": totals,
            "generated_at": timezone.now()}


def _table(data: dict) -> list[list]:
    """Header rows then one row per field, level subtotals and the total (the sheet and the PDF)."""
    body = []
    for level, label in LEVELS.items():
        rows = [r for r in data["rows"] if r["level"] == level]
        if not rows:
            continue
        body.append([label.upper(), ""] + [data["by_level"][level][c] for c in COLUMNS])
        for i, r in enumerate(rows, 1):
            body.append([str(i), r["field_name"]] + [r[c] for c in COLUMNS])
    body.append(["", "TỔNG CỘNG"] + [data["totals"][c] for c in COLUMNS])
    return body


def xlsx(data: dict, *, scope_label: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "06-VPCP-KSTT"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    width = 2 + len(COLUMNS)
    ws.cell(row=1, column=1, value=scope_label.upper()).font = Font(bold=True)
    ws.cell(row=1, column=width, value=FORM).font = Font(italic=True)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width)
    ws.cell(row=3, column=1, value=TITLE).font = Font(bold=True, size=13)
    ws.cell(row=3, column=1).alignment = center
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=width)
    ws.cell(row=4, column=1, value=f"Kỳ báo cáo: {data['period'].label}").alignment = center
    head = 6
    ws.merge_cells(start_row=head, start_column=1, end_row=head + 1, end_column=1)
    ws.cell(row=head, column=1, value="STT")
    ws.merge_cells(start_row=head, start_column=2, end_row=head + 1, end_column=2)
    ws.cell(row=head, column=2, value="Lĩnh vực giải quyết")
    column = 3
    for group, columns in GROUPS:
        ws.merge_cells(start_row=head, start_column=column, end_row=head, end_column=column + len(columns) - 1)
        ws.cell(row=head, column=column, value=group)
        for offset, name in enumerate(columns):
            ws.cell(row=head + 1, column=column + offset, value=LABELS[name])
        column += len(columns)
    for r in (head, head + 1):
        for c in range(1, width + 1):
            cell = ws.cell(row=r, column=c)
            cell.font, cell.alignment, cell.border = Font(bold=True), center, border
    for i, values in enumerate(_table(data), head + 2):
        for c, value in enumerate(values, 1):
            cell = ws.cell(row=i, column=c, value=value)
            cell.border = border
            if values[0] in ("", *[label.upper() for label in LEVELS.values()]) and c <= 2:
                cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    for c in range(3, width + 1):
        ws.column_dimensions[ws.cell(row=head + 1, column=c).column_letter].width = 12
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def pdf(data: dict, *, scope_label: str) -> bytes:
    """Landscape A4 with the platform's Vietnamese fonts (tinhso/dossiers/documents)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from tinhso.dossiers.documents.layout import Styles, t

    styles = Styles()
    first = [Paragraph("<b>STT</b>", styles.cell_head), Paragraph("<b>Lĩnh vực giải quyết</b>", styles.cell_head)]
    second = ["", ""]
    spans = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1))]
    column = 2
    for group, columns in GROUPS:
        first += [Paragraph(f"<b>{t(group)}</b>", styles.cell_head)] + [""] * (len(columns) - 1)
        second += [Paragraph(t(LABELS[name]), styles.cell_center) for name in columns]
        spans.append(("SPAN", (column, 0), (column + len(columns) - 1, 0)))
        column += len(columns)
    body = [[Paragraph(t(str(v)), styles.cell if i == 1 else styles.cell_center) for i, v in enumerate(row)]
            for row in _table(data)]
    page = landscape(A4)
    usable = page[0] - 24 * mm
    widths = [10 * mm, 60 * mm] + [(usable - 70 * mm) / len(COLUMNS)] * len(COLUMNS)
    table = Table([first, second] + body, colWidths=widths, repeatRows=2)
    table.setStyle(TableStyle(spans + [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#DDEBF7")),
    ]))
    story = [Paragraph(t(scope_label.upper()), styles.header_bold), Paragraph(t(FORM), styles.small),
             Spacer(1, 4 * mm), Paragraph(t(TITLE), styles.title),
             Paragraph(t(f"Kỳ báo cáo: {data['period'].label}"), styles.subtitle), Spacer(1, 4 * mm), table,
             Spacer(1, 3 * mm),
             Paragraph(t("Số liệu tính từ hệ thống một cửa điện tử lúc "
                         f"{timezone.localtime(data['generated_at']):%H:%M %d/%m/%Y}; đúng hạn, quá hạn so với hẹn trả "
                         "ban đầu (docs/dashboard.md)."), styles.small)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=page, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                      bottomMargin=12 * mm, title=TITLE).build(story)
    return out.getvalue()
