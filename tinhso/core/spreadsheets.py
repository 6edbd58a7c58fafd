"""Excel in and out (openpyxl), shared by every app that imports or exports
a table: one copy of the formula guard, the header reading and the row
errors of an all-or-nothing import.

Out: `workbook_bytes` writes sheets of rows with a bold, frozen header row;
text typed by people goes through `core.cells.safe_cell`, so it is a text
cell exactly as typed, never a formula or an error value (OWASP "CSV
injection" for .xlsx).

In: the app checks the upload (`dossiers.uploads.check_upload(upload, "file",
allowed=XLSX, label="XLSX", limit=UPLOAD_LIMIT)`, core names no app) and
hands the bytes to `read_sheet`, which maps the header row through folded
column names (diacritics, case and punctuation forgiven) and returns the
non-empty data rows with their row numbers. An all-or-nothing import collects
its row errors ({"row", "column", "message"}) and raises `ImportRefused`."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tinhso.core.cells import safe_cell
from tinhso.core.errors import DomainError, InvalidInput
from tinhso.core.text import fold

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX = {XLSX_TYPE: "xlsx"}
UPLOAD_LIMIT = 5 * 1024 * 1024
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-][0-9 .,()]*")
DATE_FORMAT = "dd/mm/yyyy"


# Out --------------------------------------------------------------------------

def workbook_bytes(sheets: Iterable[tuple[str, list[str], Iterable[Iterable]]]) -> bytes:
    """An .xlsx of `sheets`, each (title, header, rows): text through
    `safe_cell` (a text cell, as typed), numbers as numbers, dates as Excel dates (dd/mm/yyyy), None
    as an empty cell; the header bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        for position, name in enumerate(header, 1):
            sheet.column_dimensions[get_column_letter(position)].width = max(10, min(40, len(name) + 4))
        cells = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=str(name))
            cell.data_type = "s"  # ours, but "=Số" would still be read as a formula
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for values in rows:
            row = []
            for value in values:
                if isinstance(value, str):
                    row.append(safe_cell(value))
                elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = DATE_FORMAT
                    row.append(cell)
                elif value is None or isinstance(value, (bool, int, float)) or hasattr(value, "is_finite"):
                    row.append(WriteOnlyCell(sheet, value=value))
                else:
                    row.append(safe_cell(str(value)))
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_xlsx(title: str, header: list[str], *examples: Iterable) -> bytes:
    """The blank file offered for download next to an import: the header and
    example rows."""
    return workbook_bytes([(title, header, examples)])


# In ---------------------------------------------------------------------------

class ImportRefused(InvalidInput):
    """An all-or-nothing import found bad rows and saved nothing. `rows` lists
    them: {"row": number, "column": header or "", "message": …}."""

    code = "bad_rows"

    def __init__(self, rows: list[dict]):
        count = len({r["row"] for r in rows})
        message = _("Tệp có %(n)s dòng lỗi; chưa nhập dòng nào. Sửa các dòng dưới đây rồi nhập lại.") % {"n": count}
        super().__init__(message, errors=[
            {"field": f"row {r['row']}",
             "message": f"{r['column']}: {r['message']}" if r.get("column") else r["message"]} for r in rows])
        self.rows = [{"column": "", **r} for r in rows]


class RowErrors:
    """The bad rows an all-or-nothing import collects while it checks every
    row; `refuse()` raises `ImportRefused` when there is any."""

    def __init__(self):
        self.rows: list[dict] = []

    def add(self, row: int, column: str, message: str) -> None:
        self.rows.append({"row": row, "column": column, "message": message})

    def check(self, row: int, column: str, check, *args, fields: dict | None = None, **kwargs):
        """`check(*args, **kwargs)`, or None with the error noted when it
        raises a DomainError: under the column `fields` names for the error's
        field, else under `column`."""
        try:
            return check(*args, **kwargs)
        except DomainError as exc:
            field_ = (exc.errors[0].get("field") if exc.errors else None) or ""
            self.add(row, (fields or {}).get(field_, column), exc.message)
            return None

    def count(self, row: int) -> int:
        return sum(1 for r in self.rows if r["row"] == row)

    def refuse(self) -> None:
        if self.rows:
            raise ImportRefused(self.rows)


def bad_file(message: str, code: str = "bad_workbook") -> InvalidInput:
    """The whole file is refused (unreadable, wrong header, too long)."""
    return InvalidInput(message, code=code, errors=[{"field": "file", "message": message}])


def header_key(text) -> str:
    """A header cell as a key of a `columns` mapping: "Giá (đồng)" → "gia dong"."""
    return fold(str(text or ""))


@dataclass
class Sheet:
    keys: list[str | None]
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number, {key: raw cell value})
    truncated: bool = False  # more than max_rows data rows: the rest was not read


def read_sheet(data: bytes, columns: dict[str, str], *, required: Iterable[str | tuple[str, ...]],
               headers: list[str], max_rows: int) -> Sheet:
    """The first sheet of the workbook `data`: its header mapped through
    `columns` (header_key → key), every non-empty data row up to `max_rows`.
    `required` names the keys that must be among the columns (a tuple: one
    of them); `headers` is what the message lists when one is missing."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = book.worksheets[0].iter_rows(values_only=True, max_row=max_rows + 2)
        header = next(rows, None) or ()
        keys = [columns.get(header_key(h)) for h in header]
        present = set(keys)
        if not all(({need} if isinstance(need, str) else set(need)) & present for need in required):
            raise bad_file(_("Dòng tiêu đề phải có các cột: %(cols)s.") % {"cols": ", ".join(headers)}, "bad_header")
        sheet = Sheet(keys)
        for number, raw in enumerate(rows, start=2):
            if number > max_rows + 1:
                sheet.truncated = True
                break
            values = {key: value for key, value in zip(keys, raw) if key}
            if any(cell_text(value) for value in values.values()):
                sheet.rows.append((number, values))
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001 - an unreadable workbook is the user's file, not our failure
        raise bad_file(_("Không đọc được tệp Excel.")) from None
    return sheet


def cell_text(value) -> str:
    """A cell as trimmed text: 12.0 → "12", and an apostrophe before = + - @
    (how older exports and hand-made sheets guard a formula) taken off."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] in FORMULA_START:
        text = text[1:]
    return text


def cell_date(value) -> datetime.date | None:
    """A date cell: an Excel date, or text dd/mm/yyyy, dd-mm-yyyy or
    yyyy-mm-dd; None when empty. ValueError for anything else."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)
