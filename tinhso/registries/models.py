from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models

from tinhso.catalogue.models.choices import NationalSource


class Channel(models.TextChoices):
    ONLINE = "online", "Trực tuyến"
    COUNTER = "counter", "Tại quầy (công dân có mặt)"


# Which national database can supply a paper: the catalogue's choices (RequiredComponent.national_source).
Source = NationalSource


def id_digest(id_number: str) -> str:
    """A salted (keyed) hash of a personal identification number: consent rows
    can be matched to a number without keeping the number."""
    key = hashlib.sha256(b"tinhso.registries.consent:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, id_number.strip().encode(), hashlib.sha256).hexdigest()


class Consent(models.Model):
    """Sự đồng ý của công dân cho tra cứu CSDL quốc gia: the citizen (online) or
    the clerk on the citizen's behalf at the counter, with the citizen present,
    recorded that the citizen agreed to a lookup of their data for `purpose`.
    The number is kept only as a keyed hash and its last four digits."""

    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name="người ghi nhận")
    channel = models.CharField("kênh", max_length=10, choices=Channel.choices)
    id_hash = models.CharField("mã băm số định danh", max_length=64, db_index=True)
    id_last4 = models.CharField("4 số cuối", max_length=4)
    purpose = models.CharField("mục đích tra cứu", max_length=300)
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="registry_consents", verbose_name="hồ sơ")
    at = models.DateTimeField("thời điểm", auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "sự đồng ý tra cứu CSDL quốc gia"
        verbose_name_plural = "sự đồng ý tra cứu CSDL quốc gia"

    def __str__(self):
        return f"…{self.id_last4} ({self.get_channel_display()}, {self.at:%d/%m/%Y %H:%M})"

    def covers(self, id_number: str) -> bool:
        return hmac.compare_digest(self.id_hash, id_digest(id_number))


class CheckStatus(models.TextChoices):
    MATCH = "match", "Khớp"
    MISMATCH = "mismatch", "Không khớp"
    NOT_FOUND = "not_found", "Không tìm thấy"
    VALID = "valid", "Hợp lệ"
    INVALID = "invalid", "Không hợp lệ"
    PENDING = "pending", "Chờ kiểm tra lại (hệ thống không kết nối được)"


class RegistryCheck(models.Model):
    """Lượt kiểm tra với CSDL quốc gia: one verification against a national
    database made at reception — its outcome, the reference checked, and the
    dossier and paper it served once the dossier exists. A check the system
    could not make (not reachable) stays `pending` and the periodic job
    `registries-retry-checks` makes it later and writes the result into the
    dossier's history. `reference` holds the paper's reference (never the ID
    number: a pending population check re-reads it from the dossier)."""

    source = models.CharField("nguồn", max_length=30, choices=Source.choices)
    status = models.CharField("kết quả", max_length=10, choices=CheckStatus.choices, db_index=True)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.SET_NULL, related_name="checks")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reference = models.JSONField("tham chiếu được kiểm tra", default=dict, blank=True)
    summary = models.CharField("tóm tắt kết quả", max_length=500, blank=True)
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="registry_checks")
    required_component = models.ForeignKey("catalogue.RequiredComponent", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField("kiểm tra lúc", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "lượt kiểm tra CSDL quốc gia"
        verbose_name_plural = "lượt kiểm tra CSDL quốc gia"

    def __str__(self):
        return f"{self.get_source_display()}: {self.get_status_display()}"

    @property
    def verified(self) -> bool:
        return self.status in (CheckStatus.MATCH, CheckStatus.VALID)
