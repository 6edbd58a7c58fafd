"""Diacritic-insensitive search over a model's folded `search_text` column."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tinhso.core.text import tokens


def filter_folded(queryset: QuerySet, query: str | None, field: str = "search_text") -> QuerySet:
    """Keep rows whose folded text has every folded token of `query` at the
    start of a word (`hau giang` finds “Hậu Giang” but not “Châu Giang”).

    The column holds `fold(...)` of the searchable text, so the same lookups
    work on SQLite and PostgreSQL without extensions."""
    for token in tokens(query):
        queryset = queryset.filter(Q(**{f"{field}__startswith": token}) | Q(**{f"{field}__contains": f" {token}"}))
    return queryset
