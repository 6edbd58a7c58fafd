"""Changes to the dashboard's targets (chỉ tiêu). One function per change:
atomic, system administrators only, audited. The back-office form calls
these; the Django admin shows the targets read-only."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import diff, record
from tinhso.core.errors import Conflict, InvalidInput, NotFound
from tinhso.dashboard.access import TARGET_ROLES
from tinhso.dashboard.models import Indicator, KpiTarget

FIELDS = ["indicator", "target", "agency", "valid_from", "valid_to", "basis", "verified"]


def _clean(values: dict, exclude_pk: int | None = None) -> dict:
    errors = []
    indicator = values.get("indicator") or ""
    if indicator not in Indicator.values:
        errors.append({"field": "indicator", "message": "Chọn một chỉ số trong danh sách."})
    try:
        target = Decimal(str(values.get("target"))).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        target = None
    if target is None or not Decimal(0) <= target <= Decimal(100):
        errors.append({"field": "target", "message": "Chỉ tiêu là một tỷ lệ phần trăm từ 0 đến 100."})
    valid_from, valid_to = values.get("valid_from"), values.get("valid_to")
    for name, day in (("valid_from", valid_from), ("valid_to", valid_to)):
        if day is not None and not isinstance(day, datetime.date):
            errors.append({"field": name, "message": "Ngày phải theo dạng YYYY-MM-DD."})
    if isinstance(valid_from, datetime.date) and isinstance(valid_to, datetime.date) and valid_to < valid_from:
        errors.append({"field": "valid_to", "message": "“Hiệu lực đến” phải sau hoặc bằng “hiệu lực từ”."})
    basis = (values.get("basis") or "").strip()
    if len(basis) > 300:
        errors.append({"field": "basis", "message": "Căn cứ tối đa 300 ký tự."})
    if errors:
        raise InvalidInput("Chỉ tiêu chưa hợp lệ.", code="invalid_target", errors=errors)
    cleaned = {"indicator": indicator, "target": target, "agency": values.get("agency"), "valid_from": valid_from,
               "valid_to": valid_to, "basis": basis, "verified": bool(values.get("verified"))}
    _check_overlap(cleaned, exclude_pk)
    return cleaned


def _check_overlap(values: dict, exclude_pk: int | None) -> None:
    """One target per indicator and agency on any day, so that which one
    applies is never ambiguous."""
    agency = values["agency"]
    other = (KpiTarget.objects.filter(indicator=values["indicator"], agency=agency).exclude(pk=exclude_pk)
             .overlapping(values["valid_from"], values["valid_to"]).first())
    if other is not None:
        since = other.valid_from.strftime("%d/%m/%Y") if other.valid_from else "không giới hạn"
        until = other.valid_to.strftime("%d/%m/%Y") if other.valid_to else "không giới hạn"
        raise Conflict(f"Đã có chỉ tiêu “{other.get_indicator_display()}” cho phạm vi này có hiệu lực từ {since} "
                       f"đến {until}. Hãy kết thúc hiệu lực chỉ tiêu cũ (hiệu lực đến) trước khi thêm chỉ tiêu mới.",
                       code="target_overlap")


@transaction.atomic
def create_target(*, acting_user, **values) -> KpiTarget:
    require_role(acting_user, TARGET_ROLES)
    cleaned = _clean(values)
    target = KpiTarget.objects.create(**cleaned)
    record(actor=acting_user, action="dashboard.target.created", obj=target,
           changes={k: (str(v.pk) if k == "agency" and v is not None else
                        (v.isoformat() if isinstance(v, datetime.date) else
                         (str(v) if isinstance(v, Decimal) else v))) for k, v in cleaned.items()})
    return target


@transaction.atomic
def update_target(*, acting_user, kpi: KpiTarget, **values) -> KpiTarget:
    require_role(acting_user, TARGET_ROLES)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise InvalidInput("Trường không hợp lệ: " + ", ".join(sorted(unknown)))
    locked = KpiTarget.objects.select_for_update().filter(pk=kpi.pk).order_by("pk").first()
    if locked is None:
        raise NotFound("Chỉ tiêu này không còn.")
    merged = {f: values.get(f, getattr(locked, f)) for f in FIELDS}
    cleaned = _clean(merged, exclude_pk=locked.pk)
    changes = diff(locked, FIELDS, cleaned)
    if not changes:
        return locked
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    record(actor=acting_user, action="dashboard.target.updated", obj=locked, changes=changes)
    return locked


@transaction.atomic
def delete_target(*, acting_user, kpi: KpiTarget) -> None:
    """For a target entered by mistake; a target that no longer applies is
    ended with `valid_to` instead, so that past periods keep theirs."""
    require_role(acting_user, TARGET_ROLES)
    record(actor=acting_user, action="dashboard.target.deleted", obj=kpi,
           changes={"indicator": kpi.indicator, "target": str(kpi.target), "agency": str(kpi.agency_id or ""),
                    "valid_from": kpi.valid_from.isoformat() if kpi.valid_from else None,
                    "valid_to": kpi.valid_to.isoformat() if kpi.valid_to else None})
    KpiTarget.objects.filter(pk=kpi.pk).delete()
