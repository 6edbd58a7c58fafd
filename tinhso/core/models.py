"""Platform-level records that belong to no single domain app."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class RevisionToken(models.Model):
    """Phiên bản dữ liệu: the behaviour of a single-row revision table whose
    random token changes, in the same transaction, whenever the data it
    stands for changes. App processes cache that data under the token they
    read and compare it again later, so a change committed by any process is
    seen by all (calendar: `CalendarRevision`; reference data:
    `ReferenceRevision`). A random token, not only a counter, stays correct
    when a change is rolled back and another one commits. Subclasses declare
    the fields `id` (default 1), `revision`, `token` and `changed_at`."""

    class Meta:
        abstract = True

    def __str__(self):
        return f"#{self.revision} {self.token}"

    @classmethod
    def bump(cls) -> str:
        """Mark the data changed. Call inside the changing transaction."""
        token = uuid.uuid4().hex
        updated = cls.objects.filter(pk=1).update(revision=models.F("revision") + 1, token=token,
                                                  changed_at=timezone.now())
        if not updated:
            cls.objects.create(pk=1, revision=1, token=token)
        return token

    @classmethod
    def current_token(cls) -> str:
        return cls.objects.filter(pk=1).values_list("token", flat=True).first() or ""
