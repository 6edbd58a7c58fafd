"""The citizen app's own data: push subscriptions, the push messages sent
(deduplicated), and the province's weather warnings."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Topic(models.TextChoices):
    DOSSIERS = "dossiers", "Hồ sơ của tôi"
    REPORTS = "reports", "Phản ánh của tôi"
    WARNINGS = "warnings", "Cảnh báo thời tiết, thiên tai tại xã, phường của tôi"
    ANNOUNCEMENTS = "announcements", "Thông báo của tỉnh"
    QUESTIONS = "questions", "Câu hỏi của tôi"


ALL_TOPICS = [t.value for t in Topic]


class PushSubscription(models.Model):
    """Đăng ký nhận thông báo đẩy: one browser (phone) of a citizen that
    accepted Web Push, with the topics chosen and the commune whose warnings
    it wants. Deleted when the push service answers 404/410."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField("địa chỉ dịch vụ đẩy", max_length=1000, unique=True)
    p256dh = models.CharField("khóa công khai của trình duyệt", max_length=200)
    auth = models.CharField("khóa xác thực", max_length=100)
    topics = models.JSONField("chủ đề", default=list)
    commune = models.ForeignKey("units.AdministrativeUnit", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name="xã, phường nhận cảnh báo")
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "đăng ký nhận thông báo đẩy"
        verbose_name_plural = "đăng ký nhận thông báo đẩy"

    def __str__(self):
        return f"{self.user} · {self.endpoint[:40]}"


class PushMessage(models.Model):
    """Thông báo đẩy: one notification for a citizen (once per `dedupe_key`),
    sent to each of their subscriptions by a background task."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, default="/app/")
    dedupe_key = models.CharField(max_length=160)
    created_at = models.DateTimeField(auto_now_add=True)
    sent = models.PositiveIntegerField("số thiết bị đã nhận", default=0)
    failed = models.PositiveIntegerField("số thiết bị lỗi", default=0)

    class Meta:
        verbose_name = "thông báo đẩy"
        verbose_name_plural = "thông báo đẩy"
        constraints = [models.UniqueConstraint(fields=["user", "dedupe_key"], name="citizenapp_push_once")]


class Severity(models.TextChoices):
    INFO = "info", "Thông tin"
    WATCH = "watch", "Cần chú ý"
    WARNING = "warning", "Cảnh báo"
    DANGER = "danger", "Nguy hiểm"


class WeatherWarning(models.Model):
    """Cảnh báo thời tiết, thiên tai (bão, lũ, nắng nóng…) the province
    publishes for some communes until a moment; shown in the app and pushed
    to the subscribers of those communes."""

    title = models.CharField("tiêu đề", max_length=200)
    text = models.TextField("nội dung")
    severity = models.CharField("mức độ", max_length=10, choices=Severity.choices, default=Severity.WARNING)
    communes = models.ManyToManyField("units.AdministrativeUnit", related_name="+", verbose_name="xã, phường")
    valid_until = models.DateTimeField("hiệu lực đến")
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = "cảnh báo thời tiết"
        verbose_name_plural = "cảnh báo thời tiết"
        ordering = ["-published_at"]

    def __str__(self):
        return self.title
