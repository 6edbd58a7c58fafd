"""Sổ theo dõi hồ sơ (form 07): the tracking book of dossiers, filtered and
exported to Excel.

`book_queryset` selects the dossiers of the agencies a user may see (as the
receiving or the competent agency), by the day they were received (or
submitted, when never received), status, procedure, outcome and code.
`book_xlsx` writes them with a streaming (write-only) workbook, so tens of
thousands of rows stay cheap in memory."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tinhso.core.cells import safe_cell
from tinhso.dossiers.models import Dossier, Outcome, Status

COLUMNS = [  # (header, width)
    ("STT", 6),
    ("Số vào sổ", 9),
    ("Mã hồ sơ", 28),
    ("Thủ tục", 45),
    ("Chủ hồ sơ", 24),
    ("Địa chỉ", 32),
    ("Điện thoại", 14),
    ("Số bộ hồ sơ", 8),
    ("Ngày nhận", 17),
    ("Hẹn trả", 17),
    ("Chuyển cơ quan giải quyết", 17),
    ("Nhận kết quả từ cơ quan giải quyết", 17),
    ("Ngày trả", 17),
    ("Trạng thái", 22),
    ("Kết quả (trước/đúng/quá hạn)", 16),
    ("Cơ quan giải quyết", 32),
    ("Ghi chú", 40),
]
DATE_FORMAT = "dd/mm/yyyy hh:mm"
STATUS_LABELS = {value: str(label) for value, label in Status.choices}
OUTCOME_LABELS = {value: str(label) for value, label in Outcome.choices}
CHUNK = 2000


def _start_of(day: datetime.date) -> datetime.datetime:
    """Local midnight of `day`, aware."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def book_queryset(*, agencies, date_from=None, date_to=None, status=None, procedure=None, outcome=None, q=None):
    """Dossiers of `agencies` (a queryset or list of agencies the user may
    see) as receiving or competent agency, in book order (day received, then
    id). Dates are inclusive local days; `status` an int or a list of them;
    `procedure` a Procedure or its id; `outcome` "early"/"on_time"/"late"
    (the outcome recorded when the dossier was finished); `q` part of the
    code. The rows carry `book_at` = received_at, or submitted_at if never
    received."""
    qs = (Dossier.objects
          .filter(Q(receiving_agency__in=agencies) | Q(competent_agency__in=agencies))
          .annotate(book_at=Coalesce("received_at", "submitted_at")))
    if date_from:
        qs = qs.filter(book_at__gte=_start_of(_as_date(date_from)))
    if date_to:
        qs = qs.filter(book_at__lt=_start_of(_as_date(date_to) + datetime.timedelta(days=1)))
    if status not in (None, ""):
        statuses = [int(s) for s in status] if isinstance(status, (list, tuple, set, frozenset)) else [int(status)]
        qs = qs.filter(status__in=statuses)
    if procedure not in (None, ""):
        qs = qs.filter(procedure=procedure)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if q and q.strip():
        qs = qs.filter(code__icontains=q.strip())
    return qs.order_by("book_at", "id")


def _naive(value: datetime.datetime | None) -> datetime.datetime | None:
    """Excel has no time zones: the Vietnam wall-clock time, naive."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def _note(dossier) -> str:
    parts = []
    if dossier.reason and dossier.status in (Status.REFUSED, Status.STOPPED, Status.WITHDRAWN, Status.SUPPLEMENT):
        parts.append(dossier.reason)
    if dossier.extensions:
        parts.append(f"Gia hạn {dossier.extensions} lần")
    if dossier.returned_to:
        parts.append(f"Người nhận kết quả: {dossier.returned_to}")
    return "; ".join(parts)[:1000]


def book_rows(queryset) -> Iterable[list]:
    """The book's cell values, one list per dossier (dates naive, local)."""
    from django.db.models import F, OuterRef, Subquery

    from tinhso.dossiers.models import DossierEvent

    sent = (DossierEvent.objects.filter(dossier=OuterRef("pk"), action="forward")
            .exclude(receiver_agency=F("dossier__receiving_agency")).order_by("at", "id").values("at")[:1])
    qs = (queryset.select_related("procedure", "competent_agency")
          .only("code", "owner_name", "owner_address", "owner_phone", "received_at", "submitted_at", "due_at",
                "finished_at", "returned_at", "status", "outcome", "reason", "extensions", "returned_to",
                "procedure__name", "competent_agency__name", "book_number", "sets")
          .annotate(sent_at=Subquery(sent)))
    for index, dossier in enumerate(qs.iterator(chunk_size=CHUNK), 1):
        yield [
            index,
            dossier.book_number,
            dossier.code,
            dossier.procedure.name,
            dossier.owner_name,
            dossier.owner_address,
            dossier.owner_phone,
            dossier.sets,
            _naive(dossier.received_at or dossier.submitted_at),
            _naive(dossier.due_at),
            _naive(dossier.sent_at),
            _naive(dossier.finished_at),
            _naive(dossier.returned_at),
            STATUS_LABELS.get(dossier.status, str(dossier.status)),
            OUTCOME_LABELS.get(dossier.outcome, ""),
            dossier.competent_agency.name,
            _note(dossier),
        ]


def book_xlsx(queryset, *, title: str = "Sổ theo dõi hồ sơ") -> bytes:
    """The tracking book as an .xlsx file: a bold header row, then one row
    per dossier; dates are real Excel date-times in Vietnam time."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for position, (_, width) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    header = []
    for name, _ in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        header.append(cell)
    sheet.append(header)
    for values in book_rows(queryset):
        row = []
        for value in values:
            if isinstance(value, datetime.datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
            elif isinstance(value, str):
                cell = safe_cell(value)  # text stays text: "=..." typed by an applicant is not a formula
            else:
                cell = WriteOnlyCell(sheet, value=value)
            row.append(cell)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
