"""Working calendar data: working hours with effective dates, days off and
make-up working days, and a revision token that lets every app server know
when its cached engine is stale.

The engine (engine.py) is built from these rows; nothing about holidays or
working hours is a constant in code."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhso.core.models import RevisionToken

DEFAULT_MORNING_START = datetime.time(7, 0)
DEFAULT_MORNING_END = datetime.time(11, 30)
DEFAULT_AFTERNOON_START = datetime.time(13, 30)
DEFAULT_AFTERNOON_END = datetime.time(17, 0)
DEFAULT_WEEKDAYS = "12345"  # ISO weekdays: 1 = Monday … 7 = Sunday

WEEKDAY_LABELS = {
    1: _("Thứ Hai"), 2: _("Thứ Ba"), 3: _("Thứ Tư"), 4: _("Thứ Năm"),
    5: _("Thứ Sáu"), 6: _("Thứ Bảy"), 7: _("Chủ nhật"),
}


def validate_weekdays(value: str) -> None:
    if not value or any(c not in "1234567" for c in value) or len(set(value)) != len(value):
        raise ValidationError(_("Ngày làm việc trong tuần phải là các chữ số 1 (Thứ Hai) đến 7 (Chủ nhật), "
                                "không trùng lặp, ví dụ 12345."))


class WorkSchedule(models.Model):
    """Lịch giờ làm việc: working hours and working weekdays from a date on.

    The schedule in force on a date is the one with the latest `valid_from`
    on or before that date. Morning and afternoon sessions; the lunch break
    between them is not working time."""

    valid_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    morning_start = models.TimeField(_("giờ bắt đầu buổi sáng"), default=DEFAULT_MORNING_START)
    morning_end = models.TimeField(_("giờ kết thúc buổi sáng"), default=DEFAULT_MORNING_END)
    afternoon_start = models.TimeField(_("giờ bắt đầu buổi chiều"), default=DEFAULT_AFTERNOON_START)
    afternoon_end = models.TimeField(_("giờ kết thúc buổi chiều"), default=DEFAULT_AFTERNOON_END)
    weekdays = models.CharField(_("ngày làm việc trong tuần"), max_length=7, default=DEFAULT_WEEKDAYS,
                                validators=[validate_weekdays],
                                help_text=_("Chữ số 1 (Thứ Hai) đến 7 (Chủ nhật), ví dụ 12345 là Thứ Hai đến Thứ Sáu."))
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("lịch giờ làm việc")
        verbose_name_plural = _("lịch giờ làm việc")

    def __str__(self):
        return f"{self.valid_from:%d/%m/%Y}: {self.hours_display}"

    @property
    def hours_display(self) -> str:
        return (f"{self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
                f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}")

    @property
    def weekday_labels(self) -> list[str]:
        return [str(WEEKDAY_LABELS[int(c)]) for c in sorted(self.weekdays)]

    @property
    def working_seconds(self) -> int:
        def secs(t):
            return t.hour * 3600 + t.minute * 60 + t.second

        return (secs(self.morning_end) - secs(self.morning_start)
                + secs(self.afternoon_end) - secs(self.afternoon_start))

    def clean(self):
        times = [self.morning_start, self.morning_end, self.afternoon_start, self.afternoon_end]
        if None in times:
            return
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValidationError(_("Giờ làm việc phải theo thứ tự: bắt đầu sáng < kết thúc sáng ≤ "
                                    "bắt đầu chiều < kết thúc chiều."))


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Nghỉ lễ, Tết")
    COMPENSATORY = "compensatory", _("Nghỉ bù (lễ trùng ngày nghỉ hằng tuần)")
    SWAPPED_DAY_OFF = "swapped_day_off", _("Nghỉ do hoán đổi ngày làm việc")
    MAKEUP_WORKDAY = "makeup_workday", _("Làm việc bù")


DAY_OFF_KINDS = (DayKind.HOLIDAY, DayKind.COMPENSATORY, DayKind.SWAPPED_DAY_OFF)


class CalendarDayQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed=True)

    def proposals(self):
        return self.filter(confirmed=False)

    def in_year(self, year: int):
        return self.filter(date__year=year)


class CalendarDay(models.Model):
    """Ngày nghỉ lễ, Tết / ngày nghỉ bù / ngày làm việc bù: one exception to the
    weekly pattern.

    Only confirmed rows count for deadlines. The generator writes unconfirmed
    proposals (đề xuất); an administrator confirms them against the official
    notice (thông báo) of the year."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    source = models.CharField(_("căn cứ"), max_length=300, blank=True,
                              help_text=_("Ví dụ: số hiệu thông báo, công văn."))
    confirmed = models.BooleanField(_("đã xác nhận"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ / ngày làm bù")
        verbose_name_plural = _("ngày nghỉ / ngày làm bù")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"

    @property
    def is_day_off(self) -> bool:
        return self.kind in DAY_OFF_KINDS


class CalendarRevision(RevisionToken):
    """Phiên bản dữ liệu lịch: a single row whose token changes, in the same
    transaction, whenever calendar data changes. App servers compare it with
    the token of their cached engine. A random token (not only a counter)
    stays correct even if a change is rolled back and another one commits."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    revision = models.BigIntegerField(_("số phiên bản"), default=0)
    token = models.CharField(_("mã phiên bản"), max_length=32, default="")
    changed_at = models.DateTimeField(_("thay đổi lúc"), auto_now=True)

    class Meta:
        verbose_name = _("phiên bản dữ liệu lịch")
        verbose_name_plural = _("phiên bản dữ liệu lịch")
