"""Changes to the dashboard's targets (chỉ tiêu). One function per change:
atomic, system administrators only, audited. The back-office form calls
these; the Django admin shows the targets read-only."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput
from tinhso.dashboard import dated_targets
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
    if target is None or not target.is_finite() or not Decimal(0) <= target <= Decimal(100):  # "nan" raises if compared
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
    dated_targets.check_overlap(
        KpiTarget, {"indicator": values["indicator"], "agency": values["agency"]}, values, exclude_pk,
        code="target_overlap",
        message=lambda other, since, until: (
            f"Đã có chỉ tiêu “{other.get_indicator_display()}” cho phạm vi này có hiệu lực từ {since} "
            f"đến {until}. Hãy kết thúc hiệu lực chỉ tiêu cũ (hiệu lực đến) trước khi thêm chỉ tiêu mới."))


@transaction.atomic
def create_target(*, acting_user, **values) -> KpiTarget:
    return dated_targets.create(KpiTarget, acting_user=acting_user, clean=_clean, action="dashboard.target.created",
                                values=values)


@transaction.atomic
def update_target(*, acting_user, kpi: KpiTarget, **values) -> KpiTarget:
    return dated_targets.update(KpiTarget, acting_user=acting_user, row=kpi, fields=FIELDS, clean=_clean,
                                action="dashboard.target.updated", values=values)


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
