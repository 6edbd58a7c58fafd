"""Import addresses from Excel (.xlsx) or CSV (UTF-8), at most 5 MB (type decided by the content).

Columns (first row, in this order): Số nhà | Đường, phố | Ấp, khu vực | Xã, phường | Vĩ độ | Kinh độ.
The commune is its 5-digit code or its name, old or new form (recognised
through the 2025 succession; an unclear one is a row error). Every row is
checked on its own: a bad row is listed with its number and reason, good rows
are kept. A row already in the database (same place) is counted as existing
and adds nothing, so importing the same file again changes nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.addresses import actions
from tinhso.addresses.models import Address
from tinhso.audit.actions import record
from tinhso.core.errors import DomainError, InvalidInput
from tinhso.dossiers.uploads import check_upload

COLUMNS = ["Số nhà", "Đường, phố", "Ấp, khu vực", "Xã, phường", "Vĩ độ", "Kinh độ"]
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024  # 5,000 rows of an address are far below it
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
ALLOWED = {XLSX: "xlsx", CSV: "csv"}


@dataclass
class ImportResult:
    added: int = 0
    existing: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _bad_file(message: str) -> InvalidInput:
    return InvalidInput(message, code="invalid_file", errors=[{"field": "file", "message": message}])


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for row in wb.worksheets[0].iter_rows(values_only=True):
            yield ["" if c is None else str(c).strip() for c in (row or ())]
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, OSError, SyntaxError):
        # openpyxl reads the sheet lazily: a damaged one fails while its rows are read, not when it is opened
        raise _bad_file(_("Tệp không phải bảng tính Excel (.xlsx) đọc được.")) from None


def _csv_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _bad_file(_(
            "Tệp CSV không mã hóa UTF-8 (ký tự lạ ở dòng %(line)s); thường gặp khi lưu từ Excel với kiểu "
            "“CSV (Comma delimited)”, bảng mã Windows. Trong Excel chọn Lưu thành › “CSV UTF-8 (Comma delimited)” "
            "rồi nhập lại, hoặc nhập thẳng tệp Excel (.xlsx).") % {"line": line}) from None


def _csv_rows(data: bytes):
    text = _csv_text(data)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    read_to = 0  # the last line of the last whole row: the bad row starts after it
    try:
        for row in reader:
            read_to = reader.line_num
            yield [c.strip() for c in row]
    except csv.Error:
        # a cell over the csv module's field limit (128 KB), most often a quote never closed that swallows the rest
        raise _bad_file(_(
            "Tệp CSV không đọc được từ dòng %(line)s: có ô quá dài (hơn 128 KB), thường do một dấu ngoặc kép (\") "
            "mở mà không đóng. Sửa dòng đó rồi nhập lại.") % {"line": read_to + 1}) from None


def read_rows(upload):
    """(row number, 6 cells) for every non-empty data row. The file's type is
    decided by its content and its size capped (`check_upload`); then the header is checked."""
    checked = check_upload(upload, "file", allowed=ALLOWED, label="XLSX, CSV", limit=MAX_BYTES)
    rows = _xlsx_rows(checked.data) if checked.content_type == XLSX else _csv_rows(checked.data)
    header = next(rows, None)
    if header is None or [h.strip() for h in header[:len(COLUMNS)]] != COLUMNS:
        raise InvalidInput("Dòng tiêu đề phải là: " + " | ".join(COLUMNS) + ".", code="invalid_header",
                           errors=[{"field": "file", "message": "Dùng tệp mẫu."}])
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise InvalidInput(f"Tệp có quá {MAX_ROWS} dòng; hãy chia nhỏ.", code="too_many_rows")
        cells = (row + [""] * len(COLUMNS))[:len(COLUMNS)]
        if any(cells):
            yield number, cells


@transaction.atomic
def import_addresses(upload, *, acting_user) -> ImportResult:
    """Each row in its own savepoint: a bad row rolls back alone."""
    result = ImportResult()
    for number, (house, street, hamlet, commune, lat, lng) in list(read_rows(upload)):
        try:
            with transaction.atomic():
                unit = actions.resolve_commune(commune)
                key = actions.fingerprint(" ".join(house.split()), " ".join(street.split()),
                                          " ".join(hamlet.split()), unit)
                if Address.objects.filter(fingerprint=key).exists():
                    result.existing += 1
                    continue
                actions.register_address(acting_user=acting_user, house_number=house, street=street, hamlet=hamlet,
                                         unit_id=unit.pk, lat=lat, lng=lng, source="import")
                result.added += 1
        except DomainError as exc:
            detail = "; ".join(e["message"] for e in exc.errors if e.get("message")) if exc.errors else ""
            extra = f" ({detail})" if detail and detail not in exc.message else ""
            result.errors.append((number, exc.message + extra))
    record(actor=acting_user, action="addresses.import", changes={
        "added": result.added, "existing": result.existing, "errors": len(result.errors)})
    return result


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Địa chỉ"
    ws.append(COLUMNS)
    ws.append(["25", "đường Trần Hưng Đạo", "", "Phường Ninh Kiều", "10.0342", "105.7811"])
    ws.append(["", "", "ấp 3", "xã Vị Thủy, huyện Vị Thủy, Hậu Giang", "", ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
