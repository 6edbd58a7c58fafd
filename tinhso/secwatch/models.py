"""Security events from the whole platform in one place, the alert rules
evaluated on them, the alerts sent, the collectors' cursors and the seals of
the audit log's integrity chain."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Severity(models.TextChoices):
    INFO = "info", "Thông tin"
    WARNING = "warning", "Cảnh báo"
    HIGH = "high", "Nghiêm trọng"
    CRITICAL = "critical", "Khẩn cấp"


SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


class Kind(models.TextChoices):
    SIGNIN_FAILED = "signin_failed", "Đăng nhập sai mật khẩu"
    OTP_FAILED = "otp_failed", "Sai mã xác thực hai bước"
    SIGNIN_LOCKED = "signin_locked", "Khóa đăng nhập do sai nhiều lần"
    PERMISSION_DENIED = "permission_denied", "Truy cập bị từ chối"
    PERSONAL_DATA = "personal_data", "Truy cập dữ liệu cá nhân"
    API_REFUSED = "api_refused", "Thông tin xác thực API bị từ chối"
    API_LIMITED = "api_limited", "Vượt giới hạn tần suất"
    SIGNATURE_INVALID = "signature_invalid", "Chữ ký số không hợp lệ"
    ADMIN_CHANGE = "admin_change", "Thay đổi quản trị"
    AUDIT_INTEGRITY = "audit_integrity", "Nhật ký hệ thống mất toàn vẹn"
    AUDIT_CHECKED = "audit_checked", "Đã kiểm tra toàn vẹn nhật ký"
    ALERT = "alert", "Cảnh báo theo quy tắc"


class SecurityEvent(models.Model):
    """Sự kiện an toàn thông tin: one thing a security officer may need to
    see, with its severity, who (account name), from where (address) and the
    object concerned. Append-only. Pulled rows keep their origin in
    (`source`, `source_id`), so pulling twice stores nothing twice."""

    at = models.DateTimeField("thời điểm", db_index=True)
    kind = models.CharField("loại", max_length=24, choices=Kind.choices, db_index=True)
    severity = models.CharField("mức độ", max_length=10, choices=Severity.choices, db_index=True)
    username = models.CharField("tài khoản", max_length=200, blank=True, db_index=True)
    address = models.CharField("địa chỉ mạng", max_length=64, blank=True, db_index=True)
    detail = models.JSONField("chi tiết", default=dict, blank=True)
    object_type = models.CharField("loại đối tượng", max_length=100, blank=True)
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True)
    object_repr = models.CharField("đối tượng", max_length=300, blank=True)
    source = models.CharField("nguồn", max_length=10, default="hook")
    source_id = models.BigIntegerField("mã bản ghi nguồn", null=True, blank=True)
    # When the row was written (`at` is when it happened: a pulled row is older): the SIEM stream by id hands
    # out only rows past a settling delay (siem.settled), so a row committed late with a lower id is not skipped.
    created_at = models.DateTimeField("ghi lúc", auto_now_add=True, db_index=True)
    # When the syslog forwarder sent it (null: not yet); pruning keeps unsent rows while forwarding is on.
    forwarded_at = models.DateTimeField("đã gửi syslog lúc", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "sự kiện an toàn thông tin"
        verbose_name_plural = "sự kiện an toàn thông tin"
        indexes = [models.Index(fields=["kind", "at"]),
                   models.Index(fields=["id"], name="secwatch_event_unsent",
                                condition=models.Q(forwarded_at__isnull=True))]
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="secwatch_event_source_uniq",
                                               condition=models.Q(source_id__isnull=False))]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"

    @property
    def summary(self) -> str:
        """The object, else the path refused, else the rule that fired."""
        detail = self.detail if isinstance(self.detail, dict) else {}
        return self.object_repr or str(detail.get("path") or detail.get("rule") or detail.get("service") or "")


class GroupBy(models.TextChoices):
    USERNAME = "username", "Theo tài khoản"
    ADDRESS = "address", "Theo địa chỉ mạng"
    NONE = "", "Toàn hệ thống"


class AlertRule(models.Model):
    """Quy tắc cảnh báo: when `threshold` events of `kind` for one group
    (account, address or all) happen within `window_minutes`, e-mail the
    recipients, at most once per rule, group and window."""

    name = models.CharField("tên quy tắc", max_length=200)
    kind = models.CharField("loại sự kiện", max_length=24, choices=Kind.choices)
    threshold = models.PositiveIntegerField("ngưỡng (số sự kiện)")
    window_minutes = models.PositiveIntegerField("trong (phút)")
    group_by = models.CharField("gom theo", max_length=10, choices=GroupBy.choices, blank=True, default="username")
    severity = models.CharField("mức độ cảnh báo", max_length=10, choices=Severity.choices, default=Severity.HIGH)
    recipients = models.TextField("thư điện tử người nhận", blank=True,
                                  help_text="Mỗi địa chỉ một dòng hoặc cách nhau bởi dấu phẩy. Để trống: gửi cho "
                                            "những người đang giữ vai trò “Kiểm tra, giám sát” (cán bộ giám sát an "
                                            "toàn thông tin) có địa chỉ thư điện tử.")
    active = models.BooleanField("đang áp dụng", default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="người sửa")
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "quy tắc cảnh báo"
        verbose_name_plural = "quy tắc cảnh báo"

    def __str__(self):
        return self.name

    def recipient_list(self) -> list[str]:
        """The addresses written on the rule; empty means the security
        officers (`events.alert_recipients`)."""
        return [r.strip() for r in self.recipients.replace(",", "\n").splitlines() if r.strip()]


class Alert(models.Model):
    """Cảnh báo đã gửi: a rule that fired for one group; the next for the same
    rule and group waits until this one's window has passed."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts", verbose_name="quy tắc")
    group_value = models.CharField("nhóm", max_length=200, blank=True)
    count = models.PositiveIntegerField("số sự kiện")
    fired_at = models.DateTimeField("thời điểm", db_index=True)
    window_ends_at = models.DateTimeField("hết cửa sổ lúc")

    class Meta:
        ordering = ["-fired_at"]
        verbose_name = "cảnh báo"
        verbose_name_plural = "cảnh báo"

    def __str__(self):
        return f"{self.rule} · {self.group_value} · {self.fired_at:%Y-%m-%d %H:%M}"


class Cursor(models.Model):
    """Con trỏ thu thập: how far a collector (audit rows, message log) has
    read. (The syslog forwarder marks each row it sent instead.)"""

    name = models.CharField(max_length=40, unique=True)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "con trỏ thu thập"
        verbose_name_plural = "con trỏ thu thập"

    def __str__(self):
        return f"{self.name}={self.position}"


class AuditSeal(models.Model):
    """Niêm phong nhật ký: a SHA-256 digest over the audit rows with ids
    first_id..last_id, chained to the previous seal, so a later change,
    removal or insertion among sealed rows is found by the daily check."""

    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField(unique=True)
    count = models.PositiveIntegerField()
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_id"]
        verbose_name = "niêm phong nhật ký"
        verbose_name_plural = "niêm phong nhật ký"

    def __str__(self):
        return f"{self.first_id}..{self.last_id}"
