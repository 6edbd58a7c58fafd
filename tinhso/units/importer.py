"""Read the 2025 administrative-unit data set (shipped in tinhso/units/data/admin-units-2025).

Pure parsing: returns plain rows and never touches the database, so it can
be tested on its own. `tinhso.units.actions.import_units` writes the rows."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from tinhso.core.errors import InvalidInput

_MD_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*(\d{5})\s*\|(.*?)\|(.*?)\|\s*$")


@dataclass
class UnitRow:
    level: str
    code: str
    name: str
    parent_code: str | None
    current: bool


@dataclass
class SuccessionRow:
    level: str
    old_code: str
    new_code: str
    kind: str
    old_level: str = ""

    def __post_init__(self):
        self.old_level = self.old_level or self.level


@dataclass
class DataSet:
    units: list[UnitRow] = field(default_factory=list)
    successions: list[SuccessionRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _clean(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("<br>", " ")).strip()


def read_dataset(directory: Path) -> DataSet:
    directory = Path(directory)
    files = {name: directory / name for name in ("915_CTK-CSCL.csv", "1027_CTK-CSCL.md", "merges.json", "splits.json")}
    missing = [name for name, path in files.items() if not path.is_file()]
    if missing:
        raise InvalidInput(f"Thiếu tệp dữ liệu đơn vị hành chính trong {directory}: {', '.join(missing)}.",
                           code="admin_units_missing")
    try:
        merges = json.loads(files["merges.json"].read_text(encoding="utf-8"))["data"]
        splits = json.loads(files["splits.json"].read_text(encoding="utf-8"))["data"]
    except (ValueError, KeyError) as exc:
        raise InvalidInput(f"Tệp merges.json/splits.json không đúng định dạng: {exc}", code="admin_units_invalid")

    data = DataSet()
    provinces = _read_provinces(files["915_CTK-CSCL.csv"])
    for code, name in provinces.items():
        data.units.append(UnitRow("province", code, name, None, True))

    new_communes: dict[str, str] = {}
    for province in merges:
        pcode = province["level1_id"]
        if pcode not in provinces:
            data.warnings.append(f"merges.json: tỉnh {pcode} không có trong 915_CTK-CSCL.csv")
        for commune in province["level2s"]:
            new_communes[commune["level2_id"]] = pcode
            data.units.append(UnitRow("commune", commune["level2_id"], _clean(commune["name"]), pcode, True))

    listed = _read_commune_codes(files["1027_CTK-CSCL.md"])
    for code in sorted(set(listed) ^ set(new_communes)):
        where = "1027_CTK-CSCL.md" if code in listed else "merges.json"
        data.warnings.append(f"Mã xã {code} chỉ có trong {where}")

    # Old (pre-2025) provinces and communes, from the old -> new side.
    old_communes: dict[str, str] = {}
    for old_province in splits:
        ocode = old_province["level1_id"]
        data.units.append(UnitRow("province", ocode, _clean(old_province["name"]), None, False))
        for commune in old_province.get("level3s", []):
            old_communes[commune["level3_id"]] = ocode
            data.units.append(UnitRow("commune", commune["level3_id"], _clean(commune["name"]), ocode, False))

    pairs: dict[tuple[str, str, str], str] = {}
    district_codes: set[str] = set()
    for province in merges:
        for old in province["merges"]:
            pairs[("province", old["old_id"], province["level1_id"])] = old["type"]
        for commune in province["level2s"]:
            for old in commune["merges"]:
                old_level = "commune"
                if old["old_id"] not in old_communes:
                    # A whole old district (3-digit code) became a special zone (đặc khu).
                    old_level = "district" if len(old["old_id"]) == 3 else "commune"
                    old_communes[old["old_id"]] = ""
                    data.units.append(UnitRow(old_level, old["old_id"], _clean(old["name"]), None, False))
                    if old_level == "commune":
                        data.warnings.append(f"merges.json: xã cũ {old['old_id']} {old['name']} không có trong splits.json")
                pairs[("commune", old["old_id"], commune["level2_id"])] = old["type"]
                if old_level == "district":
                    district_codes.add(old["old_id"])
    for old_province in splits:
        for target in old_province.get("splits", []):
            pairs.setdefault(("province", old_province["level1_id"], target["new_id"]), "full")
        for commune in old_province.get("level3s", []):
            targets = commune.get("splits", [])
            for target in targets:
                key = ("commune", commune["level3_id"], target["new_id"])
                if key not in pairs:
                    pairs[key] = "full" if len(targets) == 1 else "partial"
    for (level, old_code, new_code), kind in sorted(pairs.items()):
        if kind not in ("full", "partial"):
            data.warnings.append(f"Kiểu kế thừa lạ {kind!r} cho {old_code} -> {new_code}; coi là partial")
            kind = "partial"
        old_level = "district" if level == "commune" and old_code in district_codes else level
        data.successions.append(SuccessionRow(level, old_code, new_code, kind, old_level))
    return data


def _read_provinces(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        return {row[1].strip().zfill(2): _clean(row[2]) for row in reader if len(row) >= 3 and row[1].strip()}


def _read_commune_codes(path: Path) -> list[str]:
    codes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _MD_ROW.match(line)
        if match:
            codes.append(match.group(2))
    return codes
