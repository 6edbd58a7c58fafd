"""Online meetings down to the communes (họp trực tuyến): rooms, meetings,
the units taking part and their attendance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingRoom(models.Model):
    """Điểm cầu (phòng họp trực tuyến): the physical room of an agency or a
    commune where its people join online meetings, with its equipment and the
    person to call about it."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="meeting_rooms",
                               verbose_name=_("cơ quan, đơn vị"))
    name = models.CharField(_("tên điểm cầu"), max_length=200)
    address = models.CharField(_("địa điểm"), max_length=300, blank=True)
    equipment = models.TextField(_("thiết bị"), blank=True)
    contact_name = models.CharField(_("người phụ trách"), max_length=200, blank=True)
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=30, blank=True)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        ordering = ["agency__path", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="meetings_room_unique_name")]
        verbose_name = _("điểm cầu")
        verbose_name_plural = _("điểm cầu")

    def __str__(self):
        return f"{self.name} ({self.agency.short_name or self.agency.name})"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Đã lên lịch")
    CANCELLED = "cancelled", _("Đã hủy")


class Meeting(models.Model):
    """Cuộc họp trực tuyến: hosted by an agency, with an agenda, the units
    invited, documents, a start and an end, and a Jitsi Meet room whose name
    cannot be guessed. `uid` stays the same for the meeting's whole life (the
    calendar entry of every invitation), `sequence` goes up with each change
    that is sent again."""

    host = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="hosted_meetings",
                             verbose_name=_("cơ quan chủ trì"))
    title = models.CharField(_("tên cuộc họp"), max_length=300)
    agenda = models.TextField(_("nội dung, chương trình"), blank=True)
    start = models.DateTimeField(_("bắt đầu"), db_index=True)
    end = models.DateTimeField(_("kết thúc"))
    room = models.ForeignKey(MeetingRoom, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("điểm cầu chính"))
    documents = models.ManyToManyField("officialdocs.OfficialDocument", blank=True, related_name="meetings",
                                       verbose_name=_("tài liệu"))
    video_room = models.CharField(_("phòng họp video"), max_length=80, unique=True)
    uid = models.CharField(max_length=80, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(_("trạng thái"), max_length=20, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    cancel_reason = models.CharField(_("lý do hủy"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("cuộc họp trực tuyến")
        verbose_name_plural = _("cuộc họp trực tuyến")

    def __str__(self):
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED


class Attendance(models.TextChoices):
    INVITED = "invited", _("Đã mời")
    CONNECTED = "connected", _("Đã kết nối")
    ABSENT = "absent", _("Vắng")


class Participant(models.Model):
    """Đơn vị tham dự: a unit invited to a meeting (a department, a commune
    people's committee …), the room it joins from, and its attendance as
    checked in by its own staff."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="meeting_invitations",
                               verbose_name=_("đơn vị"))
    room = models.ForeignKey(MeetingRoom, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("điểm cầu"))
    attendance = models.CharField(_("điểm danh"), max_length=20, choices=Attendance.choices,
                                  default=Attendance.INVITED)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        ordering = ["agency__path"]
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="meetings_participant_once")]
        indexes = [models.Index(fields=["agency", "attendance"])]
        verbose_name = _("đơn vị tham dự")
        verbose_name_plural = _("đơn vị tham dự")

    def __str__(self):
        return f"{self.meeting} — {self.agency}"


class Invitation(models.Model):
    """Giấy mời: one e-mail with the calendar entry (.ics) sent to one
    address for one version (`sequence`) of a meeting, or its cancellation."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    email = models.EmailField()
    method = models.CharField(max_length=10)  # REQUEST or CANCEL
    sequence = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("giấy mời")
        verbose_name_plural = _("giấy mời")

    def __str__(self):
        return f"{self.meeting} → {self.email} ({self.method} {self.sequence})"
