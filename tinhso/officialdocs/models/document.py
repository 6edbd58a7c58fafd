"""Official documents (văn bản hành chính) of an agency: outgoing ones drafted,
approved, signed, numbered and issued; incoming ones received, registered,
assigned and handled (Decree 30/2020/NĐ-CP), exchanged between agencies as
edXML messages (QCVN 102)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DocumentType(models.Model):
    """Loại văn bản hành chính (Phụ lục III, Nghị định 30/2020): a type with
    its abbreviation used in the number and symbol (QĐ, CV, KH, TB ...)."""

    name = models.CharField("tên loại", max_length=100, unique=True)
    abbreviation = models.CharField("viết tắt", max_length=10)
    is_letter = models.BooleanField("công văn (số ký hiệu không có tên loại)", default=False)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "loại văn bản"
        verbose_name_plural = "loại văn bản"

    def __str__(self):
        return self.name


class Direction(models.TextChoices):
    OUTGOING = "out", "Văn bản đi"
    INCOMING = "in", "Văn bản đến"


class Series(models.TextChoices):
    NORMAL = "normal", "Văn bản hành chính"
    NORMATIVE = "normative", "Văn bản quy phạm pháp luật"
    SECRET = "secret", "Văn bản mật"


class Register(models.Model):
    """Sổ đăng ký văn bản đi / đến: one numbering series of an agency in a
    calendar year (numbers from 01 on 1 January)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    direction = models.CharField("loại sổ", max_length=3, choices=Direction.choices)
    series = models.CharField("sổ", max_length=10, choices=Series.choices, default=Series.NORMAL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year", "direction", "series"],
                                               name="od_register_uniq")]
        ordering = ["agency", "-year", "direction", "series"]
        verbose_name = "sổ đăng ký văn bản"
        verbose_name_plural = "sổ đăng ký văn bản"

    def __str__(self):
        return f"{self.get_direction_display()} {self.get_series_display()} {self.year}"


class RegisterCounter(models.Model):
    """Bộ đếm số văn bản của một sổ."""

    register = models.OneToOneField(Register, on_delete=models.CASCADE, related_name="counter")
    last = models.PositiveIntegerField(default=0)


class Urgency(models.TextChoices):
    NORMAL = "normal", "Thường"
    URGENT = "urgent", "Khẩn"
    VERY_URGENT = "very_urgent", "Thượng khẩn"
    EXPRESS = "express", "Hỏa tốc"


class Secrecy(models.TextChoices):
    NONE = "none", "Không mật"
    CONFIDENTIAL = "confidential", "Mật"
    SECRET = "secret", "Tối mật"
    TOP_SECRET = "top_secret", "Tuyệt mật"


class DocStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    REVIEW = "review", "Chờ lãnh đạo phòng duyệt"
    TO_SIGN = "to_sign", "Chờ lãnh đạo ký"
    TO_ISSUE = "to_issue", "Chờ văn thư phát hành"
    ISSUED = "issued", "Đã phát hành"
    RECALLED = "recalled", "Đã thu hồi"
    ARRIVED = "arrived", "Đến, chờ vào sổ"
    REGISTERED = "registered", "Đã vào sổ, chờ phân công"
    ASSIGNED = "assigned", "Đã phân công xử lý"
    IN_PROGRESS = "in_progress", "Đang xử lý"
    DONE = "done", "Đã xử lý xong"
    RETURNED = "returned", "Đã trả lại nơi gửi"
    REPLACED = "replaced", "Đã bị thay thế"


