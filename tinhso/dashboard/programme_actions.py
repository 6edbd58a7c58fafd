"""Changes to the programme's targets (chỉ tiêu chương trình chuyển đổi số)
and the values officials enter for the targets the platform cannot count.
One function per change: atomic, permission-checked, audited (kept apart from
actions.py, which holds the dashboard indicators' targets)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import record
from tinhso.core.errors import Conflict, InvalidInput
from tinhso.dashboard import dated_targets
from tinhso.dashboard.models import (ProgrammeGroup, ProgrammeTarget, ProgrammeValue, TargetKind, TargetLevel)

VALUE_ROLES = (Role.SYSTEM_ADMIN, Role.OPERATIONS_CENTRE)  # who enters values
FIELDS = ["key", "label", "target", "unit", "kind", "group", "level", "valid_from", "valid_to", "basis",
          "source_number", "source_date", "source_issuer", "verified"]
MAX_VALUE = Decimal("999999999999")


def _decimal(raw) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip().replace(",", ".")).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return value if value.is_finite() else None


def _date(raw, field, label, errors):
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw))
    except ValueError:
        errors.append({"field": field, "message": f"{label} phải là ngày theo dạng YYYY-MM-DD."})
        return None


def _clean_target(values: dict, exclude_pk: int | None) -> dict:
    errors = []
    key = (values.get("key") or "").strip()
    if not key or len(key) > 60 or not all(c.isalnum() and c.isascii() or c in "_-" for c in key):
        errors.append({"field": "key", "message": "Mã chỉ tiêu gồm chữ không dấu, số, “_” hoặc “-”, tối đa 60 ký tự."})
    label = (values.get("label") or "").strip()
    if not label or len(label) > 255:
        errors.append({"field": "label", "message": "Nhập tên chỉ tiêu (tối đa 255 ký tự)."})
    kind = values.get("kind") or TargetKind.COUNT
    if kind not in TargetKind.values:
        errors.append({"field": "kind", "message": "Chọn loại chỉ tiêu: số lượng hoặc tỷ lệ."})
    target = _decimal(values.get("target"))
    if target is None or target < 0 or target > MAX_VALUE:
        errors.append({"field": "target", "message": "Chỉ tiêu là một số không âm."})
    elif kind == TargetKind.PERCENT and target > 100:
        errors.append({"field": "target", "message": "Chỉ tiêu tỷ lệ phải từ 0 đến 100."})
    group = values.get("group") or ProgrammeGroup.GOVERNMENT
    if group not in ProgrammeGroup.values:
        errors.append({"field": "group", "message": "Chọn một nhóm trong danh sách."})
    level = values.get("level") or ""
    if level not in TargetLevel.values:
        errors.append({"field": "level", "message": "Chọn cấp áp dụng trong danh sách."})
    valid_from = _date(values.get("valid_from"), "valid_from", "“Hiệu lực từ”", errors)
    valid_to = _date(values.get("valid_to"), "valid_to", "“Hiệu lực đến”", errors)
    if valid_from and valid_to and valid_to < valid_from:
        errors.append({"field": "valid_to", "message": "“Hiệu lực đến” phải sau hoặc bằng “hiệu lực từ”."})
    source_date = _date(values.get("source_date"), "source_date", "Ngày văn bản", errors)
    texts = {}
    for name, limit, label_vi in (("unit", 40, "Đơn vị tính"), ("basis", 300, "Căn cứ"),
                                  ("source_number", 80, "Số, ký hiệu văn bản"),
                                  ("source_issuer", 200, "Cơ quan ban hành")):
        texts[name] = (values.get(name) or "").strip()
        if len(texts[name]) > limit:
            errors.append({"field": name, "message": f"{label_vi} tối đa {limit} ký tự."})
    if kind == TargetKind.PERCENT and not texts["unit"]:
        texts["unit"] = "%"
    if errors:
        raise InvalidInput("Chỉ tiêu chưa hợp lệ.", code="invalid_programme_target", errors=errors)
    cleaned = {"key": key, "label": label, "target": target, "kind": kind, "group": group, "level": level,
               "valid_from": valid_from, "valid_to": valid_to, "source_date": source_date,
               "verified": bool(values.get("verified")), **texts}
    _check_overlap(cleaned, exclude_pk)
    return cleaned


def _check_overlap(values: dict, exclude_pk: int | None) -> None:
    """One target per key on any day, so which one applies is never ambiguous."""
    dated_targets.check_overlap(
        ProgrammeTarget, {"key": values["key"]}, values, exclude_pk, code="programme_target_overlap",
        message=lambda other, since, until: (
            f"Đã có chỉ tiêu “{other.label}” (mã {other.key}) có hiệu lực từ {since} đến {until}. "
            "Hãy nhập “hiệu lực đến” cho chỉ tiêu cũ trước khi thêm chỉ tiêu mới."))


@transaction.atomic
def create_programme_target(*, acting_user, **values) -> ProgrammeTarget:
    return dated_targets.create(ProgrammeTarget, acting_user=acting_user, clean=_clean_target,
                                action="dashboard.programme_target.created", values=values)


@transaction.atomic
def update_programme_target(*, acting_user, row: ProgrammeTarget, **values) -> ProgrammeTarget:
    return dated_targets.update(ProgrammeTarget, acting_user=acting_user, row=row, fields=FIELDS,
                                clean=_clean_target, action="dashboard.programme_target.updated", values=values)


@transaction.atomic
def enter_programme_value(*, acting_user, key: str, period_start, period_end, value, note: str = "",
                          at: datetime.datetime | None = None) -> ProgrammeValue:
    """Số liệu của một chỉ tiêu cho một kỳ, nhập bởi cán bộ. Refused for a key
    with no target and for a key the platform counts itself (its live figure
    is the value); a second value for the same period is a conflict (correct
    it by entering the value of a later period or ask an administrator).
    `acting_user=None` is the system (the demo seeding) only."""
    if acting_user is not None:
        require_role(acting_user, VALUE_ROLES)
    from tinhso.dashboard import programme

    errors = []
    start = _date(period_start, "period_start", "“Từ ngày”", errors)
    end = _date(period_end, "period_end", "“Đến ngày”", errors)
    if start is None and not any(e["field"] == "period_start" for e in errors):
        errors.append({"field": "period_start", "message": "Nhập “Từ ngày” của kỳ số liệu."})
    if end is None and not any(e["field"] == "period_end" for e in errors):
        errors.append({"field": "period_end", "message": "Nhập “Đến ngày” của kỳ số liệu."})
    if start and end and end < start:
        errors.append({"field": "period_end", "message": "“Đến ngày” phải sau hoặc bằng “Từ ngày”."})
    if end and end > timezone.localdate() + datetime.timedelta(days=366):
        errors.append({"field": "period_end", "message": "Kỳ số liệu không được quá một năm sau hôm nay."})
    key = (key or "").strip()
    target = ProgrammeTarget.objects.filter(key=key).order_by("-valid_from", "-id").first()
    if target is None:
        errors.append({"field": "key", "message": "Chọn một chỉ tiêu trong danh sách."})
    amount = _decimal(value)
    if amount is None or amount < 0 or amount > MAX_VALUE:
        errors.append({"field": "value", "message": "Giá trị là một số không âm."})
    elif target is not None and target.kind == TargetKind.PERCENT and amount > 100:
        errors.append({"field": "value", "message": "Chỉ tiêu này là tỷ lệ: giá trị từ 0 đến 100."})
    note = (note or "").strip()
    if len(note) > 500:
        errors.append({"field": "note", "message": "Ghi chú tối đa 500 ký tự."})
    if errors:
        raise InvalidInput("Số liệu chưa hợp lệ.", code="invalid_programme_value", errors=errors)
    if key in {f.key for f in programme.figures()}:
        raise Conflict("Chỉ tiêu này được hệ thống tính tự động từ dữ liệu, không nhập tay.",
                       code="programme_value_live")
    if ProgrammeValue.objects.filter(key=key, period_start=start, period_end=end).exists():
        raise Conflict(f"Đã có số liệu của chỉ tiêu này cho kỳ {start:%d/%m/%Y} – {end:%d/%m/%Y}.",
                       code="programme_value_exists")
    row = ProgrammeValue.objects.create(key=key, period_start=start, period_end=end, value=amount, note=note,
                                        entered_by=acting_user if getattr(acting_user, "pk", None) else None,
                                        entered_at=at or timezone.now())
    record(actor=acting_user, action="dashboard.programme_value.entered", obj=row,
           changes=dated_targets.jsonable({"key": key, "period_start": start, "period_end": end, "value": amount, "note": note}))
    return row
