"""The sync outbox towards the national public service portal and the
sandbox portal's own table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã đồng bộ")
    FAILED = "failed", _("Cổng từ chối, cần xử lý")


class SyncItem(models.Model):
    """Hàng đợi đồng bộ (hồ sơ lên Cổng DVCQG): one dossier history event to
    send to the national portal, written in the same transaction as the event
    (`tinhso.nationalportal.outbox.enqueue`). `key` is the idempotency key
    (the event id), sent along so the portal keeps one copy of a resend.
    `payload` is the event's snapshot; what needs reading (codes, components,
    fees, result files) is added when the row is sent (`protocol.message`).

    Rows of one dossier go in id order: a row is sent only when no earlier row
    of its dossier is pending or failed. `claimed_until` is a sender's lease
    (conditional UPDATE), so two workers never send the same row at once."""

    key = models.CharField("khóa chống trùng", max_length=64, unique=True)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+", verbose_name="hồ sơ")
    event = models.OneToOneField("dossiers.DossierEvent", on_delete=models.CASCADE, related_name="+",
                                 verbose_name="sự kiện")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name="cơ quan tiếp nhận")
    dossier_code = models.CharField("mã hồ sơ", max_length=60)
    status_code = models.PositiveSmallIntegerField("trạng thái hồ sơ")
    payload = models.JSONField("nội dung", default=dict)
    status = models.CharField("tình trạng gửi", max_length=10, choices=SyncStatus.choices, default=SyncStatus.PENDING)
    attempts = models.PositiveIntegerField("số lần gửi", default=0)
    next_attempt_at = models.DateTimeField("gửi lại lúc")
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    created_at = models.DateTimeField("tạo lúc")
    sent_at = models.DateTimeField("đã gửi lúc", null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "hàng đợi đồng bộ Cổng DVCQG"
        verbose_name_plural = "hàng đợi đồng bộ Cổng DVCQG"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="np_sync_due"),
            models.Index(fields=["dossier", "status"], name="np_sync_dossier"),
        ]

    def __str__(self):
        return f"{self.dossier_code} #{self.key} ({self.status})"


class SandboxRecord(models.Model):
    """Bản ghi của Cổng DVCQG thử nghiệm: what the sandbox national portal at
    /sandbox/dvcqg/ received, one row per idempotency key (a resend is
    acknowledged and not stored twice)."""

    key = models.CharField("khóa chống trùng", max_length=64, unique=True)
    unit_code = models.CharField("mã đơn vị gửi", max_length=60)
    dossier_code = models.CharField("mã hồ sơ", max_length=60, db_index=True)
    status_code = models.PositiveSmallIntegerField("trạng thái")
    body = models.JSONField("nội dung nhận được", default=dict)
    received_at = models.DateTimeField("nhận lúc", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "bản ghi Cổng DVCQG thử nghiệm"
        verbose_name_plural = "bản ghi Cổng DVCQG thử nghiệm"
