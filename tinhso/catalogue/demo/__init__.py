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


def load_demo_catalogue() -> dict:
    """Returns the import counts (created, updated, unchanged, total)."""
    from tinhso.catalogue.actions import import_catalogue

    return import_catalogue(demo_data(), acting_user=None, system=True)
