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


class ProvinceYearGeneration(models.Model):
    """Bộ dữ liệu mô phỏng một năm của tỉnh (dữ liệu sinh tự động): the record
    of one generated province-year (`tinhso.core.demo.province_year`) — how it
    was asked for (number of dossiers, seed, year, generator version), the
    period it covers, the block of dossier ids it holds and its counts. At most
    one exists at a time; it is what lets the generator be idempotent and
    remove exactly its own rows (never demo or real dossiers)."""

    dossiers = models.PositiveIntegerField("số hồ sơ")
    seed = models.IntegerField("hạt giống ngẫu nhiên")
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True,
                                            help_text="Để trống: 12 tháng tính đến thời điểm sinh dữ liệu.")
    generator_version = models.PositiveSmallIntegerField("phiên bản bộ sinh")
    period_start = models.DateTimeField("từ thời điểm")
    period_end = models.DateTimeField("đến thời điểm")
    dossier_id_from = models.BigIntegerField("mã hồ sơ (id) đầu")
    dossier_id_to = models.BigIntegerField("mã hồ sơ (id) cuối")
    stats = models.JSONField("số liệu", default=dict, blank=True)
    seconds = models.FloatField("thời gian sinh (giây)", default=0)
    created_at = models.DateTimeField("thời điểm sinh", auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "bộ dữ liệu năm mô phỏng"
        verbose_name_plural = "bộ dữ liệu năm mô phỏng"

    def __str__(self):
        return f"{self.dossiers:,} hồ sơ · seed {self.seed} · {self.year or 'năm gần nhất'}"
