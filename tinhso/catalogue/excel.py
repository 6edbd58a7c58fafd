"""The catalogue as an Excel workbook: one sheet per table, a header row of
column keys, rows keyed by procedure code (and case code). Reading turns the
workbook back into the nested import format and remembers which sheet row each
item came from, so validation errors can name `Sheet "Fees" row 7`."""

from __future__ import annotations

import datetime
import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

SHEETS = {
    "Fields": ["code", "name"],
    "Procedures": ["code", "name", "field", "levels", "online_level", "legacy_level", "result_name", "legal_basis",
                   "decision", "inter_agency", "fee_status", "is_active", "note", "sample_fields"],
    "Agencies": ["procedure_code", "agency", "agency_kind", "role", "level", "valid_from", "valid_to"],
    "Cases": ["procedure_code", "code", "name", "processing_time", "time_unit", "online_processing_time",
              "digital_signature_required", "online_payment_required", "not_online", "authorised_filing",
              "no_appointment", "fee_payment_moment", "valid_from", "valid_to"],
    "Components": ["procedure_code", "case_code", "order", "name", "paper_code", "originals", "copies", "required",
                   "template_url", "from_data_store", "from_national_db"],
    "Fees": ["procedure_code", "case_code", "kind", "name", "amount", "note", "valid_from", "valid_to"],
    "Steps": ["procedure_code", "case_code", "order", "name", "role", "agency", "agency_kind", "allowance",
              "allowance_unit", "forward_to", "back_to"],
}
DATE_COLUMNS = {"valid_from", "valid_to"}
LIST_COLUMNS = {"levels", "sample_fields"}


def _cell(key: str, value):
    if value is None:
        return None
    if key in DATE_COLUMNS:
        return datetime.date.fromisoformat(value)
    if key in LIST_COLUMNS:
        return ", ".join(value)
    return value


def workbook_bytes(catalogue: dict) -> bytes:
    """An .xlsx file of `catalogue` (the shape `export_catalogue` returns)."""
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {name: wb.create_sheet(name) for name in SHEETS}
    for name, ws in sheets.items():
        ws.append(SHEETS[name])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"

    def put(sheet: str, row: dict):
        sheets[sheet].append([_cell(k, row.get(k)) for k in SHEETS[sheet]])

    for field in catalogue.get("fields", []):
        put("Fields", field)
    for p in catalogue.get("procedures", []):
        put("Procedures", p)
        for a in p["agencies"]:
            put("Agencies", {"procedure_code": p["code"], **a})
        for case in p["cases"]:
            put("Cases", {"procedure_code": p["code"], **case})
            keys = {"procedure_code": p["code"], "case_code": case["code"]}
            for comp in case["components"]:
                put("Components", {**keys, **comp})
            for fee in case["fees"]:
                put("Fees", {**keys, **fee})
            for step in case["steps"]:
                targets = {kind: ", ".join(str(m["to"]) for m in case["moves"]
                                           if m["from"] == step["order"] and m["kind"] == kind)
                           for kind in ("forward", "back")}
                put("Steps", {**keys, **step, "forward_to": targets["forward"] or None,
                              "back_to": targets["back"] or None})
    for ws in sheets.values():
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = max(12, min(50, len(str(column[0].value)) + 4))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _where(sheet: str, row: int) -> str:
    return f'Sheet "{sheet}" row {row}'


