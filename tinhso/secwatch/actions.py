"""Changes a security officer makes: alert rules (system administrator), a
manual integrity check; and the system's pruning of old events. Atomic,
permission-checked, audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import diff, record
from tinhso.core.errors import InvalidInput, NotFound
from tinhso.policies.rules import value
from tinhso.secwatch.models import AlertRule, GroupBy, Kind, SecurityEvent, Severity
from tinhso.secwatch.policies import RETENTION_DAYS

ADMIN = (Role.SYSTEM_ADMIN,)
READERS = (Role.SYSTEM_ADMIN, Role.AUDITOR)
FIELDS = ["name", "kind", "threshold", "window_minutes", "group_by", "severity", "recipients", "active"]


def _clean(data: dict) -> dict:
    errors = []

    def bad(field, message):
        errors.append({"field": field, "message": message})

    name = str(data.get("name", "")).strip()
    if not name or len(name) > 200:
        bad("name", "Nhập tên quy tắc (tối đa 200 ký tự).")
    kind = data.get("kind", "")
    if kind not in Kind.values:
        bad("kind", "Chọn loại sự kiện.")
    numbers = {}
    for field, low, high, label in (("threshold", 1, 100000, "Ngưỡng"), ("window_minutes", 1, 10080, "Cửa sổ (phút)")):
        raw = str(data.get(field, "")).strip()
        if not raw.isdigit() or not low <= int(raw) <= high:
            bad(field, f"{label} phải là số nguyên từ {low} đến {high}.")
        else:
            numbers[field] = int(raw)
    group_by = data.get("group_by", "") or ""
    if group_by not in GroupBy.values:
        bad("group_by", "Chọn cách gom nhóm.")
    severity = data.get("severity", "")
    if severity not in Severity.values:
        bad("severity", "Chọn mức độ.")
    recipients = [r.strip() for r in str(data.get("recipients", "")).replace(",", "\n").splitlines() if r.strip()]
    for r in recipients:
        try:
            validate_email(r)
        except ValidationError:
            bad("recipients", f"“{r}” không phải là địa chỉ thư điện tử hợp lệ.")
    if errors:
        raise InvalidInput("Quy tắc cảnh báo chưa hợp lệ: " + " ".join(e["message"] for e in errors),
                           code="invalid_rule", errors=errors)
    return {"name": name, "kind": kind, "group_by": group_by, "severity": severity,
            "recipients": "\n".join(recipients), "active": bool(data.get("active")), **numbers}


@transaction.atomic
def save_rule(*, acting_user, data: dict, rule_id: int | None = None) -> AlertRule:
    require_role(acting_user, ADMIN)
    values = _clean(data)
    if rule_id is None:
        rule = AlertRule.objects.create(updated_by=acting_user, **values)
        record(actor=acting_user, action="secwatch.rule.created", obj=rule, changes=values)
        return rule
    rule = AlertRule.objects.select_for_update().filter(pk=rule_id).first()
    if rule is None:
        raise NotFound("Không có quy tắc cảnh báo này.")
    changes = diff(rule, FIELDS, values)
    for k, v in values.items():
        setattr(rule, k, v)
    rule.updated_by = acting_user
    rule.save()
    record(actor=acting_user, action="secwatch.rule.updated", obj=rule, changes=changes)
    return rule


def run_integrity_check(*, acting_user) -> dict:
    from tinhso.secwatch import integrity

    require_role(acting_user, ADMIN)
    result = integrity.check()
    with transaction.atomic():
        record(actor=acting_user, action="secwatch.integrity_checked",
               changes={"problems": len(result["problems"]), "sealed": result["sealed"]})
    return result


PRUNE_BATCH = 5000


def _forwarding() -> bool:
    from tinhso.secwatch.siem import _target

    try:
        return _target() is not None
    except ValueError:  # misconfigured: forwarding is meant to be on
        return True


def prune_events(now: datetime.datetime | None = None, batch: int = PRUNE_BATCH) -> dict:
    """Xóa sự kiện quá thời hạn lưu (`secwatch.retention_days`, in force now;
    0 keeps everything). When events go to a SIEM by syslog, only those already
    sent (`forwarded_at` set, row by row) are removed: an event committed late
    with a lower id than sent ones is kept until it is sent too. Each batch is deleted in its own transaction with its
    audit row (`secwatch.events.pruned`: how many, the retention and the
    cut-off), which the next pull turns into an `admin_change` event."""
    now = now or timezone.now()
    days = value(RETENTION_DAYS.key, now)
    if not days:
        return {"removed": 0, "days": 0}
    before = now - datetime.timedelta(days=days)
    old = SecurityEvent.objects.filter(at__lt=before)
    if _forwarding():
        old = old.filter(forwarded_at__isnull=False)
    removed = 0
    while True:
        with transaction.atomic():
            ids = list(old.order_by("pk").values_list("pk", flat=True)[:batch])
            if not ids:
                break
            count, _ = SecurityEvent.objects.filter(pk__in=ids).delete()
            removed += count
            record(actor=None, action="secwatch.events.pruned",
                   changes={"rows": count, "days": days, "before": before.isoformat(), "last_id": ids[-1]})
    return {"removed": removed, "days": days}
