from __future__ import annotations

from django.conf import settings
from django.db import models

from tinhso.dossiers.models.dossier import Dossier, DossierFile


class DossierEvent(models.Model):
    """Quá trình xử lý hồ sơ: one transition (bàn giao) of a dossier — time,
    status and step before and after, sender and receiver, the step deadline
    of the receiver, action, comment and attachments. The control slip
    (phiếu kiểm soát, form 06) is read from these rows."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("thời điểm", db_index=True)
    action = models.CharField("thao tác", max_length=40)
    from_status = models.PositiveSmallIntegerField("từ trạng thái", null=True, blank=True)
    to_status = models.PositiveSmallIntegerField("sang trạng thái")
    from_step = models.ForeignKey("catalogue.ProcessStep", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    to_step = models.ForeignKey("catalogue.ProcessStep", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    step_name = models.CharField("bước", max_length=300, blank=True)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name="người chuyển")
    sender_name = models.CharField("người chuyển", max_length=200, blank=True)
    sender_agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    receiver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name="người nhận")
    receiver_agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    receiver_role = models.CharField(max_length=30, blank=True)
    receiver_name = models.CharField("người nhận", max_length=200, blank=True)
    step_due_at = models.DateTimeField("hạn xử lý của bước", null=True, blank=True)
    previous_step_due_at = models.DateTimeField("hạn của bước vừa xong", null=True, blank=True)
    comment = models.TextField("nội dung", blank=True)
    attachments = models.ManyToManyField(DossierFile, blank=True, related_name="events")
    data = models.JSONField("dữ liệu của thao tác", default=dict, db_default={}, blank=True)
    sync_status = models.CharField("đồng bộ cổng quốc gia", max_length=10, default="pending")

    class Meta:
        ordering = ["dossier", "at", "id"]
        # Indicator 1.4 of the service index: the few events not yet synced with the national portal
        # (tinhso/serviceindex/formulas.py: synced).
        indexes = [models.Index(fields=["dossier"], condition=~models.Q(sync_status="synced"),
                                name="dossier_event_unsynced_idx")]
        verbose_name = "quá trình xử lý"
        verbose_name_plural = "quá trình xử lý"

    def __str__(self):
        return f"{self.dossier.code} {self.action} {self.at:%d/%m/%Y %H:%M}"


class DossierPause(models.Model):
    """Thời gian tạm dừng tính hạn: the clock stops while the applicant adds
    papers (or pays); the due time then moves by the working time paused."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField("lý do", max_length=12)
    started_at = models.DateTimeField("bắt đầu")
    ended_at = models.DateTimeField("kết thúc", null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "started_at"]
        verbose_name = "tạm dừng tính hạn"
        verbose_name_plural = "tạm dừng tính hạn"


class IdempotencyRecord(models.Model):
    """Khóa chống gửi lặp: a client-chosen key remembered with the result of
    the request it came with, so a retried request (double click, network
    retry) returns the first result instead of acting twice."""

    key = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    scope = models.CharField(max_length=100)
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(DossierEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_uniq")]
