from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Role(models.TextChoices):
    """Vai trò: what a staff member may do, always scoped to an agency."""

    CLERK = "clerk", "Cán bộ một cửa"
    SPECIALIST = "specialist", "Chuyên viên xử lý"
    HEAD_OF_DIVISION = "head_of_division", "Lãnh đạo phòng"
    LEADER = "leader", "Lãnh đạo đơn vị"
    CLERICAL_OFFICE = "clerical_office", "Văn thư"
    OPERATIONS_CENTRE = "operations_centre", "Trung tâm điều hành"
    CATALOGUE_MANAGER = "catalogue_manager", "Quản lý danh mục thủ tục"
    SYSTEM_ADMIN = "system_admin", "Quản trị hệ thống"
    AUDITOR = "auditor", "Kiểm tra, giám sát (chỉ xem nhật ký)"


class User(AbstractUser):
    """Tài khoản người dùng: a staff member (cán bộ, công chức) of the province.

    Citizens get accounts keyed by their personal identification number in the
    portal issue; here a user is staff when they hold at least one role."""

    full_name = models.CharField("họ và tên", max_length=200, blank=True)
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    job_title = models.CharField("chức vụ", max_length=200, blank=True)

    # Citizens (công dân) sign in through the national e-ID (OpenID Connect):
    # their account is keyed by the personal identification number.
    is_citizen = models.BooleanField("công dân", default=False)
    id_number = models.CharField("số định danh cá nhân", max_length=20, null=True, blank=True, unique=True)
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    eid_level = models.CharField("mức định danh", max_length=20, blank=True)
    notify_email = models.BooleanField("nhận thông báo qua thư điện tử", default=True)
    notify_sms = models.BooleanField("nhận thông báo qua tin nhắn", default=True)

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, at: datetime.date | None = None):
        day = at or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day),
                           Q(valid_to__isnull=True) | Q(valid_to__gte=day),
                           user__is_active=True)


class RoleAssignment(models.Model):
    """Phân quyền: a user holds a role in an agency over a period.

    A role in an agency covers that agency and every agency under it in the
    tree (a leader of a department may act for its divisions). A person may
    hold several roles in several agencies."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments",
                             verbose_name="tài khoản")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="role_assignments",
                               verbose_name="cơ quan")
    role = models.CharField("vai trò", max_length=30, choices=Role.choices)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["user__username", "agency__path", "role"]
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="role_assignment_uniq")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class TwoFactorRule(models.Model):
    """Quy định xác thực hai bước: from a date on, staff holding `role` must (or
    need not) sign in with a second factor (an authenticator app, TOTP).

    Dated data the system administrator schedules; the rule in force on a day
    is the row with the latest `effective_from` on or before it. Required for
    the system administrator from the start (data migration)."""

    role = models.CharField("vai trò", max_length=30, choices=Role.choices)
    required = models.BooleanField("bắt buộc xác thực hai bước")
    effective_from = models.DateField("hiệu lực từ")
    note = models.CharField("ghi chú", max_length=300, blank=True)
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name="người thay đổi")
    created_at = models.DateTimeField("thời điểm tạo", auto_now_add=True)

    class Meta:
        ordering = ["role", "-effective_from"]
        verbose_name = "quy định xác thực hai bước"
        verbose_name_plural = "quy định xác thực hai bước"
        constraints = [models.UniqueConstraint(fields=["role", "effective_from"], name="two_factor_rule_uniq")]

    def __str__(self):
        return f"{self.get_role_display()} · {self.effective_from}"


class SignInThrottle(models.Model):
    """Giới hạn đăng nhập sai: failed staff sign-ins counted for one account
    name (scope "account") or one client address (scope "address") within a
    window, and the lock they led to. Rows, not process memory, so that every
    app server sees the same count."""

    class Scope(models.TextChoices):
        ACCOUNT = "account", "Tài khoản"
        ADDRESS = "address", "Địa chỉ mạng"

    scope = models.CharField("phạm vi", max_length=10, choices=Scope.choices)
    key = models.CharField("tên đăng nhập / địa chỉ", max_length=200)
    failures = models.PositiveIntegerField("số lần sai", default=0)
    window_started_at = models.DateTimeField("bắt đầu đếm")
    locked_until = models.DateTimeField("khóa đến", null=True, blank=True)

    class Meta:
        verbose_name = "giới hạn đăng nhập sai"
        verbose_name_plural = "giới hạn đăng nhập sai"
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="sign_in_throttle_uniq")]

    def __str__(self):
        return f"{self.scope}:{self.key}"
