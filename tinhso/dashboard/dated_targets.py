"""Chỉ tiêu có hiệu lực theo thời gian: what the dashboard's two kinds of
targets share — the KPI targets (`KpiTarget`, actions.py) and the programme
targets (`ProgrammeTarget`, programme_actions.py) — both rows valid from one
day to another, one per key on any day, created and edited by a system
administrator only, audited. Each kind keeps its own validation (`clean`)
and wording; this module holds the rest once."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db import models

from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import diff, record
from tinhso.core.errors import Conflict, InvalidInput, NotFound
from tinhso.dashboard.access import TARGET_ROLES


def jsonable(values: dict) -> dict:
    """Cleaned values as an audit row's changes: dates in ISO form, decimals and rows (their id) as text."""
    return {k: (v.isoformat() if isinstance(v, datetime.date) else
                (str(v) if isinstance(v, Decimal) else (str(v.pk) if isinstance(v, models.Model) else v)))
            for k, v in values.items()}


def check_overlap(model, same: dict, values: dict, exclude_pk: int | None, *, code: str,
                  message: Callable[[models.Model, str, str], str]) -> None:
    """One row per key (`same`: the fields that make it) on any day, so which one applies is never ambiguous;
    `message(other, since, until)` says which row is in the way."""
    other = (model.objects.filter(**same).exclude(pk=exclude_pk)
             .overlapping(values["valid_from"], values["valid_to"]).first())
    if other is not None:
        since = other.valid_from.strftime("%d/%m/%Y") if other.valid_from else "không giới hạn"
        until = other.valid_to.strftime("%d/%m/%Y") if other.valid_to else "không giới hạn"
        raise Conflict(message(other, since, until), code=code)


def create(model, *, acting_user, clean: Callable[[dict, int | None], dict], action: str, values: dict):
    """Validate, insert, audit (call inside the caller's transaction)."""
    require_role(acting_user, TARGET_ROLES)
    cleaned = clean(values, None)
    row = model.objects.create(**cleaned)
    record(actor=acting_user, action=action, obj=row, changes=jsonable(cleaned))
    return row


def update(model, *, acting_user, row, fields: list[str], clean: Callable[[dict, int | None], dict], action: str,
           values: dict):
    """Lock the row, merge `values` (only `fields`), validate, save and audit what changed (nothing changed:
    nothing written)."""
    require_role(acting_user, TARGET_ROLES)
    unknown = set(values) - set(fields)
    if unknown:
        raise InvalidInput("Trường không hợp lệ: " + ", ".join(sorted(unknown)))
    locked = model.objects.select_for_update().filter(pk=row.pk).order_by("pk").first()
    if locked is None:
        raise NotFound("Chỉ tiêu này không còn.")
    merged = {f: values.get(f, getattr(locked, f)) for f in fields}
    cleaned = clean(merged, locked.pk)
    changes = diff(locked, fields, cleaned)
    if not changes:
        return locked
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    record(actor=acting_user, action=action, obj=locked, changes=changes)
    return locked


__all__ = ["check_overlap", "create", "jsonable", "update"]
