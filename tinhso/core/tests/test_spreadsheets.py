"""The shared Excel helpers: the formula guard on the way out, the header and
cells on the way in, the row errors of an all-or-nothing import."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tinhso.core.errors import InvalidInput, field_error
from tinhso.core.spreadsheets import (
    ImportRefused, RowErrors, cell_date, cell_text, read_sheet, workbook_bytes,
)


def test_a_written_workbook_holds_text_numbers_and_dates_never_a_formula():
    data = workbook_bytes([("Sheet", ["Tên", "=Số"], [["=1+1", 3, Decimal("12.50"), datetime.date(2026, 1, 2),
                                                        None, "x"]])])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "Sheet"
    assert [c.value for c in sheet[1]][:2] == ["Tên", "=Số"] and sheet.freeze_panes == "A2"
    assert sheet[1][1].data_type == "s"
    name, count, area, day, empty, plain = sheet[2]
    assert name.value == "=1+1" and name.data_type == "s"  # as typed, a text cell: never run
    assert count.value == 3 and area.value == 12.5 and day.value == datetime.datetime(2026, 1, 2)
    assert day.number_format == "dd/mm/yyyy" and empty.value is None and plain.value == "x"


def _book(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


COLUMNS = {"ma so": "code", "dien tich ha": "area", "xa phuong": "commune", "ma xa phuong": "commune_code"}


def test_headers_are_forgiving_and_empty_rows_are_skipped():
    sheet = read_sheet(_book(("MÃ SỐ", "Diện tích (ha)", "Cột lạ", "Mã xã, phường"), ("A-1", 12.5, "x", 31299),
                             (None, " ", None, None), ("'=B", None, None, None)),
                       COLUMNS, required=["code", ("commune", "commune_code")], headers=["Mã số"], max_rows=10)
    assert sheet.keys == ["code", "area", None, "commune_code"] and not sheet.truncated
    assert [(n, v["code"]) for n, v in sheet.rows] == [(2, "A-1"), (4, "'=B")]
    assert cell_text(sheet.rows[1][1]["code"]) == "=B"  # an older export's apostrophe comes off


def test_a_missing_column_an_unreadable_file_and_too_many_rows():
    with pytest.raises(InvalidInput) as caught:
        read_sheet(_book(("Mã số", "Diện tích (ha)")), COLUMNS, required=["code", ("commune", "commune_code")],
                   headers=["Mã số", "Xã, phường"], max_rows=10)
    assert caught.value.code == "bad_header" and "Xã, phường" in caught.value.message
    with pytest.raises(InvalidInput, match="Không đọc được"):
        read_sheet(b"PK\x03\x04 broken", COLUMNS, required=[], headers=[], max_rows=10)
    sheet = read_sheet(_book(("Mã số",), *[(f"A{n}",) for n in range(5)]), COLUMNS, required=["code"],
                       headers=["Mã số"], max_rows=3)
    assert sheet.truncated and len(sheet.rows) == 3


@pytest.mark.parametrize("value, expected", [
    (12.0, "12"), (12.5, "12.5"), (" a ", "a"), (None, ""), (datetime.datetime(2026, 3, 4), "04/03/2026"),
    ("'+x", "+x"), ("'abc", "'abc"),
])
def test_cell_text(value, expected):
    assert cell_text(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("20/11/2024", datetime.date(2024, 11, 20)), ("20-11-2024", datetime.date(2024, 11, 20)),
    ("2024-11-20", datetime.date(2024, 11, 20)), (datetime.datetime(2024, 11, 20, 8), datetime.date(2024, 11, 20)),
    ("", None), (None, None),
])
def test_cell_date(value, expected):
    assert cell_date(value) == expected


@pytest.mark.parametrize("value", ["hôm qua", "31/02/2024", 45000, "nan"])
def test_cell_date_refuses_what_is_not_a_date(value):
    with pytest.raises(ValueError):
        cell_date(value)


def test_row_errors_name_the_column_of_the_field_and_refuse_all_at_once():
    errors = RowErrors()

    def bad(field):
        raise field_error(field, "Sai.")

    assert errors.check(2, "Cột A", lambda: 5) == 5
    assert errors.check(3, "Cột A", bad, "lat", fields={"lat": "Vĩ độ"}) is None
    errors.check(3, "Cột B", bad, "other", fields={"lat": "Vĩ độ"})
    errors.add(5, "", "Trùng.")
    assert errors.count(3) == 2 and errors.count(2) == 0
    with pytest.raises(ImportRefused) as caught:
        errors.refuse()
    assert caught.value.rows == [{"row": 3, "column": "Vĩ độ", "message": "Sai."},
                                 {"row": 3, "column": "Cột B", "message": "Sai."},
                                 {"row": 5, "column": "", "message": "Trùng."}]
    assert caught.value.message.startswith("Tệp có 2 dòng lỗi")
    assert caught.value.errors[0] == {"field": "row 3", "message": "Vĩ độ: Sai."}
    RowErrors().refuse()  # nothing wrong: no exception
