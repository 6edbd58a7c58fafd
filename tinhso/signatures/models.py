"""Signing credentials (keys + certificates), the registry of documents the
system signed and issued, and the sandbox CSC server's short-lived grants."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CredentialPurpose(models.TextChoices):
    ROOT_CA = "root_ca", "CA gốc (thử nghiệm)"
    AGENCY_CA = "agency_ca", "CA cấp cho cơ quan (thử nghiệm)"
    TSA = "tsa", "Máy chủ dấu thời gian (thử nghiệm)"
    SEAL = "seal", "Chữ ký số cơ quan (con dấu)"
    PERSONAL = "personal", "Chữ ký số cá nhân"


class SigningCredential(models.Model):
    """A private key with its certificate, kept as PKCS#12 protected by the
    passphrase in settings TINHSO_PKI_PASSPHRASE: either in the database
    (`pkcs12`) or in a file under TINHSO_PKI_DIR (`pkcs12_path`, relative).

    `appearance_png` is the image shown in the visible signature: the agency's
    red seal, or the person's handwritten signature (generated in the demo;
    replace it with a real scan through `actions.set_appearance_image`)."""

    purpose = models.CharField("mục đích", max_length=20, choices=CredentialPurpose.choices)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="signing_credentials", verbose_name="cơ quan")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="signing_credentials", verbose_name="cán bộ")
    label = models.CharField("tên", max_length=255)
    subject = models.CharField("chủ thể chứng thư", max_length=500)
    issuer = models.CharField("tổ chức cấp", max_length=500)
    serial = models.CharField("số hiệu", max_length=64)
    fingerprint = models.CharField("dấu vân tay SHA-256", max_length=64, unique=True)
    not_before = models.DateTimeField("hiệu lực từ")
    not_after = models.DateTimeField("hiệu lực đến")
    certificate_pem = models.TextField("chứng thư (PEM)")
    chain_pem = models.TextField("chuỗi chứng thư CA (PEM)", blank=True)
    pkcs12 = models.BinaryField("PKCS#12", null=True, blank=True)
    pkcs12_path = models.CharField("tệp PKCS#12", max_length=500, blank=True)
    appearance_png = models.BinaryField("hình ảnh chữ ký/con dấu (PNG)", null=True, blank=True)
    appearance_generated = models.BooleanField("hình ảnh do hệ thống tạo", default=True)
    demo = models.BooleanField("thử nghiệm", default=False)
    is_active = models.BooleanField("đang dùng", default=True)
    # When the certificate was revoked (the directory's revoke_certificate): a signature made with it after this
    # moment verifies as invalid; one made (and time-stamped) before keeps its value.
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "chứng thư số"
        verbose_name_plural = "chứng thư số"
        indexes = [models.Index(fields=["purpose", "is_active"])]

    def __str__(self):
        return f"{self.label} ({self.get_purpose_display()})"


class SignedDocument(models.Model):
    """A signed PDF the system issued (a result, a receipt). Its `code` goes
    into the QR code printed on the document: /xac-thuc/?ma=<code>."""

    code = models.CharField("mã tra cứu", max_length=32, unique=True)
    kind = models.CharField("loại", max_length=40)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    pdf = models.BinaryField("tệp PDF")
    size = models.PositiveIntegerField("dung lượng")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "văn bản đã ký"
        verbose_name_plural = "văn bản đã ký"

    def __str__(self):
        return self.code


class CscGrantKind(models.TextChoices):
    TOKEN = "token", "Access token"
    OTP = "otp", "OTP"
    SAD = "sad", "SAD"


class CscSandboxGrant(models.Model):
    """Sandbox CSC server state: bearer tokens, OTPs "sent" (the sandbox
    outbox) and signature activation data. Only used when the sandbox is on."""

    kind = models.CharField(max_length=10, choices=CscGrantKind.choices)
    value = models.CharField(max_length=128, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    credential = models.ForeignKey(SigningCredential, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    hashes = models.JSONField(default=list, blank=True)
    remaining = models.PositiveIntegerField(default=0)
    used = models.BooleanField(default=False)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
