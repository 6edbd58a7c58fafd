"""Editing a case's online form (biểu mẫu điện tử)."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.text import slugify

from tinhso.audit.actions import record
from tinhso.catalogue.actions import check_can_manage
from tinhso.catalogue.models import FieldKind, FormField, Prefill, ProcedureCase
from tinhso.core.errors import InvalidInput
from tinhso.core.text import fold

EDITABLE = ["order", "key", "label", "kind", "required", "help_text", "choices", "pattern", "max_length", "prefill"]


def _clean(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    errors, clean, keys = [], [], set()
    for i, row in enumerate(rows):
        where = f"fields[{i}]"
        label = (row.get("label") or "").strip()
        if not label:
            errors.append({"field": f"{where}.label", "message": "Cần nhập nhãn."})
            continue
        key = slugify(fold(row.get("key") or label)).replace("-", "_")[:60] or f"truong_{i + 1}"
        if key in keys:
            errors.append({"field": f"{where}.key", "message": f"Mã trường “{key}” bị trùng."})
        keys.add(key)
        kind = row.get("kind") or FieldKind.TEXT
        if kind not in FieldKind.values:
            errors.append({"field": f"{where}.kind", "message": "Kiểu trường không hợp lệ."})
        prefill = row.get("prefill") or ""
        if prefill not in Prefill.values:
            errors.append({"field": f"{where}.prefill", "message": "Nguồn lấy sẵn không hợp lệ."})
        pattern = (row.get("pattern") or "").strip()
        if pattern:
            try:
                re.compile(pattern)
            except re.error:
                errors.append({"field": f"{where}.pattern", "message": "Biểu thức kiểm tra không hợp lệ."})
        choices = (row.get("choices") or "").strip()
        if kind == FieldKind.SELECT and not choices:
            errors.append({"field": f"{where}.choices", "message": "Trường chọn cần ít nhất một lựa chọn."})
        clean.append({"order": int(row.get("order") or i + 1), "key": key, "label": label[:300], "kind": kind,
                      "required": bool(row.get("required")), "help_text": (row.get("help_text") or "")[:500],
                      "choices": choices, "pattern": pattern, "max_length": row.get("max_length") or None,
                      "prefill": prefill})
    return clean, errors


@transaction.atomic
def save_form_fields(*, acting_user, case: ProcedureCase, rows: list[dict]) -> list[FormField]:
    """Replace the online form of `case` by `rows` (all or nothing). Earlier
    dossiers keep their answers: they store them by field key.
    `acting_user=None` is the system (demo seeding)."""
    check_can_manage(acting_user, system=acting_user is None)
    clean, errors = _clean(rows)
    if errors:
        raise InvalidInput("Biểu mẫu có lỗi; chưa lưu thay đổi nào.", code="invalid_form_fields", errors=errors)
    before = list(case.form_fields.values(*EDITABLE))
    case.form_fields.all().delete()
    fields = FormField.objects.bulk_create([FormField(case=case, **row) for row in clean])
    record(actor=acting_user, action="catalogue.case.form_fields", obj=case,
           changes={"before": len(before), "after": len(clean), "keys": [r["key"] for r in clean]})
    return fields
