from django.conf import settings
from django.db import models


class Notification(models.Model):
    """Thông báo: a message to a user in the back office (and by e-mail when
    the user has an address), e.g. a dossier arrived or is overdue."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("loại", max_length=40)
    title = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung", blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"

    def __str__(self):
        return self.title


class Channel(models.TextChoices):
    EMAIL = "email", "Thư điện tử"
    SMS = "sms", "Tin nhắn SMS"


class CitizenEvent(models.TextChoices):
    SUBMITTED = "submitted", "Đã nộp hồ sơ trực tuyến"
    RECEIVED = "received", "Hồ sơ được tiếp nhận"
    SUPPLEMENT = "supplement", "Yêu cầu bổ sung hồ sơ"
    RESULT_READY = "result_ready", "Có kết quả giải quyết"
    APOLOGY = "apology", "Xin lỗi, hẹn lại ngày trả"
    REFUSED = "refused", "Từ chối tiếp nhận"
    PAYMENT_DUE = "payment_due", "Yêu cầu nộp phí, lệ phí, nghĩa vụ tài chính"
    STOPPED = "stopped", "Dừng giải quyết hồ sơ"
    WITHDRAWN = "withdrawn", "Đã rút hồ sơ"
    DECISION_REFUSED = "decision_refused", "Từ chối giải quyết (có văn bản)"
    SUPPLEMENT_REMINDER = "supplement_due", "Nhắc hạn nộp bổ sung"
    REPORT_RECEIVED = "fr_received", "Phản ánh hiện trường: đã tiếp nhận"
    REPORT_REJECTED = "fr_rejected", "Phản ánh hiện trường: không tiếp nhận"
    REPORT_CONFIRMED = "fr_confirmed", "Phản ánh hiện trường: đã xác nhận, chờ phân công"
    REPORT_ASSIGNED = "fr_assigned", "Phản ánh hiện trường: đã chuyển cơ quan xử lý"
    REPORT_ANSWERED = "fr_answered", "Phản ánh hiện trường: có kết quả xử lý"
    REPORT_MERGED = "fr_merged", "Phản ánh hiện trường: gộp với phản ánh trùng"
    REPORT_HIDDEN = "fr_hidden", "Phản ánh hiện trường: ẩn khỏi trang công khai"
    PHONE_CODE = "phone_code", "Mã xác nhận số điện thoại"


class MessageTemplate(models.Model):
    """Mẫu thông báo: the Vietnamese text sent to a citizen for an event on a
    channel, with placeholders {ma_ho_so}, {thu_tuc}, {ho_ten}, {han_tra},
    {ly_do}, {tra_cuu}. Editable data with effective dates."""

    event = models.CharField("sự kiện", max_length=20, choices=CitizenEvent.choices)
    channel = models.CharField("kênh", max_length=10, choices=Channel.choices)
    subject = models.CharField("tiêu đề", max_length=300, blank=True)
    body = models.TextField("nội dung")
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)

    class Meta:
        ordering = ["event", "channel", "-valid_from"]
        verbose_name = "mẫu thông báo"
        verbose_name_plural = "mẫu thông báo"

    def __str__(self):
        return f"{self.get_event_display()} · {self.get_channel_display()}"


class OutgoingMessage(models.Model):
    """Thông báo đã gửi: one e-mail or SMS to a citizen, with the provider's
    answer, so that nothing is sent twice and failures are visible."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    event = models.CharField(max_length=20)
    recipient = models.CharField(max_length=200)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    field_report = models.ForeignKey("fieldreports.FieldReport", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    # the signed letter the message carries (e-mail only): form 04, a refusal decision
    attachment = models.ForeignKey("dossiers.DossierFile", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    dedupe_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(max_length=10, default="pending")
    provider_reference = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "thông báo gửi công dân"
        verbose_name_plural = "thông báo gửi công dân"
