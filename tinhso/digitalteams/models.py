"""Community digital technology teams (tổ công nghệ số cộng đồng): the
teams of each commune and hamlet, their members, the trainings they attend
and the help they give people."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    """Tổ công nghệ số cộng đồng: a team of a commune (its people's committee,
    `agency`) working in one hamlet (ấp, khu vực, tổ dân phố — free text, the
    hamlets are not administrative units). `is_active` false once dissolved."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="digital_teams",
                               verbose_name=_("UBND xã, phường"))
    name = models.CharField(_("tên tổ"), max_length=200)
    hamlet = models.CharField(_("ấp, khu vực, tổ dân phố"), max_length=200, blank=True)
    established_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__path", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="digitalteams_team_unique_name")]
        verbose_name = _("tổ công nghệ số cộng đồng")
        verbose_name_plural = _("tổ công nghệ số cộng đồng")

    def __str__(self):
        return self.name


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Tổ trưởng")
    DEPUTY = "deputy", _("Tổ phó")
    MEMBER = "member", _("Thành viên")


class Member(models.Model):
    """Thành viên tổ công nghệ số: name, role in the team, contact (phone,
    e-mail: staff only, never on a public page) and, optionally, the user
    account with which the member logs activities themselves."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("họ và tên"), max_length=200)
    role = models.CharField(_("vai trò trong tổ"), max_length=20, choices=MemberRole.choices,
                            default=MemberRole.MEMBER)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="digital_team_memberships", verbose_name=_("tài khoản"))
    is_active = models.BooleanField(_("đang tham gia"), default=True)

    class Meta:
        ordering = ["team", "role", "full_name"]
        constraints = [models.UniqueConstraint(fields=["team", "full_name", "phone"],
                                               name="digitalteams_member_once")]
        verbose_name = _("thành viên tổ")
        verbose_name_plural = _("thành viên tổ")

    def __str__(self):
        return self.full_name


class Training(models.Model):
    """Lớp tập huấn: a training the members of a commune's teams attended."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="digital_trainings",
                               verbose_name=_("UBND xã, phường"))
    held_on = models.DateField(_("ngày tập huấn"))
    topic = models.CharField(_("chủ đề"), max_length=300)
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=200)
    attendees = models.ManyToManyField(Member, blank=True, related_name="trainings", verbose_name=_("thành viên dự"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")

    def __str__(self):
        return f"{self.topic} ({self.held_on:%d/%m/%Y})"


class ActivityKind(models.TextChoices):
    CITIZEN_APP = "citizen_app", _("Cài đặt ứng dụng công dân")
    ONLINE_DOSSIER = "online_dossier", _("Nộp hồ sơ trực tuyến")
    BANK_ACCOUNT = "bank_account", _("Mở tài khoản ngân hàng, ví điện tử")
    VNEID = "vneid", _("Kích hoạt định danh điện tử (VNeID)")
    OTHER = "other", _("Khác")


class Activity(models.Model):
    """Hoạt động hỗ trợ: one session of help given by a team (by one member or
    the team) — what kind, how many people, when and where."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="activities")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities",
                               verbose_name=_("thành viên"))
    kind = models.CharField(_("loại hỗ trợ"), max_length=30, choices=ActivityKind.choices)
    people_helped = models.PositiveIntegerField(_("số người được hỗ trợ"), validators=[MinValueValidator(1)])
    day = models.DateField(_("ngày"), db_index=True)
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("hoạt động hỗ trợ")
        verbose_name_plural = _("hoạt động hỗ trợ")

    def __str__(self):
        return f"{self.team} — {self.get_kind_display()} ({self.day:%d/%m/%Y})"
