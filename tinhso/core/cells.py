"""Spreadsheet cells written from data people typed: text stays text.

openpyxl turns a string that starts with `=` into a live formula (and `#N/A`
and the like into error values), so a dossier owner named `=HYPERLINK(...)`
or a meeting titled `=1+1` would run in the reader's Excel. `safe_cell`
gives `sheet.append([...])` (an ordinary or a write-only worksheet) a value
that is written exactly as typed, as a text cell."""

from __future__ import annotations

from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


class _Text(Cell):
    """A text cell not yet on a sheet: `sheet.append` places it (a write-only
    sheet names the value it cannot take in a message, so it must print
    without a sheet)."""

    __slots__ = ()

    def __repr__(self):
        return f"<text cell {self._value!r}>"


def safe_cell(value):
    """`value` for a row of cells: text (without the control characters a
    workbook may not hold) becomes a text cell, never a formula or an error
    value; numbers, dates and None are returned as they are."""
    if not isinstance(value, str):
        return value
    cell = _Text(None, row=1, column=1, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # openpyxl made "=..." a formula ("f") and "#N/A" an error ("e")
    return cell
