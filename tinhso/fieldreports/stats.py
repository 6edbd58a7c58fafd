"""The operations centre's statistics: reports by category, commune, agency
and channel; the on-time rate of each stage; the satisfaction rate (the
seeds' headline figure) and its trend by month. Pages draw them with the
dashboard's SVG charts and export them to Excel."""

from __future__ import annotations

import datetime
import io

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from tinhso.dashboard.charts import share_bars
from tinhso.fieldreports.models import Channel, FieldReport, Rating, Stage, StageRecord, Status

SATISFIED = (Rating.VERY_SATISFIED, Rating.SATISFIED)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def period(params) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    try:
        start = datetime.date.fromisoformat(params.get("from", "")) if params.get("from") else None
        end = datetime.date.fromisoformat(params.get("to", "")) if params.get("to") else None
    except ValueError:
        start = end = None
    end = end or today
    start = start or (end.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    return (start, end) if start <= end else (end, start)


def compute(start: datetime.date, end: datetime.date, scope=None) -> dict:
    reports = (scope if scope is not None else FieldReport.objects.all()).filter(
        created_at__date__gte=start, created_at__date__lte=end)
    total = reports.count()

    def grouped(field, label_field):
        rows = reports.values(field, label_field).annotate(n=Count("id")).order_by("-n")
        return [{"label": r[label_field] or "—", "count": r["n"], "value": _rate(r["n"], total)} for r in rows]

    by_category = grouped("category__code", "category__name")
    by_commune = grouped("unit_id", "unit__name")
    by_agency = grouped("agency_id", "agency__name")
    channel_names = dict(Channel.choices)
    by_channel = [{**r, "label": channel_names.get(r["label"], r["label"])} for r in grouped("channel", "channel")]
    stage_rows = (StageRecord.objects.filter(report__in=reports, ended_at__isnull=False).values("stage")
                  .annotate(n=Count("id"), ok=Count("id", filter=Q(on_time=True))))
    stage_names = dict(Stage.choices)
    stages = [{"label": stage_names[r["stage"]], "count": r["n"], "on_time": r["ok"], "value": _rate(r["ok"], r["n"])}
              for r in sorted(stage_rows, key=lambda r: list(stage_names).index(r["stage"]))]
    rated = reports.exclude(rating="")
    rated_n = rated.count()
    satisfied_n = rated.filter(rating__in=SATISFIED).count()
    months = (rated.annotate(month=TruncMonth("rated_at", tzinfo=timezone.get_current_timezone())).values("month")
              .annotate(n=Count("id"), ok=Count("id", filter=Q(rating__in=SATISFIED))).order_by("month"))
    trend = [{"label": m["month"].strftime("%m/%Y"), "count": m["n"], "satisfied": m["ok"],
              "value": _rate(m["ok"], m["n"])} for m in months if m["month"]]
    handled = reports.filter(status__in=(Status.PUBLISHED, Status.CLOSED)).count()
    return {
        "start": start, "end": end, "total": total, "handled": handled, "handled_rate": _rate(handled, total),
        "rejected": reports.filter(status=Status.REJECTED).count(),
        "open": reports.filter(status__in=[s for s in Status.values if s not in (
            Status.PUBLISHED, Status.CLOSED, Status.REJECTED, Status.MERGED)]).count(),
        "rated": rated_n, "satisfied": satisfied_n, "satisfaction": _rate(satisfied_n, rated_n),
        "by_category": by_category, "by_commune": by_commune, "by_agency": by_agency, "by_channel": by_channel,
        "stages": stages, "trend": trend,
    }


def charts(figures: dict) -> dict:
    return {
        "stages": share_bars(figures["stages"]),
        "trend": share_bars(figures["trend"]),
        "category": share_bars(figures["by_category"][:12]),
        "channel": share_bars(figures["by_channel"]),
    }


def xlsx(figures: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Tong hop"
    bold = Font(bold=True)
    sheet.append(["THỐNG KÊ PHẢN ÁNH HIỆN TRƯỜNG"])
    sheet["A1"].font = bold
    sheet.append([f"Từ ngày {figures['start']:%d/%m/%Y} đến ngày {figures['end']:%d/%m/%Y}"])
    for label, key in (("Tổng số phản ánh", "total"), ("Đã xử lý, công khai kết quả", "handled"),
                       ("Tỷ lệ đã xử lý (%)", "handled_rate"), ("Đang xử lý", "open"), ("Không tiếp nhận", "rejected"),
                       ("Số lượt đánh giá", "rated"), ("Hài lòng và rất hài lòng", "satisfied"),
                       ("Tỷ lệ hài lòng (%)", "satisfaction")):
        sheet.append([label, figures[key]])
    for title, key, columns in (
            ("Theo lĩnh vực", "by_category", ("Lĩnh vực", "Số phản ánh", "Tỷ lệ (%)")),
            ("Theo xa phuong", "by_commune", ("Xã, phường", "Số phản ánh", "Tỷ lệ (%)")),
            ("Theo co quan", "by_agency", ("Cơ quan xử lý", "Số phản ánh", "Tỷ lệ (%)")),
            ("Theo kenh", "by_channel", ("Kênh tiếp nhận", "Số phản ánh", "Tỷ lệ (%)"))):
        ws = book.create_sheet(title[:31])
        ws.append(columns)
        for cell in ws[1]:
            cell.font = bold
        for row in figures[key]:
            ws.append([row["label"], row["count"], row["value"]])
    ws = book.create_sheet("Dung han theo buoc")
    ws.append(("Bước", "Số lượt đã xong", "Đúng hạn", "Tỷ lệ đúng hạn (%)"))
    for row in figures["stages"]:
        ws.append([row["label"], row["count"], row["on_time"], row["value"]])
    ws = book.create_sheet("Hai long theo thang")
    ws.append(("Tháng", "Số lượt đánh giá", "Hài lòng", "Tỷ lệ hài lòng (%)"))
    for row in figures["trend"]:
        ws.append([row["label"], row["count"], row["satisfied"], row["value"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
