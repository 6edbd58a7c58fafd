"""Invalidate the cached public search pages (`queries.search_page`) when
anything they show or filter on changes: procedures, fields, the agencies
implementing a procedure, agencies (the search filters by agency code).

Also bump the reference revision (`ReferenceRevision`, same transaction) when
any row the dossier transitions keep in their per-process cache changes
(tinhso/catalogue/refcache.py): catalogue rows, agencies, role assignments,
users (role holders), message templates. Code that writes those models with
`bulk_create` or `QuerySet.update` (no signals) calls
`ReferenceRevision.bump()` itself.

The version is bumped at once (this thread's next search sees the change)
and again when the transaction commits (a page another request cached from
the old data in between is dropped too)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from tinhso.accounts.models import RoleAssignment, User
from tinhso.agencies.models import Agency
from tinhso.policies.models import Policy
from tinhso.catalogue.models import (
    Field,
    ImplementingAgency,
    Procedure,
    ProcedureCase,
    ProcessStep,
    ReferenceRevision,
    RequiredComponent,
    StepMove,
)
from tinhso.catalogue.queries import bump_version
from tinhso.notifications.models import MessageTemplate


def catalogue_changed(sender, **kwargs) -> None:
    bump_version()
    connection = transaction.get_connection()
    if not any(func is bump_version for _, func, _ in connection.run_on_commit):  # once per transaction
        transaction.on_commit(bump_version)


for model in (Procedure, Field, ImplementingAgency, Agency):
    post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-search-{model.__name__}-save")
    post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-search-{model.__name__}-delete")


def reference_changed(sender, **kwargs) -> None:
    ReferenceRevision.bump()


def user_changed(sender, instance, update_fields=None, **kwargs) -> None:
    """Role holders are cached with their activity, name and e-mail: saving a
    user who holds a role (in any period) bumps the revision, unless only
    `last_login` changed. Other users (citizens, saved at every sign-in) are
    not cached as holders, and a user's own roles are cached only while the
    request's fresh user object is active (`use_cached_roles`)."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    if RoleAssignment.objects.filter(user_id=instance.pk).exists():
        ReferenceRevision.bump()


for model in (Procedure, ProcedureCase, RequiredComponent, ProcessStep, StepMove, ImplementingAgency, Agency,
              RoleAssignment, MessageTemplate, Policy):
    post_save.connect(reference_changed, sender=model, dispatch_uid=f"reference-{model.__name__}-save")
    post_delete.connect(reference_changed, sender=model, dispatch_uid=f"reference-{model.__name__}-delete")
post_save.connect(user_changed, sender=User, dispatch_uid="reference-User-save")
post_delete.connect(reference_changed, sender=User, dispatch_uid="reference-User-delete")


def reference_data_migrated(sender, using="default", **kwargs):
    """After `migrate`: a data migration may have changed reference rows
    without signals (historical models), so mark them changed."""
    from django.db import connections

    if ReferenceRevision._meta.db_table not in connections[using].introspection.table_names():
        return
    if ReferenceRevision.objects.using(using).filter(pk=1).exists():  # none after a flush: nothing is cached
        ReferenceRevision.bump()
