"""Leaders' work schedules (lịch công tác): each agency's entries by week,
published a week at a time. After publication an edit is marked as a change
(thay đổi) and a cancelled entry stays, struck through."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WeekPublication(models.Model):
    """Công bố lịch tuần: an agency's schedule for the week starting on
    `week_start` (a Monday) is public from `published_at`."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="schedule_weeks")
    week_start = models.DateField(_("tuần bắt đầu"))
    published_at = models.DateTimeField(_("công bố lúc"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "week_start"], name="schedule_week_once")]
        verbose_name = _("công bố lịch tuần")
        verbose_name_plural = _("công bố lịch tuần")


class ScheduleEntry(models.Model):
    """Mục lịch công tác: one engagement of an agency's leader(s): time,
    place, content, participants, hosting unit (đơn vị chủ trì). `uid` and
    `sequence` are the iCalendar identity and revision; `changed_at` and
    `change_note` say what changed after the week was published (thay đổi);
    a cancelled entry (hủy) keeps its row."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="schedule_entries",
                               verbose_name=_("cơ quan"))
    start = models.DateTimeField(_("bắt đầu"), db_index=True)
    end = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    content = models.TextField(_("nội dung"))
    leaders = models.CharField(_("lãnh đạo dự"), max_length=300)
    participants = models.CharField(_("thành phần"), max_length=500, blank=True)
    host_unit = models.CharField(_("đơn vị chủ trì, chuẩn bị"), max_length=300, blank=True)
    uid = models.CharField(max_length=80, unique=True, default="")
    sequence = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(_("thay đổi lúc"), null=True, blank=True)
    change_note = models.CharField(_("nội dung thay đổi"), max_length=500, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    cancel_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["agency", "start"])]
        verbose_name = _("mục lịch công tác")
        verbose_name_plural = _("lịch công tác")

    def save(self, *args, **kwargs):
        if not self.uid:
            self.uid = f"{uuid.uuid4()}@lich-cong-tac.tinhso"
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.start:%d/%m/%Y %H:%M} {self.content[:60]}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None
