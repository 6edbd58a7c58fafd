"""The one way to write the audit log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from tinhso.audit.models import AuditEvent


class AuditOutsideTransaction(RuntimeError):
    """An audit row must be written in the transaction of the change it logs."""


def record(*, actor, action: str, obj: models.Model | None = None, changes: dict | None = None,
           note: str = "", personal_data: bool = False, require_atomic: bool = True) -> AuditEvent:
    """Append an audit event. Call it from inside the action's `transaction.atomic()`.

    `require_atomic=False` is only for read-only events (personal-data views),
    where there is no change to share a transaction with."""
    if require_atomic and not connection.in_atomic_block:
        raise AuditOutsideTransaction(f"audit event {action!r} written outside a transaction")
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_repr=(actor_obj.get_username() if actor_obj else (str(actor) if actor else "system"))[:200],
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes=changes or {},
        note=note,
        personal_data=personal_data,
    )


def diff(instance: models.Model, fields: list[str], new_values: dict) -> dict:
    """{field: [old, new]} for the fields whose value changes; JSON-safe."""
    out = {}
    for name in fields:
        if name not in new_values:
            continue
        old = getattr(instance, name)
        new = new_values[name]
        if old != new:
            out[name] = [_jsonable(old), _jsonable(new)]
    return out


def _jsonable(value):
    if isinstance(value, models.Model):
        return str(value.pk)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
