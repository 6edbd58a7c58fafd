"""Market prices (giá cả thị trường): markets, goods and the price of a good
at a market on a day, published by the Department of Industry and Trade or a
commune's people's committee."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GoodGroup(models.TextChoices):
    RICE = "rice", _("Lúa, gạo")
    LIVESTOCK = "livestock", _("Gia súc, gia cầm")
    SEAFOOD = "seafood", _("Thủy sản")
    FRUIT = "fruit", _("Trái cây")
    VEGETABLES = "vegetables", _("Rau, củ")
    ESSENTIALS = "essentials", _("Hàng thiết yếu")


class Market(models.Model):
    """Chợ: a market in a commune whose prices an agency publishes."""

    name = models.CharField(_("tên chợ"), max_length=200, unique=True)
    unit = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("xã, phường"))
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="markets",
                               verbose_name=_("cơ quan công bố giá"))
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("chợ")
        verbose_name_plural = _("chợ")

    def __str__(self):
        return self.name


class Good(models.Model):
    """Mặt hàng: a good or farm product with its unit of measure (đơn vị
    tính) and group (nhóm hàng)."""

    name = models.CharField(_("tên mặt hàng"), max_length=200, unique=True)
    unit = models.CharField(_("đơn vị tính"), max_length=30)
    group = models.CharField(_("nhóm hàng"), max_length=20, choices=GoodGroup.choices)

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("mặt hàng")
        verbose_name_plural = _("mặt hàng")

    def __str__(self):
        return self.name


class PriceEntry(models.Model):
    """Giá thị trường: the price in đồng of a good at a market on a day; one
    row per (market, good, day), so re-entering a day updates it."""

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="prices")
    good = models.ForeignKey(Good, on_delete=models.PROTECT, related_name="prices")
    day = models.DateField(_("ngày"), db_index=True)
    price = models.PositiveBigIntegerField(_("giá (đồng)"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day", "market", "good"]
        constraints = [models.UniqueConstraint(fields=["market", "good", "day"], name="price_once_per_day")]
        indexes = [models.Index(fields=["good", "market", "day"])]
        verbose_name = _("giá thị trường")
        verbose_name_plural = _("giá thị trường")
