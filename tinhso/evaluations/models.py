"""Đánh giá mức độ hài lòng: the citizen's rating of how a dossier was handled.

The criteria asked are data (`Criterion`, effective-dated, seeded with the
12 criteria provincial portals use), so that a change of the official form is
a data change, not a code change. An evaluation stores the overall rating and
one `CriterionRating` row per criterion in force on the day it was given."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

OVERALL_CODE = "overall"


class Rating(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class CriterionQuerySet(models.QuerySet):
    def effective(self, day: datetime.date | None = None):
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day),
                           Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Criterion(models.Model):
    """Tiêu chí đánh giá: one question of the satisfaction form, in force over
    [valid_from, valid_to] (an empty bound is open). `code` is stable and keys
    the ratings; `label` is what the citizen reads."""

    code = models.SlugField("mã tiêu chí", max_length=40, unique=True)
    label = models.CharField("nội dung tiêu chí", max_length=300)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "tiêu chí đánh giá"
        verbose_name_plural = "tiêu chí đánh giá"

    def __str__(self):
        return self.label


class Evaluation(models.Model):
    """Đánh giá mức độ hài lòng: at most one per dossier, given by the
    dossier's citizen after the result was returned (status 10)."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="evaluation",
                                   verbose_name="hồ sơ")
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name="người đánh giá")
    overall = models.CharField("mức độ hài lòng chung", max_length=20, choices=Rating.choices)
    comment = models.TextField("ý kiến", blank=True)
    created_at = models.DateTimeField("thời điểm đánh giá", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "đánh giá mức độ hài lòng"
        verbose_name_plural = "đánh giá mức độ hài lòng"

    def __str__(self):
        return f"{self.dossier_id}: {self.get_overall_display()}"


class CriterionRating(models.Model):
    """The rating one evaluation gives one criterion."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ratings",
                                   verbose_name="đánh giá")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="ratings",
                                  verbose_name="tiêu chí")
    rating = models.CharField("mức độ", max_length=20, choices=Rating.choices)

    class Meta:
        ordering = ["evaluation", "criterion__order"]
        verbose_name = "đánh giá theo tiêu chí"
        verbose_name_plural = "đánh giá theo tiêu chí"
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="evaluation_criterion_uniq")]

    def __str__(self):
        return f"{self.criterion.code}: {self.get_rating_display()}"
