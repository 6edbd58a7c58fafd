from __future__ import annotations

from django.conf import settings
from django.db import models

from tinhso.core.text import fold


class AddressStatus(models.TextChoices):
    ACTIVE = "active", "Đang sử dụng"
    RETIRED = "retired", "Ngừng sử dụng"


class Address(models.Model):
    """Địa chỉ số: one structured address of the province (house number,
    street or hamlet, the commune after 2025) with a point on the map and a
    stable code (mã địa chỉ, see `codes.py`). An address is never deleted: a
    retired one keeps its code, so a code is never given to another place."""

    code = models.CharField("mã địa chỉ", max_length=20, unique=True)
    house_number = models.CharField("số nhà", max_length=40, blank=True)
    street = models.CharField("đường, phố", max_length=120, blank=True)
    hamlet = models.CharField("ấp, khu vực, tổ", max_length=120, blank=True)
    unit = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="addresses",
                             verbose_name="xã, phường")
    lat = models.FloatField("vĩ độ", null=True, blank=True)
    lng = models.FloatField("kinh độ", null=True, blank=True)
    full_text = models.CharField("địa chỉ đầy đủ", max_length=400)
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    fingerprint = models.CharField(max_length=300, unique=True, editable=False,
                                   help_text="house|street|hamlet|commune, folded: one row per place")
    status = models.CharField("tình trạng", max_length=10, choices=AddressStatus.choices, default=AddressStatus.ACTIVE)
    source = models.CharField("nguồn", max_length=20, default="manual")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["code"]
        verbose_name = "địa chỉ số"
        verbose_name_plural = "địa chỉ số"
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self):
        return f"{self.code} · {self.full_text}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.code} {self.full_text}")[:400]
        super().save(*args, **kwargs)


class AddressCounter(models.Model):
    """Bộ đếm mã địa chỉ: the last serial given out per commune code. Keyed by
    the code string, not the unit, so a code a later reform reuses goes on
    counting and no address code is ever given twice."""

    commune_code = models.CharField(max_length=10, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "bộ đếm mã địa chỉ"
