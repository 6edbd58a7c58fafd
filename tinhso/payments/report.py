"""Báo cáo đối soát thanh toán hằng ngày: for one agency (and the agencies
under it) and one day, every payment request with activity that day
(created, paid, cancelled or refunded), totals per status, the rows where the
payment platform's last known status disagrees with ours, and the verified
platform results that were not applied (money possibly taken but not
recorded: late, duplicate or mismatched payments to look into)."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tinhso.payments import gateway
from tinhso.payments.models import GatewayMessage, MessageKind, Method, PaymentRequest, PaymentStatus
from tinhso.core.cells import safe_cell

STATUS_LABELS = dict(PaymentStatus.choices)
METHOD_LABELS = dict(Method.choices)
UNAPPLIED_OUTCOMES = ("not_payable", "amount_mismatch", "outside_window", "transaction_reused")
COLUMNS = [("STT", 6), ("Mã tham chiếu", 20), ("Mã hồ sơ", 26), ("Người nộp", 24), ("Số tiền (đồng)", 14),
           ("Hình thức", 16), ("Kênh", 10), ("Mã giao dịch cổng", 22), ("Trạng thái hệ thống", 16),
           ("Trạng thái trên cổng", 24), ("Thời điểm thanh toán", 18), ("Số tiền hoàn", 12), ("Ghi chú đối soát", 50)]


def _bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def payments_of_day(queryset, day: datetime.date):
    start, end = _bounds(day)
    active = Q()
    for name in ("created_at", "paid_at", "cancelled_at", "refunded_at"):
        active |= Q(**{f"{name}__gte": start, f"{name}__lt": end})
    return queryset.filter(active)


def for_agency(agency):
    return PaymentRequest.objects.filter(agency__path__startswith=agency.path)


def disagreement(payment: PaymentRequest) -> str:
    """Why the platform's last known status disagrees with ours ("" when it
    agrees or the platform was never asked)."""
    gs = payment.gateway_status
    if not gs:
        return ""
    online = bool(payment.gateway_transaction_id) or payment.method == Method.ONLINE
    label = gateway.STATE_LABELS.get(gs, gs)
    ours = STATUS_LABELS.get(payment.status, payment.status)
    if payment.status == PaymentStatus.PAID and online and gs != gateway.STATE_PAID:
        return f"Hệ thống: {ours}; cổng: {label}"
    if payment.status == PaymentStatus.PAID and not online and gs == gateway.STATE_PAID:
        return "Đã thu tại quầy nhưng cổng cũng báo đã thanh toán (nộp hai lần, cần hoàn tiền)"
    if payment.status == PaymentStatus.REFUNDED and online and gs != gateway.STATE_REFUNDED:
        return f"Hệ thống: {ours}; cổng: {label}"
    if payment.status in (PaymentStatus.PENDING, PaymentStatus.EXPIRED, PaymentStatus.CANCELLED) \
            and gs in (gateway.STATE_PAID, gateway.STATE_REFUNDED):
        return f"Hệ thống: {ours}; cổng: {label} (chưa ghi nhận trên hệ thống)"
    return ""


@dataclass
class Report:
    agency: object
    day: datetime.date
    rows: list = field(default_factory=list)  # (payment, disagreement)
    totals: list = field(default_factory=list)  # (status label, count, amount)
    disagreements: list = field(default_factory=list)
    unapplied: list = field(default_factory=list)  # GatewayMessage
    collected: int = 0
    refunded: int = 0

    @property
    def net(self) -> int:
        return self.collected - self.refunded


def build_report(agency, day: datetime.date) -> Report:
    report = Report(agency=agency, day=day)
    qs = (payments_of_day(for_agency(agency), day).select_related("dossier", "agency")
          .order_by("created_at", "id"))
    counts = {status: [0, 0] for status in PaymentStatus.values}
    for payment in qs:
        note = disagreement(payment)
        report.rows.append((payment, note))
        if note:
            report.disagreements.append((payment, note))
        counts[payment.status][0] += 1
        counts[payment.status][1] += payment.amount
        if payment.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
            report.collected += payment.amount
        if payment.status == PaymentStatus.REFUNDED:
            report.refunded += payment.refund_amount or 0
    report.totals = [(STATUS_LABELS[s], c, a) for s, (c, a) in counts.items()]
    start, end = _bounds(day)
    messages = (GatewayMessage.objects.filter(kind=MessageKind.RESULT, verified=True, applied=False,
                                              outcome__in=UNAPPLIED_OUTCOMES, created_at__gte=start,
                                              created_at__lt=end, payment__agency__path__startswith=agency.path)
                .select_related("payment").order_by("created_at", "id"))
    report.unapplied = [m for m in messages if m.fields.get("MaLoi") == gateway.RESULT_SUCCESS]
    return report


def _naive(value):
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0) if value else None


def _clean(value) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value or ""))


def row_values(index: int, payment: PaymentRequest, note: str) -> list:
    return [index, payment.reference, payment.dossier.code, _clean(payment.payer_name), payment.amount,
            METHOD_LABELS.get(payment.method, payment.method), payment.channel, payment.gateway_transaction_id or "",
            STATUS_LABELS.get(payment.status, payment.status),
            gateway.STATE_LABELS.get(payment.gateway_status, payment.gateway_status) or "Chưa tra cứu",
            _naive(payment.paid_at), payment.refund_amount or None, _clean(note)]


def report_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Đối soát"
    bold = Font(bold=True)
    sheet.append([f"BÁO CÁO ĐỐI SOÁT THANH TOÁN NGÀY {report.day:%d/%m/%Y}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"Cơ quan thu: {_clean(report.agency.name)}"])
    sheet.append([f"Lập lúc: {timezone.localtime():%H:%M %d/%m/%Y}"])
    sheet.append([])
    sheet.append([name for name, _ in COLUMNS])
    for cell in sheet[5]:
        cell.font = bold
    for position, (_, width) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    for index, (payment, note) in enumerate(report.rows, 1):
        sheet.append([safe_cell(v) for v in row_values(index, payment, note)])  # a payer's name is typed text
        sheet.cell(row=sheet.max_row, column=5).number_format = "#,##0"
        sheet.cell(row=sheet.max_row, column=11).number_format = "dd/mm/yyyy hh:mm"
    sheet.append([])
    sheet.append(["", "TỔNG HỢP THEO TRẠNG THÁI", "", "Số yêu cầu", "Số tiền (đồng)"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for label, count, amount in report.totals:
        sheet.append(["", label, "", count, amount])
        sheet.cell(row=sheet.max_row, column=5).number_format = "#,##0"
    sheet.append(["", "Tổng cộng", "", len(report.rows), sum(a for _, _, a in report.totals)])
    sheet.append(["", "Đã thu (đã thanh toán và đã hoàn)", "", "", report.collected])
    sheet.append(["", "Đã hoàn tiền", "", "", report.refunded])
    sheet.append(["", "Thực thu", "", "", report.collected - report.refunded])

    mismatch = workbook.create_sheet("Lệch trạng thái")
    mismatch.append([name for name, _ in COLUMNS])
    for cell in mismatch[1]:
        cell.font = bold
    for position, (_, width) in enumerate(COLUMNS, 1):
        mismatch.column_dimensions[get_column_letter(position)].width = width
    for index, (payment, note) in enumerate(report.disagreements, 1):
        mismatch.append(row_values(index, payment, note))

    unapplied = workbook.create_sheet("Giao dịch chưa ghi nhận")
    unapplied.append(["STT", "Thời điểm nhận", "Mã tham chiếu", "Mã giao dịch cổng", "Số tiền", "Kênh", "Lý do"])
    for cell in unapplied[1]:
        cell.font = bold
    for index, message in enumerate(report.unapplied, 1):
        unapplied.append([index, _naive(message.created_at), message.reference, message.transaction_id,
                          message.fields.get("SoTien", ""), message.fields.get("MaKenhThanhToan", ""),
                          _clean(message.detail or message.outcome)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
