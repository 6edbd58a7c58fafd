from __future__ import annotations

from django.conf import settings
from django.db import models


class Policy(models.Model):
    """Tham số nghiệp vụ theo thời điểm: the value of one rule that the law or
    the province changes (who may finish a dossier, how many supplement
    requests, …) from a moment on. The value in force at a moment is the row
    of that key with the latest `effective_from` at or before it; with no such
    row, the default declared in `tinhso/policies/registry.py` (today's reading
    of the law). A change is a new row from a future moment: decisions already
    taken keep the value that was in force when they were taken."""

    key = models.CharField("tham số", max_length=100, db_index=True)
    value = models.JSONField("giá trị")
    effective_from = models.DateTimeField("hiệu lực từ")
    note = models.CharField("căn cứ, ghi chú", max_length=500, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="người thay đổi")
    created_at = models.DateTimeField("thời điểm tạo", auto_now_add=True)

    class Meta:
        ordering = ["key", "-effective_from"]
        verbose_name = "tham số nghiệp vụ"
        verbose_name_plural = "tham số nghiệp vụ"
        constraints = [models.UniqueConstraint(fields=["key", "effective_from"], name="policy_key_from_uniq")]

    def __str__(self):
        return f"{self.key} từ {self.effective_from:%d/%m/%Y %H:%M}"
