"""Diacritic-insensitive search over a model's folded `search_text` column."""

from __future__ import annotations

from django.db.models import QuerySet

from tinhso.core.text import tokens


def filter_folded(queryset: QuerySet, query: str | None, field: str = "search_text") -> QuerySet:
    """Keep rows whose folded text contains every folded token of `query`.

    The column holds `fold(...)` of the searchable text, so the same
    `contains` works on SQLite and PostgreSQL without extensions."""
    for token in tokens(query):
        queryset = queryset.filter(**{f"{field}__contains": token})
    return queryset
