"""Demo catalogue for the Cần Thơ demo province.

`load_demo_catalogue()` imports `catalogue.json` through the same
`import_catalogue` action as a manager's upload, as the system (no user).
Idempotent: procedures identical to the file are left alone, so a second
call changes nothing. The demo agencies (codes `000.00.xx.H13`) must exist
first; the lead's `seed_demo` command creates them."""

from __future__ import annotations

import json
from pathlib import Path

DEMO_FILE = Path(__file__).with_name("catalogue.json")


def demo_data() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


DEMO_EXEMPTIONS = [  # (code, name, applies to, percent, legal basis) — demonstration data, to be checked by the province
    ("nguoi-co-cong", "Người có công với cách mạng và thân nhân", "charge", 100,
     "Dữ liệu trình diễn: các thông tư của Bộ Tài chính về lệ phí (tỉnh đối chiếu trước khi dùng)"),
    ("ho-ngheo", "Thành viên hộ nghèo, hộ cận nghèo", "charge", 100,
     "Dữ liệu trình diễn: nghị quyết của HĐND tỉnh về phí, lệ phí (tỉnh đối chiếu trước khi dùng)"),
    ("khuyet-tat", "Người khuyết tật", "all", 50,
     "Dữ liệu trình diễn: nghị quyết của HĐND tỉnh về phí, lệ phí (tỉnh đối chiếu trước khi dùng)"),
]


def load_demo_exemptions() -> int:
    """Fee exemptions by category of person for the demo (idempotent)."""
    from tinhso.catalogue.models import FeeExemption

    made = 0
    for code, name, applies_to, percent, basis in DEMO_EXEMPTIONS:
        _, created = FeeExemption.objects.get_or_create(code=code, procedure=None, defaults={
            "name": name, "applies_to": applies_to, "percent": percent, "legal_basis": basis})
        made += created
    return made


def load_demo_catalogue() -> dict:
    """Returns the import counts (created, updated, unchanged, total)."""
    from tinhso.catalogue.actions import import_catalogue

    return import_catalogue(demo_data(), acting_user=None, system=True)
