"""Invalidate the cached public search pages (`queries.search_page`) when
anything they show or filter on changes: procedures, fields, the agencies
implementing a procedure, agencies (the search filters by agency code).

The version is bumped at once (this thread's next search sees the change)
and again when the transaction commits (a page another request cached from
the old data in between is dropped too)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from tinhso.agencies.models import Agency
from tinhso.catalogue.models import Field, ImplementingAgency, Procedure
from tinhso.catalogue.queries import bump_version


def catalogue_changed(sender, **kwargs) -> None:
    bump_version()
    connection = transaction.get_connection()
    if not any(func is bump_version for _, func, _ in connection.run_on_commit):  # once per transaction
        transaction.on_commit(bump_version)


for model in (Procedure, Field, ImplementingAgency, Agency):
    post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-search-{model.__name__}-save")
    post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-search-{model.__name__}-delete")
