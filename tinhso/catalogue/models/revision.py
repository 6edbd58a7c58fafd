"""The revision of the reference data the dossier transitions read."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class ReferenceRevision(models.Model):
    """Phiên bản dữ liệu tham chiếu: a single row whose token changes, in the
    same transaction, whenever reference data changes (procedures, cases,
    required papers, process steps and moves, implementing agencies,
    agencies, message templates; see tinhso/catalogue/signals.py). Each app
    process keeps those rows in memory under the token it read
    (tinhso/catalogue/refcache.py) and reads the token again in every dossier
    transaction, so no process uses data older than the transaction's own
    snapshot. Same pattern as the calendar's CalendarRevision."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    revision = models.BigIntegerField("số phiên bản", default=0)
    token = models.CharField("mã phiên bản", max_length=32, default="")
    changed_at = models.DateTimeField("thay đổi lúc", auto_now=True)

    class Meta:
        verbose_name = "phiên bản dữ liệu tham chiếu"
        verbose_name_plural = "phiên bản dữ liệu tham chiếu"

    def __str__(self):
        return f"#{self.revision} {self.token}"

    @classmethod
    def bump(cls) -> str:
        """Mark reference data changed. Call inside the changing transaction."""
        token = uuid.uuid4().hex
        updated = cls.objects.filter(pk=1).update(revision=models.F("revision") + 1, token=token,
                                                  changed_at=timezone.now())
        if not updated:
            cls.objects.create(pk=1, revision=1, token=token)
        return token

    @classmethod
    def current_token(cls) -> str:
        return cls.objects.filter(pk=1).values_list("token", flat=True).first() or ""
