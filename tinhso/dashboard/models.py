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

    def overlapping(self, valid_from: datetime.date | None, valid_to: datetime.date | None):
        """Rows in force on some day of [valid_from, valid_to] (an empty bound is open)."""
        qs = self
        if valid_to is not None:
            qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=valid_to))
        if valid_from is not None:
            qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        return qs


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


class TargetKind(models.TextChoices):
    """Loại chỉ tiêu: a count to reach or a percentage (0–100)."""

    COUNT = "count", _("Số lượng")
    PERCENT = "percent", _("Tỷ lệ (%)")


class ProgrammeGroup(models.TextChoices):
    """Nhóm chỉ tiêu of the digital-transformation programme."""

    SERVICES = "services", _("Dịch vụ công trực tuyến")
    GOVERNMENT = "government", _("Chính quyền số")
    ECONOMY = "economy", _("Kinh tế số")
    SOCIETY = "society", _("Xã hội số")
    INFRASTRUCTURE = "infrastructure", _("Hạ tầng, nhân lực số")


class TargetLevel(models.TextChoices):
    """Cấp áp dụng: the whole province, the provincial level or the commune level."""

    ALL = "", _("Toàn tỉnh")
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


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
    kind = models.CharField(_("loại chỉ tiêu"), max_length=10, choices=TargetKind.choices, default=TargetKind.COUNT)
    group = models.CharField(_("nhóm"), max_length=20, choices=ProgrammeGroup.choices,
                             default=ProgrammeGroup.GOVERNMENT)
    level = models.CharField(_("cấp áp dụng"), max_length=10, choices=TargetLevel.choices, blank=True, default="")
    source_number = models.CharField(_("số, ký hiệu văn bản"), max_length=80, blank=True)
    source_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    source_issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = KpiTargetQuerySet.as_manager()

    class Meta:
        ordering = ["group", "key", "-valid_from", "id"]
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


class ProgrammeValue(models.Model):
    """Số liệu nhập: the value of a programme target the platform cannot count
    itself (enterprises on e-commerce, broadband coverage …), entered by an
    official for a period [period_start, period_end], with who entered it and
    when. The latest period begun by a day is the value shown."""

    key = models.SlugField(_("mã chỉ tiêu"), max_length=60)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
    note = models.CharField(_("ghi chú, nguồn số liệu"), max_length=500, blank=True)
    entered_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("người nhập"))
    entered_at = models.DateTimeField(_("nhập lúc"), default=timezone.now)

    class Meta:
        ordering = ["key", "-period_end", "-id"]
        constraints = [models.UniqueConstraint(fields=["key", "period_start", "period_end"],
                                               name="dashboard_programme_value_period_uniq")]
        verbose_name = _("số liệu chỉ tiêu nhập tay")
        verbose_name_plural = _("số liệu chỉ tiêu nhập tay")

    def __str__(self):
        return f"{self.key} {self.period_start}–{self.period_end}: {self.value}"

    @classmethod
    def latest(cls, day: datetime.date | None = None) -> dict[str, "ProgrammeValue"]:
        """key -> the value of the latest period begun by `day` (the one ending last)."""
        day = day or timezone.localdate()
        out: dict[str, ProgrammeValue] = {}
        for row in cls.objects.filter(period_start__lte=day).select_related("entered_by").order_by(
                "key", "-period_end", "-id"):
            out.setdefault(row.key, row)
        return out
