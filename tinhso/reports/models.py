"""Chỉ số chuyển đổi số cấp tỉnh (DTI, Decision 922/QĐ-BTTTT): the
methodology as versioned data — one version per assessed year with its main
indices (chỉ số chính) and indicators (chỉ số thành phần), each with maximum
points — and the province's self-assessment (tự đánh giá) of a year: the
points of every indicator, entered by an official or computed from the
platform's data. See docs/targets-and-reports.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Pillar(models.TextChoices):
    """Trụ cột: the foundation (nền tảng) or the activities (hoạt động)."""

    FOUNDATION = "foundation", _("Chỉ số nền tảng")
    ACTIVITY = "activity", _("Chỉ số hoạt động")


class Source(models.TextChoices):
    """Nguồn điểm: entered by an official, or computed from the platform's data."""

    ENTERED = "entered", _("Nhập")
    COMPUTED = "computed", _("Hệ thống tính")


class DtiMethodology(models.Model):
    """Bộ chỉ số DTI: the methodology applied to the assessment of `year`
    (the Ministry revises it: 98 indicators for 2022, 47 for 2024)."""

    year = models.PositiveSmallIntegerField(_("năm đánh giá"), unique=True)
    name = models.CharField(_("tên"), max_length=255)
    decision = models.CharField(_("văn bản ban hành"), max_length=255, blank=True)
    total_points = models.PositiveIntegerField(_("tổng điểm tối đa"), default=1000)
    complete = models.BooleanField(_("đã nhập đủ chỉ số"), default=False,
                                   help_text=_("Bỏ chọn khi bộ chỉ số mới có một phần (dữ liệu mẫu chưa đầy đủ)."))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("bộ chỉ số DTI")
        verbose_name_plural = _("bộ chỉ số DTI")

    def __str__(self):
        return f"DTI {self.year}"


class DtiIndex(models.Model):
    """Chỉ số chính: a main index with its maximum points; `max_points` None
    means not scored (smart city in the 2022 methodology)."""

    methodology = models.ForeignKey(DtiMethodology, on_delete=models.CASCADE, related_name="indices")
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên chỉ số chính"), max_length=255)
    pillar = models.CharField(_("trụ cột"), max_length=12, choices=Pillar.choices)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["methodology", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["methodology", "code"], name="reports_dti_index_code_uniq")]
        verbose_name = _("chỉ số chính DTI")
        verbose_name_plural = _("chỉ số chính DTI")

    def __str__(self):
        return f"{self.code}. {self.name}"


class DtiIndicator(models.Model):
    """Chỉ số thành phần: an indicator of a main index with its maximum
    points; `measure` names the platform figure (tinhso.dashboard.live.MEASURES,
    a percentage) whose share of `max_points` it earns when computed."""

    index = models.ForeignKey(DtiIndex, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên chỉ số thành phần"), max_length=500)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2)
    source = models.CharField(_("nguồn điểm"), max_length=10, choices=Source.choices, default=Source.ENTERED)
    measure = models.CharField(_("số liệu hệ thống"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["index", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["index", "code"], name="reports_dti_indicator_code_uniq")]
        verbose_name = _("chỉ số thành phần DTI")
        verbose_name_plural = _("chỉ số thành phần DTI")

    def __str__(self):
        return f"{self.code}. {self.name}"


class DtiAssessment(models.Model):
    """Bản tự đánh giá DTI của tỉnh cho một năm, theo bộ chỉ số của năm đó."""

    methodology = models.OneToOneField(DtiMethodology, on_delete=models.PROTECT, related_name="assessment")
    published_score = models.DecimalField(_("điểm DTI được công bố"), max_digits=6, decimal_places=4, null=True,
                                          blank=True, help_text=_("Giá trị DTI (0–1) Bộ công bố, để so sánh."))
    published_rank = models.PositiveSmallIntegerField(_("xếp hạng được công bố"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-methodology__year"]
        verbose_name = _("bản tự đánh giá DTI")
        verbose_name_plural = _("bản tự đánh giá DTI")

    def __str__(self):
        return f"Tự đánh giá DTI {self.methodology.year}"


class DtiScore(models.Model):
    """Điểm chỉ số thành phần: the points an indicator earned in an
    assessment, with who entered (or which computation set) it and when."""

    assessment = models.ForeignKey(DtiAssessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(DtiIndicator, on_delete=models.CASCADE, related_name="scores")
    points = models.DecimalField(_("điểm đạt"), max_digits=7, decimal_places=2)
    source = models.CharField(_("nguồn điểm"), max_length=10, choices=Source.choices)
    measured = models.DecimalField(_("số liệu (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("ghi chú, minh chứng"), max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessment", "indicator"]
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="reports_dti_score_uniq")]
        verbose_name = _("điểm chỉ số thành phần DTI")
        verbose_name_plural = _("điểm chỉ số thành phần DTI")
