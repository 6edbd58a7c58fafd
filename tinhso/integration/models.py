"""Client systems and their keys: who may call Tỉnh Số's machine interfaces
(Open311 today; the integration platform builds on the same rows)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Scope(models.TextChoices):
    OPEN311 = "open311", "Open311 GeoReport v2 (phản ánh hiện trường)"


class ClientSystem(models.Model):
    """Hệ thống kết nối: a system of another body (a sector system, a district
    app, the national portal) that calls Tỉnh Số with keys issued to it."""

    name = models.CharField("tên hệ thống", max_length=200, unique=True)
    owner = models.CharField("cơ quan chủ quản", max_length=255, blank=True)
    contact = models.CharField("đầu mối liên hệ", max_length=255, blank=True)
    is_active = models.BooleanField("đang hoạt động", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "hệ thống kết nối"
        verbose_name_plural = "hệ thống kết nối"

    def __str__(self):
        return self.name


class ApiKey(models.Model):
    """Khóa truy cập (API key): only its SHA-256 is kept; the key is shown
    once, when issued. A revoked key is refused from the next call on."""

    client = models.ForeignKey(ClientSystem, on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField("phạm vi", default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)

    class Meta:
        ordering = ["client", "-created_at"]
        verbose_name = "khóa truy cập"
        verbose_name_plural = "khóa truy cập"

    def __str__(self):
        return f"{self.client} · {self.prefix}…"


class ApiCall(models.Model):
    """Nhật ký gọi dịch vụ: one call of a machine interface (who, what, when,
    outcome). Bodies are not kept, only a digest."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    client = models.ForeignKey(ClientSystem, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    service = models.CharField(max_length=40)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    latency_ms = models.PositiveIntegerField(default=0)
    request_digest = models.CharField(max_length=64, blank=True)
    address = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "nhật ký gọi dịch vụ"
        verbose_name_plural = "nhật ký gọi dịch vụ"
