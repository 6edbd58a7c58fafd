"""`safe_cell`: text typed by people is written to Excel as text, never as a
formula or an error value, in ordinary and write-only workbooks."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from tinhso.core.cells import safe_cell

TYPED = ["=1+1", "=HYPERLINK(\"http://x.example\",\"Bấm\")", "#N/A", "+84 912 345 678", "-2", "@SUM(A1)",
         "Nguyễn\x07 Văn An"]


@pytest.mark.parametrize("write_only", [False, True])
def test_text_stays_text_and_other_values_stay_what_they_are(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("Trang") if write_only else book.active
    when = datetime.datetime(2026, 3, 2, 8, 0)
    sheet.append([safe_cell(v) for v in TYPED])
    sheet.append([safe_cell(v) for v in (7, 1.5, when, None, "")])
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml and b't="e"' not in xml
    read = load_workbook(io.BytesIO(out.getvalue()))
    sheet = read.worksheets[-1]
    first = [sheet.cell(row=1, column=c) for c in range(1, len(TYPED) + 1)]
    assert [c.value for c in first] == TYPED[:-1] + ["Nguyễn Văn An"]  # a control character a workbook cannot hold
    assert {c.data_type for c in first} == {"s"}
    assert [sheet.cell(row=2, column=c).value for c in range(1, 4)] == [7, 1.5, when]


def test_plain_openpyxl_would_have_made_a_formula():
    """What the helper guards against (if openpyxl stops doing this, the
    helper may go)."""
    sheet = Workbook().active
    sheet.append(["=1+1"])
    assert sheet["A1"].data_type == "f"
    assert safe_cell(None) is None and safe_cell(3) == 3
