from __future__ import annotations

import datetime

from django.db import models

from tinhso.core.text import fold

REFORM_DATE = datetime.date(2025, 7, 1)


class UnitLevel(models.TextChoices):
    PROVINCE = "province", "Cấp tỉnh"
    DISTRICT = "district", "Cấp huyện"
    COMMUNE = "commune", "Cấp xã"


class AdministrativeUnit(models.Model):
    """Đơn vị hành chính: a province (tỉnh, thành phố) or commune (xã, phường,
    đặc khu), valid over a period.

    Codes are reused across the 2025 reorganisation (a new commune often takes
    one old commune's code), so a unit is identified by level, code and the
    date it became valid, not by code alone. Historical records point at the
    unit they were made under; `successors()` tells what it is now."""

    code = models.CharField("mã", max_length=10)
    name = models.CharField("tên", max_length=200)
    level = models.CharField("cấp", max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name="thuộc")
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    search_text = models.CharField(max_length=300, editable=False, db_index=True)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "valid_from"], name="unit_level_code_from_uniq"),
            models.UniqueConstraint(fields=["level", "code"], condition=models.Q(valid_from__isnull=True),
                                    name="unit_level_code_undated_uniq"),
        ]
        indexes = [models.Index(fields=["level", "valid_to"])]

    def __str__(self):
        return self.name if self.is_current else f"{self.name} (cũ)"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.code}")
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.valid_at(datetime.date.today())

    def valid_at(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def kind_label(self) -> str:
        """The unit's type word as it stands in its name (Tỉnh, Thành phố, Xã, Phường, Đặc khu)."""
        for prefix in ("Thành phố", "Tỉnh", "Đặc khu", "Phường", "Thị trấn", "Xã"):
            if self.name.startswith(prefix):
                return prefix
        return self.get_level_display()

    def successors(self) -> list["AdministrativeUnit"]:
        """The current units this one became (itself when still current).

        Follows the succession graph until current units are reached, so a
        chain of reorganisations resolves to today's units."""
        if self.is_current:
            return [self]
        seen, frontier, result = {self.pk}, [self], []
        while frontier:
            rows = (UnitSuccession.objects.filter(predecessor__in=frontier)
                    .select_related("successor__parent").order_by("successor__code"))
            frontier = []
            for row in rows:
                unit = row.successor
                if unit.pk in seen:
                    continue
                seen.add(unit.pk)
                (result if unit.is_current else frontier).append(unit)
        return result


class SuccessionKind(models.TextChoices):
    FULL = "full", "Toàn bộ"
    PARTIAL = "partial", "Một phần"


class UnitSuccession(models.Model):
    """Kế thừa đơn vị hành chính: an old unit (or part of it) became a new one.

    `full`: the whole old unit went into the new one; `partial`: part of it
    (the old unit was split across several new units). Imported from the
    reorganisation data set; an administrator may correct a row, and the
    correction is audited."""

    predecessor = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="successions_out",
                                    verbose_name="đơn vị cũ")
    successor = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="successions_in",
                                  verbose_name="đơn vị mới")
    kind = models.CharField("hình thức", max_length=10, choices=SuccessionKind.choices)
    effective_date = models.DateField("ngày hiệu lực", default=REFORM_DATE)
    source = models.CharField("nguồn", max_length=50, default="import")
    corrected = models.BooleanField("đã hiệu chỉnh", default=False)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        ordering = ["predecessor__code", "successor__code"]
        verbose_name = "kế thừa đơn vị"
        verbose_name_plural = "kế thừa đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_pair_uniq"),
        ]

    def __str__(self):
        return f"{self.predecessor.name} → {self.successor.name} ({self.get_kind_display()})"
