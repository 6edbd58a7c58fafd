"""Chỉ tiêu chuyển đổi số: the targets the province's leaders set for the
dashboard's indicators.

How an indicator is computed is code (tinhso/dashboard/queries.py); the value
it should reach is data, with effective dates and an optional agency scope,
so that a new plan or decision of the province is a data change made by an
administrator, never a code change. See docs/dashboard.md."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    """Chỉ số: the figures of the dashboard a target can be set for."""

    ONLINE_SHARE = "online_share", _("Tỷ lệ hồ sơ tiếp nhận trực tuyến")
    ON_TIME_RATE = "on_time_rate", _("Tỷ lệ hồ sơ giải quyết đúng hạn")


class KpiTargetQuerySet(models.QuerySet):
    def effective(self, day: datetime.date | None = None):
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day),
                           Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class KpiTarget(models.Model):
    """Chỉ tiêu chuyển đổi số: the percentage an indicator should reach, in
    force over [valid_from, valid_to] (an empty bound is open), for the whole
    province (no agency) or for one agency and everything under it. The most
    specific target in force wins: the agency's own, else its nearest
    ancestor's, else the province's."""

    indicator = models.CharField(_("chỉ số"), max_length=30, choices=Indicator.choices)
    target = models.DecimalField(_("chỉ tiêu (%)"), max_digits=5, decimal_places=2)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("áp dụng cho cơ quan"),
                               help_text=_("Để trống: áp dụng toàn tỉnh."))
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    basis = models.CharField(_("căn cứ"), max_length=300, blank=True,
                             help_text=_("Văn bản giao chỉ tiêu, ví dụ kế hoạch chuyển đổi số của tỉnh."))
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = KpiTargetQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "agency__path", "-valid_from", "id"]
        verbose_name = _("chỉ tiêu chuyển đổi số")
        verbose_name_plural = _("chỉ tiêu chuyển đổi số")

    def __str__(self):
        return f"{self.get_indicator_display()}: {self.target}%"


class ProgrammeTarget(models.Model):
    """Chỉ tiêu kết quả chuyển đổi số: the count (or percentage) a counted
    result of the programme should reach — official e-mail accounts, digital
    certificates, community digital technology teams, products on e-commerce,
    growing-area codes, communes connected to online meetings … — in force
    over [valid_from, valid_to], with the document that set it. `key` matches
    a `tinhso.dashboard.programme.Figure` registered by the app that counts it."""

    key = models.SlugField(_("mã chỉ tiêu"), max_length=60)
    label = models.CharField(_("tên chỉ tiêu"), max_length=255)
    target = models.DecimalField(_("chỉ tiêu"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    basis = models.CharField(_("căn cứ"), max_length=300, blank=True,
                             help_text=_("Văn bản giao chỉ tiêu, ví dụ kế hoạch chuyển đổi số của tỉnh."))
    updated_at = models.DateTimeField(auto_now=True)

    objects = KpiTargetQuerySet.as_manager()

    class Meta:
        ordering = ["key", "-valid_from", "id"]
        verbose_name = _("chỉ tiêu kết quả chuyển đổi số")
        verbose_name_plural = _("chỉ tiêu kết quả chuyển đổi số")

    def __str__(self):
        return f"{self.label}: {self.target} {self.unit}".strip()

    @classmethod
    def in_force(cls, day: datetime.date | None = None) -> dict[str, "ProgrammeTarget"]:
        """key -> the target in force on `day` (the latest-starting one)."""
        out: dict[str, ProgrammeTarget] = {}
        for row in cls.objects.effective(day).order_by("key", models.F("valid_from").desc(nulls_last=True), "-id"):
            out.setdefault(row.key, row)
        return out
