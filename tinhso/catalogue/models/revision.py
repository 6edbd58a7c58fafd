"""The revision of the reference data the dossier transitions read."""

from __future__ import annotations

from django.db import models

from tinhso.core.models import RevisionToken


class ReferenceRevision(RevisionToken):
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
