"""A field report, its photos, its history and its followers."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tinhso.fieldreports.models.category import ReportCategory, Stage


class Status(models.TextChoices):
    NEW = "new", "Mới, chờ xác nhận"
    REJECTED = "rejected", "Không tiếp nhận"
    CONFIRMED = "confirmed", "Chờ phân công xử lý"
    ASSIGNED = "assigned", "Đã chuyển cơ quan xử lý"
    ACCEPTED = "accepted", "Cơ quan đã nhận xử lý"
    IN_PROGRESS = "in_progress", "Đang xử lý"
    ANSWERED = "answered", "Đã xử lý, chờ duyệt kết quả"
    PUBLISHED = "published", "Đã công khai kết quả"
    CLOSED = "closed", "Đã đóng"
    MERGED = "merged", "Trùng, đã gộp"


OPEN_STATUSES = (Status.NEW, Status.CONFIRMED, Status.ASSIGNED, Status.ACCEPTED, Status.IN_PROGRESS, Status.ANSWERED)
AT_AGENCY = (Status.ASSIGNED, Status.ACCEPTED, Status.IN_PROGRESS)
# What the public may see: confirmed onwards (a new report is not yet checked; rejected and merged ones are not shown).
PUBLIC_STATUSES = (Status.CONFIRMED, Status.ASSIGNED, Status.ACCEPTED, Status.IN_PROGRESS, Status.ANSWERED,
                   Status.PUBLISHED, Status.CLOSED)


class Channel(models.TextChoices):
    WEB = "web", "Cổng thông tin"
    MOBILE = "mobile", "Điện thoại di động"
    PHONE = "phone", "Đường dây nóng"
    API = "api", "Hệ thống khác (Open311)"


class Rating(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", "Rất hài lòng"
    SATISFIED = "satisfied", "Hài lòng"
    NOT_SATISFIED = "not_satisfied", "Không hài lòng"


class FieldReport(models.Model):
    """Phản ánh hiện trường: a citizen's report of a problem at a place
    (a pothole, garbage, a broken light, flooding, encroachment ...), handled
    by the operations centre (trung tâm điều hành) and the responsible agency,
    answered with evidence and rated by the reporter. The reporter's identity
    (name, phone, e-mail, e-ID account) is for staff only."""

    code = models.CharField("mã phản ánh", max_length=30, unique=True)
    category = models.ForeignKey(ReportCategory, on_delete=models.PROTECT, related_name="reports",
                                 verbose_name="lĩnh vực")
    description = models.TextField("nội dung")
    lat = models.FloatField("vĩ độ", null=True, blank=True)
    lng = models.FloatField("kinh độ", null=True, blank=True)
    unit = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name="xã, phường")
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    hide_location = models.BooleanField("không công khai vị trí chính xác", default=False)
    anonymous = models.BooleanField("ẩn danh với cơ quan xử lý", default=False)
    attributes = models.JSONField("thông tin bổ sung", default=dict, blank=True)

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="field_reports", verbose_name="người phản ánh (tài khoản)")
    reporter_name = models.CharField("họ tên người phản ánh", max_length=200, blank=True)
    reporter_phone = models.CharField("điện thoại", max_length=20, blank=True)
    reporter_email = models.EmailField("thư điện tử", blank=True)
    channel = models.CharField("kênh tiếp nhận", max_length=10, choices=Channel.choices, default=Channel.WEB)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name="cán bộ ghi nhận")
    client = models.ForeignKey("integration.ClientSystem", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name="hệ thống gửi")
    submit_key = models.CharField(max_length=80, null=True, blank=True, unique=True)

    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.NEW)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="cơ quan xử lý")
    stage = models.CharField("bước", max_length=10, choices=Stage.choices, blank=True)
    stage_started_at = models.DateTimeField(null=True, blank=True)
    stage_due_at = models.DateTimeField("hạn của bước", null=True, blank=True)
    stage_warn_at = models.DateTimeField("sắp đến hạn từ", null=True, blank=True)
    escalated_percent = models.PositiveSmallIntegerField(default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True)

    reason = models.ForeignKey("fieldreports.Reason", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    reason_text = models.TextField("lý do", blank=True)
    answer = models.TextField("kết quả xử lý", blank=True)
    published_answer = models.TextField("kết quả đã công khai", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField("công khai lúc", null=True, blank=True)
    rating = models.CharField("đánh giá", max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.TextField("ý kiến", blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="duplicates", verbose_name="gộp vào")
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField("lý do ẩn", blank=True)

    created_at = models.DateTimeField("thời điểm phản ánh", db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["lat", "lng"], name="fr_point_idx"),
            models.Index(fields=["status", "-created_at"], name="fr_status_created_idx"),
            models.Index(fields=["agency", "status"], name="fr_agency_status_idx"),
            models.Index(fields=["unit", "status"], name="fr_unit_status_idx"),
        ]
        verbose_name = "phản ánh hiện trường"
        verbose_name_plural = "phản ánh hiện trường"

    def __str__(self):
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES and self.hidden_at is None and self.category.is_public


class ReportCounter(models.Model):
    """Bộ đếm mã phản ánh: the last number given on a day."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)


