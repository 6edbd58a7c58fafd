"""The demo app: the demo province (`seed_demo`) and the generated
province-year (`generate_province_year`, docs/data-generator.md)."""

from __future__ import annotations

from django.db import models


class ProvinceYearGeneration(models.Model):
    """Bộ dữ liệu mô phỏng một năm của tỉnh (dữ liệu sinh tự động): the record
    of one generated province-year (`tinhso.demo.province_year`) — how it
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
        db_table = "core_provinceyeargeneration"  # created when the generator lived in core
        ordering = ["-id"]
        verbose_name = "bộ dữ liệu năm mô phỏng"
        verbose_name_plural = "bộ dữ liệu năm mô phỏng"

    def __str__(self):
        return f"{self.dossiers:,} hồ sơ · seed {self.seed} · {self.year or 'năm gần nhất'}"