def _key(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _targets(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [value]
    return [t.strip() for t in re.split(r"[,;\s]+", str(value)) if t.strip()]


class WorkbookReader:
    """Reads an .xlsx into (data, errors) and locates validation errors."""

    def __init__(self, content: bytes):
        self.content = content
        self.locations: dict[str, tuple[str, int]] = {}
        self.errors: list[dict] = []

    def _rows(self, wb, sheet: str):
        if sheet not in wb.sheetnames:
            self.errors.append({"field": f'Sheet "{sheet}"', "message": _("Thiếu trang tính “%(s)s”.") % {"s": sheet}})
            return
        rows = wb[sheet].iter_rows(values_only=True)
        header = [(_key(h)) for h in next(rows, ())]
        unknown = [h for h in header if h and h not in SHEETS[sheet]]
        for h in unknown:
            self.errors.append({"field": _where(sheet, 1),
                                "message": _("Cột “%(c)s” không được hỗ trợ.") % {"c": h}})
        missing = [h for h in SHEETS[sheet][:2] if h not in header]
        for h in missing:
            self.errors.append({"field": _where(sheet, 1), "message": _("Thiếu cột “%(c)s”.") % {"c": h}})
        if unknown or missing:
            return
        for number, values in enumerate(rows, start=2):
            if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            yield number, {h: v for h, v in zip(header, values) if h}

    def read(self) -> dict:
        wb = load_workbook(io.BytesIO(self.content), read_only=True, data_only=True)
        try:
            return self._read(wb)
        finally:
            wb.close()

    def _read(self, wb) -> dict:
        data = {"fields": [], "procedures": []}
        for number, row in self._rows(wb, "Fields"):
            self.locations[f"fields[{len(data['fields'])}]"] = ("Fields", number)
            data["fields"].append(row)
        procs, cases = {}, {}
        for number, row in self._rows(wb, "Procedures"):
            path = f"procedures[{len(data['procedures'])}]"
            self.locations[path] = ("Procedures", number)
            item = {**row, "agencies": [], "cases": []}
            data["procedures"].append(item)
            procs.setdefault(_key(row.get("code")), (path, item))
        for number, row in self._rows(wb, "Agencies"):
            parent = self._parent(procs, row, "Agencies", number)
            if parent:
                path, item = parent
                self.locations[f"{path}.agencies[{len(item['agencies'])}]"] = ("Agencies", number)
                item["agencies"].append({k: v for k, v in row.items() if k != "procedure_code"})
        for number, row in self._rows(wb, "Cases"):
            parent = self._parent(procs, row, "Cases", number)
            if parent:
                path, item = parent
                cpath = f"{path}.cases[{len(item['cases'])}]"
                self.locations[cpath] = ("Cases", number)
                case = {**{k: v for k, v in row.items() if k != "procedure_code"},
                        "components": [], "fees": [], "steps": [], "moves": []}
                item["cases"].append(case)
                cases.setdefault((_key(row.get("procedure_code")), _key(row.get("code"))), (cpath, case))
        for sheet, key in (("Components", "components"), ("Fees", "fees"), ("Steps", "steps")):
            for number, row in self._rows(wb, sheet):
                parent = self._case(cases, row, sheet, number)
                if not parent:
                    continue
                cpath, case = parent
                self.locations[f"{cpath}.{key}[{len(case[key])}]"] = (sheet, number)
                values = {k: v for k, v in row.items() if k not in ("procedure_code", "case_code", "forward_to",
                                                                     "back_to")}
                case[key].append(values)
                if sheet == "Steps":
                    for kind, column in (("forward", "forward_to"), ("back", "back_to")):
                        for target in _targets(row.get(column)):
                            self.locations[f"{cpath}.moves[{len(case['moves'])}]"] = (sheet, number)
                            case["moves"].append({"from": row.get("order"), "to": target, "kind": kind})
        return data

    def _parent(self, procs, row, sheet, number):
        code = _key(row.get("procedure_code"))
        if code not in procs:
            self.errors.append({"field": _where(sheet, number), "message": _(
                "Cột procedure_code: không có thủ tục mã “%(c)s” trong trang Procedures.") % {"c": code}})
            return None
        return procs[code]

    def _case(self, cases, row, sheet, number):
        key = (_key(row.get("procedure_code")), _key(row.get("case_code")))
        if key not in cases:
            self.errors.append({"field": _where(sheet, number), "message": _(
                "Không có trường hợp mã “%(c)s” của thủ tục “%(p)s” trong trang Cases.") % {"c": key[1], "p": key[0]}})
            return None
        return cases[key]

    def locate(self, errors: list[dict]) -> list[dict]:
        """Turn `procedures[0].cases[1].fees[2].amount` into `Sheet "Fees" row 9`
        with the column named in the message."""
        out = []
        for error in errors:
            path, rest = error["field"], ""
            while path and path not in self.locations:
                cut = max(path.rfind("."), path.rfind("["))
                rest = path[cut:].lstrip(".") + ("." + rest if rest else "") if cut >= 0 else path
                path = path[:cut] if cut >= 0 else ""
            if not path:
                out.append(error)
                continue
            sheet, number = self.locations[path]
            column = rest.split(".")[0] if rest else ""
            if sheet == "Steps" and ".moves[" in path:
                column = "forward_to / back_to"
            message = error["message"]
            if column and not column.startswith("["):
                message = _("Cột %(c)s: %(m)s") % {"c": column, "m": message}
            out.append({"field": _where(sheet, number), "message": message})
        return out