class MediaKind(models.TextChoices):
    PHOTO = "photo", "Ảnh"
    VIDEO = "video", "Video"
    DOCUMENT = "document", "Tài liệu"


class MediaRole(models.TextChoices):
    REPORT = "report", "Ảnh hiện trường"
    EVIDENCE = "evidence", "Minh chứng kết quả"


class ReportMedia(models.Model):
    """Ảnh, video, tài liệu của phản ánh: the original is for staff; the
    public copy of a photo is re-encoded without EXIF (no GPS, no device);
    staff may withhold any file from the public (a face, a number plate)."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="media")
    role = models.CharField(max_length=10, choices=MediaRole.choices, default=MediaRole.REPORT)
    kind = models.CharField(max_length=10, choices=MediaKind.choices)
    file = models.FileField(upload_to="fieldreports/%Y/%m/", max_length=300)
    public_file = models.FileField(upload_to="fieldreports/public/%Y/%m/", max_length=300, blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    withheld = models.BooleanField("không công khai", default=False)
    published = models.BooleanField("đã công khai cùng kết quả", default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    moved_from = models.ForeignKey(FieldReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "id"]
        verbose_name = "tệp đính kèm phản ánh"
        verbose_name_plural = "tệp đính kèm phản ánh"

    @property
    def is_public(self) -> bool:
        """A photo's EXIF-free copy, or an evidence document, once the centre
        published the answer it belongs to; never a withheld file."""
        if self.withheld:
            return False
        if self.role == MediaRole.EVIDENCE and not self.published:
            return False
        return bool(self.public_file) or (self.kind == MediaKind.DOCUMENT and self.published)


class ReportEvent(models.Model):
    """Quá trình xử lý phản ánh: one step of a report (who, when, from which
    state to which, the note and reason); `public` steps form the timeline on
    the public page, without staff names."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = "quá trình xử lý phản ánh"
        verbose_name_plural = "quá trình xử lý phản ánh"


class StageRecord(models.Model):
    """Thời hạn từng bước: one stage of a report with its deadline and when it
    ended, the source of the on-time rate per stage."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    on_time = models.BooleanField(null=True)

    class Meta:
        ordering = ["report", "started_at", "id"]
        indexes = [models.Index(fields=["stage", "started_at"], name="fr_stage_started_idx")]
        verbose_name = "thời hạn bước xử lý"
        verbose_name_plural = "thời hạn bước xử lý"


class ReportFollower(models.Model):
    """Người theo dõi: a citizen who follows a report (its reporter, or
    someone who had the same problem); told of its public steps."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], condition=models.Q(user__isnull=False),
                                    name="fr_follower_user_uniq"),
            models.UniqueConstraint(fields=["report", "phone"], condition=~models.Q(phone=""),
                                    name="fr_follower_phone_uniq"),
        ]
        verbose_name = "người theo dõi"
        verbose_name_plural = "người theo dõi"


class PhoneConfirmation(models.Model):
    """Mã xác nhận số điện thoại: a one-time code sent by SMS to a reporter
    who does not sign in; only its hash is kept, it expires, and a few wrong
    tries end it."""

    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "mã xác nhận số điện thoại"
        verbose_name_plural = "mã xác nhận số điện thoại"


class ReplayGuard(models.Model):
    """Chống gửi lặp qua Open311: the digest of a client's POST body, unique
    per client, kept for a day, so the same request sent twice (even at the
    same instant) creates one report."""

    client = models.ForeignKey("integration.ClientSystem", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    report = models.ForeignKey(FieldReport, null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "digest"], name="fr_replay_uniq")]
