"""The value of a rule at a moment (see models.Policy)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tinhso.policies.models import Policy
from tinhso.policies.registry import REGISTRY


def load_rows() -> dict[str, list[tuple[datetime.datetime, object]]]:
    """Every key's (effective_from, value) rows, latest first: one query. The
    dossier transitions keep this in their reference snapshot
    (`tinhso.catalogue.refcache.Refs.policies`), so a rule costs them no query."""
    rows: dict[str, list] = {}
    for key, start, value in Policy.objects.order_by("key", "-effective_from").values_list(
            "key", "effective_from", "value"):
        rows.setdefault(key, []).append((start, value))
    return rows


def value(key: str, at: datetime.datetime | None = None, rows: dict | None = None):
    """The value of `key` in force at `at` (now): the latest row from at or
    before it, else the registry's default."""
    spec = REGISTRY[key]
    at = at or timezone.now()
    for start, stored in (rows if rows is not None else load_rows()).get(key, ()):
        if start <= at:
            return stored
    return spec.default


def history(key: str) -> list[Policy]:
    return list(Policy.objects.filter(key=key).select_related("changed_by").order_by("-effective_from"))