class OfficialDocument(models.Model):
    """Văn bản: one outgoing or incoming document of an agency. Outgoing ones
    carry the number and symbol given at issue (123/QĐ-UBND); incoming ones
    keep the sender's number and symbol and get an incoming number (số đến)."""

    direction = models.CharField(max_length=3, choices=Direction.choices)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name="cơ quan")
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name="loại")
    series = models.CharField(max_length=10, choices=Series.choices, default=Series.NORMAL)
    summary = models.CharField("trích yếu", max_length=500)
    status = models.CharField("trạng thái", max_length=12, choices=DocStatus.choices)
    urgency = models.CharField("độ khẩn", max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.CharField("độ mật", max_length=12, choices=Secrecy.choices, default=Secrecy.NONE)
    register = models.ForeignKey(Register, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField("số", null=True, blank=True)
    symbol = models.CharField("ký hiệu", max_length=60, blank=True)
    issued_on = models.DateField("ngày văn bản", null=True, blank=True)
    place = models.CharField("địa danh", max_length=100, blank=True)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name="người ký")
    signer_name = models.CharField("người ký", max_length=200, blank=True)
    signer_position = models.CharField("chức vụ người ký", max_length=200, blank=True)
    drafter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name="người soạn")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name="người đang xử lý")
    reply_due = models.DateField("hạn trả lời", null=True, blank=True)
    # incoming
    sender_name = models.CharField("nơi gửi", max_length=255, blank=True)
    sender_organ_id = models.CharField("mã định danh nơi gửi", max_length=40, blank=True)
    sender_reference = models.CharField("số, ký hiệu của nơi gửi", max_length=80, blank=True)
    sender_document_id = models.CharField("DocumentId (edXML)", max_length=200, blank=True, db_index=True)
    received_at = models.DateTimeField("ngày đến", null=True, blank=True)
    source = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies",
                               verbose_name="văn bản đi gốc (nội tỉnh)")
    relates_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="related",
                                   verbose_name="văn bản được thay thế / đính chính")
    relation = models.CharField("quan hệ", max_length=10, blank=True,
                                choices=[("replace", "Thay thế"), ("correct", "Đính chính")])
    recall_requested_at = models.DateTimeField("nơi gửi đề nghị thu hồi lúc", null=True, blank=True)
    recall_reason = models.CharField("lý do thu hồi", max_length=500, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], condition=models.Q(number__isnull=False),
                                    name="od_register_number_uniq"),
            models.UniqueConstraint(fields=["agency", "sender_document_id"], condition=~models.Q(sender_document_id=""),
                                    name="od_incoming_once"),
        ]
        indexes = [models.Index(fields=["agency", "direction", "status"], name="od_agency_dir_status_idx")]
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"

    def __str__(self):
        return self.reference or self.summary[:60]

    @property
    def reference(self) -> str:
        """Số, ký hiệu: 123/QĐ-UBND (outgoing, once issued) or the sender's."""
        if self.direction == Direction.INCOMING:
            return self.sender_reference
        return f"{self.number}/{self.symbol}" if self.number else ""


class DocumentFile(models.Model):
    """Tệp văn bản: the body (dự thảo, bản ký số) and attachments."""

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=20, default="body")  # body, leader_signed, signed, attachment, scan
    file = models.FileField(upload_to="officialdocs/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    text = models.TextField("nội dung (OCR)", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "id"]


class Recipient(models.Model):
    """Nơi nhận: an agency inside the province (delivered to its inbox) or an
    organisation outside (sent over the document exchange), with the last
    status it reported (01 arrived … 06 done)."""

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="recipients")
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organ_id = models.CharField("mã định danh", max_length=40)
    name = models.CharField("tên", max_length=255)
    status_code = models.CharField("trạng thái liên thông", max_length=2, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)
    status_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["document", "id"]
        constraints = [models.UniqueConstraint(fields=["document", "organ_id"], name="od_recipient_uniq")]


class Assignment(models.Model):
    """Phân công xử lý văn bản đến: the handling unit and person, the
    leader's direction (ý kiến chỉ đạo) and the deadline on the working
    calendar."""

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    direction_note = models.TextField("ý kiến chỉ đạo", blank=True)
    due_at = models.DateTimeField("hạn xử lý", null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    reminded_percent = models.PositiveSmallIntegerField(default=0)
    next_reminder_at = models.DateTimeField(null=True, blank=True, db_index=True)


class DocumentEvent(models.Model):
    """Quá trình xử lý văn bản."""

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["document", "at", "id"]


class ExchangeMessage(models.Model):
    """Gói tin liên thông: one edXML message (a document or a status) sent or
    received over the document exchange; kept until the axis accepts it, and
    retried, never lost."""

    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField(max_length=10)  # edoc, status
    document = models.ForeignKey(OfficialDocument, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="messages")
    edxml_id = models.CharField("DocumentId (edXML)", max_length=200, db_index=True)
    from_organ = models.CharField(max_length=40)
    to_organ = models.CharField(max_length=40)
    body = models.BinaryField()
    state = models.CharField(max_length=10, default="pending")  # pending, sent, failed, received, rejected
    axis_id = models.CharField("mã trên trục", max_length=80, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class IssuingProfile(models.Model):
    """Thông tin ban hành của cơ quan: the abbreviation used in number and
    symbol (UBND, SXD ...) and the place name (địa danh) of its documents."""

    agency = models.OneToOneField("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    abbreviation = models.CharField("chữ viết tắt tên cơ quan", max_length=30)
    place = models.CharField("địa danh", max_length=100)

    class Meta:
        verbose_name = "thông tin ban hành văn bản"
        verbose_name_plural = "thông tin ban hành văn bản"

    def __str__(self):
        return f"{self.abbreviation}, {self.place}"


class AxisMessage(models.Model):
    """Gói tin trên trục thử nghiệm (sandbox): what the sandbox axis holds for
    a recipient until its system acknowledges it. Not used in production."""

    doc_id = models.CharField(max_length=80, unique=True)
    sender_system = models.CharField(max_length=100)
    from_organ = models.CharField(max_length=40)
    to_organ = models.CharField(max_length=40, db_index=True)
    kind = models.CharField(max_length=10)
    body = models.BinaryField()
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
