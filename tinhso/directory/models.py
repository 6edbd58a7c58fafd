"""The staff directory, official mailboxes and the requests for mailboxes and
digital certificates. Certificates themselves are the signatures app's
`SigningCredential` rows (one register, no copy); this app adds only why a
credential stopped being usable (`CertificateStatus`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DirectoryEntry(models.Model):
    """Mục danh bạ: a staff member's directory card (agency, office phone,
    whether listed). Name and title come from the account, the official
    e-mail from the person's active mailbox; nothing personal is stored."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_entry",
                                verbose_name="cán bộ")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="directory_entries",
                               verbose_name="cơ quan")
    office_phone = models.CharField("điện thoại cơ quan", max_length=30, blank=True)
    listed = models.BooleanField("hiện trong danh bạ", default=True)
    search_text = models.CharField(max_length=500, editable=False, db_index=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        ordering = ["agency__path", "user__full_name"]
        verbose_name = "mục danh bạ"
        verbose_name_plural = "danh bạ"

    def __str__(self):
        return f"{self.user} · {self.agency}"


class MailboxState(models.TextChoices):
    ACTIVE = "active", "Đang hoạt động"
    SUSPENDED = "suspended", "Tạm khóa"
    CLOSED = "closed", "Đã đóng"


class Mailbox(models.Model):
    """Hộp thư công vụ: an official e-mail account of a person (user set) or
    of an agency (user empty), issued through a request or imported."""

    address = models.EmailField("địa chỉ thư", unique=True)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="mailboxes",
                               verbose_name="cơ quan")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="mailboxes", verbose_name="cán bộ")
    display_name = models.CharField("tên hiển thị", max_length=200)
    state = models.CharField("trạng thái", max_length=12, choices=MailboxState.choices, default=MailboxState.ACTIVE,
                             db_index=True)
    imported = models.BooleanField("nhập từ hệ thống cũ", default=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        ordering = ["address"]
        verbose_name = "hộp thư công vụ"
        verbose_name_plural = "hộp thư công vụ"

    def __str__(self):
        return self.address


class RequestKind(models.TextChoices):
    MAILBOX = "mailbox", "Hộp thư công vụ"
    PERSONAL_CERTIFICATE = "personal_certificate", "Chứng thư số cá nhân"
    AGENCY_CERTIFICATE = "agency_certificate", "Chứng thư số cơ quan"


class RequestState(models.TextChoices):
    REQUESTED = "requested", "Đã đề nghị"
    APPROVED = "approved", "Lãnh đạo đã duyệt"
    PROCESSING = "processing", "Đang xử lý (CNTT)"
    ISSUED = "issued", "Đã cấp"
    REJECTED = "rejected", "Từ chối"


class AccountRequest(models.Model):
    """Đề nghị cấp hộp thư công vụ / chứng thư số: requested by the person or
    their agency's clerical office, approved by the agency's leader, processed
    and issued by the province's IT department (system administrator). A
    renewal is a certificate request that names the credential it renews."""

    kind = models.CharField("loại đề nghị", max_length=24, choices=RequestKind.choices)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="account_requests",
                               verbose_name="cơ quan")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="account_requests", verbose_name="người được cấp")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="người đề nghị")
    wanted_address = models.CharField("địa chỉ thư đề nghị", max_length=254, blank=True)
    reason = models.CharField("lý do", max_length=500, blank=True)
    state = models.CharField("trạng thái", max_length=12, choices=RequestState.choices,
                             default=RequestState.REQUESTED, db_index=True)
    renews = models.ForeignKey("signatures.SigningCredential", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="renewal_requests", verbose_name="gia hạn chứng thư")
    mailbox = models.ForeignKey(Mailbox, null=True, blank=True, on_delete=models.PROTECT, related_name="requests",
                                verbose_name="hộp thư đã cấp")
    credential = models.ForeignKey("signatures.SigningCredential", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="account_requests", verbose_name="chứng thư đã cấp")
    created_at = models.DateTimeField("đề nghị lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "đề nghị cấp hộp thư, chứng thư số"
        verbose_name_plural = "đề nghị cấp hộp thư, chứng thư số"

    def __str__(self):
        who = self.person or self.agency
        return f"{self.get_kind_display()} · {who}"


class CertificateState(models.TextChoices):
    SUSPENDED = "suspended", "Tạm dừng"
    REVOKED = "revoked", "Thu hồi"
    SUPERSEDED = "superseded", "Đã thay bằng chứng thư gia hạn"


class CertificateStatus(models.Model):
    """Tình trạng chứng thư số: why a signing credential is no longer used
    (suspended, revoked, superseded by a renewal). The credential's own
    `is_active` is what the signatures app obeys; this row says why."""

    credential = models.OneToOneField("signatures.SigningCredential", on_delete=models.CASCADE,
                                      related_name="directory_status", verbose_name="chứng thư số")
    state = models.CharField("tình trạng", max_length=12, choices=CertificateState.choices)
    reason = models.CharField("lý do", max_length=500, blank=True)
    changed_at = models.DateTimeField("thời điểm", auto_now=True)

    class Meta:
        verbose_name = "tình trạng chứng thư số"
        verbose_name_plural = "tình trạng chứng thư số"

    def __str__(self):
        return f"{self.credential} · {self.get_state_display()}"


class DirectoryEvent(models.Model):
    """Lịch sử: one transition of a request, a mailbox or a certificate
    (who, when, what), or an expiry reminder sent."""

    request = models.ForeignKey(AccountRequest, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="events")
    mailbox = models.ForeignKey(Mailbox, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    credential = models.ForeignKey("signatures.SigningCredential", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="directory_events")
    action = models.CharField("thao tác", max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    note = models.CharField("ghi chú", max_length=500, blank=True)
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "lịch sử"
        verbose_name_plural = "lịch sử"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
