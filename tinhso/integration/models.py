"""The integration platform (nền tảng tích hợp, chia sẻ dữ liệu — LGSP):
the registry of services Tỉnh Số offers and consumes, the systems that call
it and their credentials, and the hash-chained message log of every exchange.
Modelled on X-Road: a member identity on every call, a service registry, a
tamper-evident log (docs/integration.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Direction(models.TextChoices):
    OFFERED = "offered", "Tỉnh Số cung cấp"
    CONSUMED = "consumed", "Tỉnh Số sử dụng"


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Đang hoạt động"
    TRIAL = "trial", "Thử nghiệm"
    DEPRECATED = "deprecated", "Sắp ngừng"
    RETIRED = "retired", "Đã ngừng"


class Breaker(models.TextChoices):
    CLOSED = "closed", "Bình thường"
    OPEN = "open", "Ngắt (tạm ngừng gọi)"
    HALF_OPEN = "half_open", "Đang thử lại"


class Service(models.Model):
    """Dịch vụ tích hợp: one entry of the service registry — an interface
    Tỉnh Số offers to other systems (its code is the scope granted to callers)
    or a national/sector system Tỉnh Số consumes (with the circuit breaker and
    the health seen from here)."""

    code = models.SlugField("mã dịch vụ", max_length=60, unique=True)
    name = models.CharField("tên dịch vụ", max_length=255)
    direction = models.CharField("chiều", max_length=10, choices=Direction.choices)
    owner = models.CharField("cơ quan chủ quản", max_length=255, blank=True)
    version = models.CharField("phiên bản", max_length=30, blank=True)
    spec_url = models.CharField("đặc tả (OpenAPI, lược đồ thông điệp)", max_length=300, blank=True)
    description = models.TextField("mô tả", blank=True)
    status = models.CharField("tình trạng", max_length=12, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    # For consumed services: the resilience policy and the breaker's state (shared by every process).
    timeout_seconds = models.FloatField("thời gian chờ (giây)", default=10)
    max_retries = models.PositiveSmallIntegerField("số lần thử lại", default=2)
    failure_threshold = models.PositiveSmallIntegerField("số lỗi liên tiếp thì ngắt", default=5)
    cooldown_seconds = models.PositiveIntegerField("thời gian ngắt (giây)", default=60)
    breaker = models.CharField("cầu dao", max_length=10, choices=Breaker.choices, default=Breaker.CLOSED)
    failures = models.PositiveIntegerField("lỗi liên tiếp", default=0)
    opened_at = models.DateTimeField("ngắt lúc", null=True, blank=True)
    last_ok_at = models.DateTimeField("gọi thành công lần cuối", null=True, blank=True)
    last_error_at = models.DateTimeField("lỗi lần cuối", null=True, blank=True)
    last_error = models.CharField("lỗi gần nhất", max_length=500, blank=True)

    class Meta:
        ordering = ["direction", "code"]
        verbose_name = "dịch vụ tích hợp"
        verbose_name_plural = "danh mục dịch vụ tích hợp"

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def health(self) -> str:
        """ok / degraded / down / unknown, as the health page shows it."""
        if self.direction != Direction.CONSUMED:
            return "ok" if self.status in (ServiceStatus.ACTIVE, ServiceStatus.TRIAL) else "down"
        if self.breaker == Breaker.OPEN:
            return "down"
        if self.failures:
            return "degraded"
        return "ok" if self.last_ok_at else "unknown"


class ClientSystem(models.Model):
    """Hệ thống kết nối (thành viên): a system of another body (a sector
    system, a district app, the national portal) that calls Tỉnh Số with
    credentials issued to it, within the services granted to it and its rate
    limit. With a service account its calls act as that staff account (its
    unit and roles bound every object access)."""

    name = models.CharField("tên hệ thống", max_length=200, unique=True)
    code = models.SlugField("mã thành viên", max_length=80, blank=True)
    owner = models.CharField("cơ quan chủ quản", max_length=255, blank=True)
    contact = models.CharField("đầu mối liên hệ", max_length=255, blank=True)
    is_active = models.BooleanField("đang hoạt động", default=True)
    granted = models.ManyToManyField(Service, blank=True, related_name="clients", verbose_name="dịch vụ được cấp")
    rate_limit = models.PositiveIntegerField("giới hạn lượt gọi mỗi phút", default=600)
    service_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="tài khoản nghiệp vụ")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "hệ thống kết nối"
        verbose_name_plural = "hệ thống kết nối"

    def __str__(self):
        return self.name


class CredentialKind(models.TextChoices):
    API_KEY = "api_key", "Khóa API"
    OAUTH = "oauth", "OAuth 2.0 (client credentials)"


class ApiKey(models.Model):
    """Thông tin xác thực: an API key, or an OAuth 2.0 client (client_id +
    secret) that exchanges its secret for expiring tokens. Only the SHA-256 of
    the secret is kept; it is shown once, when issued. A revoked or expired
    credential is refused from the next call on, in every process (each call
    reads the row)."""

    client = models.ForeignKey(ClientSystem, on_delete=models.CASCADE, related_name="keys")
    kind = models.CharField("loại", max_length=10, choices=CredentialKind.choices, default=CredentialKind.API_KEY)
    prefix = models.CharField(max_length=40, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField("phạm vi", default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    expires_at = models.DateTimeField("hết hạn lúc", null=True, blank=True)
    rotated_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name="thay cho")
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)

    class Meta:
        ordering = ["client", "-created_at"]
        verbose_name = "thông tin xác thực"
        verbose_name_plural = "thông tin xác thực"

    def __str__(self):
        return f"{self.client} · {self.prefix}…"


class AccessToken(models.Model):
    """Mã truy cập OAuth 2.0: issued to an OAuth credential for a few
    minutes; only its SHA-256 is kept. Refused once expired or once its
    credential is revoked."""

    credential = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "mã truy cập"
        verbose_name_plural = "mã truy cập"


class Outcome(models.TextChoices):
    OK = "ok", "Thành công"
    REFUSED = "refused", "Bị từ chối (xác thực, phạm vi)"
    LIMITED = "limited", "Vượt giới hạn lượt gọi"
    INVALID = "invalid", "Yêu cầu không hợp lệ"
    ERROR = "error", "Lỗi"
    TIMEOUT = "timeout", "Quá thời gian chờ"
    UNAVAILABLE = "unavailable", "Không kết nối được"
    CIRCUIT_OPEN = "circuit_open", "Cầu dao đang ngắt"
    BAD_ANSWER = "bad_answer", "Trả lời không hợp lệ"


class MessageLog(models.Model):
    """Nhật ký trao đổi dữ liệu: one exchange in either direction (a system
    calling Tỉnh Số, Tỉnh Số calling a national system). Append-only; each
    row's `hash` is an HMAC over its content and the previous row's hash, so a
    removed, inserted or altered row breaks the chain (`manage.py
    verify_message_log`). Bodies are never stored, only their SHA-256."""

    seq = models.BigIntegerField("số thứ tự", unique=True)
    at = models.DateTimeField("thời điểm", db_index=True)
    direction = models.CharField("chiều", max_length=3, choices=[("in", "Gọi đến"), ("out", "Gọi đi")])
    client = models.ForeignKey(ClientSystem, null=True, blank=True, on_delete=models.PROTECT, related_name="calls")
    credential = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.PROTECT, related_name="calls")
    service = models.CharField("dịch vụ", max_length=60, db_index=True)
    operation = models.CharField("thao tác", max_length=300)
    purpose = models.CharField("mục đích", max_length=200, blank=True)
    subject = models.CharField("đối tượng (mã hồ sơ …)", max_length=80, blank=True, db_index=True)
    request_digest = models.CharField(max_length=64, blank=True)
    response_digest = models.CharField(max_length=64, blank=True)
    status = models.PositiveSmallIntegerField("mã HTTP", default=0)
    outcome = models.CharField("kết quả", max_length=14, choices=Outcome.choices)
    latency_ms = models.PositiveIntegerField("thời gian (ms)", default=0)
    address = models.CharField("địa chỉ", max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["service", "at"]), models.Index(fields=["client", "at"])]
        verbose_name = "nhật ký trao đổi dữ liệu"
        verbose_name_plural = "nhật ký trao đổi dữ liệu"

    def __str__(self):
        return f"#{self.seq} {self.direction} {self.service} {self.outcome}"


class LogHead(models.Model):
    """Đầu chuỗi nhật ký: the single row holding the last sequence number and
    hash (locked while a row is appended), and the anchor the chain starts
    from after old rows were removed by the retention job."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    anchor_seq = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default="0" * 64)
    pruned_at = models.DateTimeField(null=True, blank=True)
    # HMAC of (seq, hash, anchor_seq, anchor_hash) under the message-log key: moving the head back (cutting the
    # last rows) or the anchor forward (cutting the first rows) without the key is seen by the verification
    mac = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "đầu chuỗi nhật ký"


class LogCheckpoint(models.Model):
    """Điểm niêm phong nhật ký: the chain's head as it was at a moment (daily),
    with its HMAC, also sent to the SIEM as a security event. The verification
    checks that every checkpoint's row is still there with the same hash and
    that the chain did not end before it, so cutting the tail of the log is
    seen; with the copies in the SIEM even removing every row, the head and
    the checkpoints is seen by comparing."""

    seq = models.BigIntegerField("số thứ tự bản ghi", unique=True)
    hash = models.CharField("mã băm", max_length=64)
    at = models.DateTimeField("thời điểm niêm phong")
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = "điểm niêm phong nhật ký"
        verbose_name_plural = "điểm niêm phong nhật ký"

    def __str__(self):
        return f"#{self.seq} · {self.at:%d/%m/%Y %H:%M}"
