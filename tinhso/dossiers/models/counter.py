from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhso.dossiers.models.choices import IdType


class SlipKind(models.TextChoices):
    GUIDANCE = "guidance", _("Phiếu hướng dẫn hoàn thiện hồ sơ (mẫu 02)")
    REFUSAL = "refusal", _("Phiếu từ chối tiếp nhận hồ sơ (mẫu 03)")


class CounterSlip(models.Model):
    """Phiếu tại quầy: what the desk gives a person whose paper dossier it does
    not receive — a guidance slip listing what to complete (phiếu hướng dẫn,
    form 02) or a refusal slip with the reason (phiếu từ chối tiếp nhận, form
    03). No dossier is created and no clock starts; the slip is numbered,
    kept (with its PDF) and counted, and the applicant's details on it are
    personal data."""

    code = models.CharField("số phiếu", max_length=60, unique=True)
    kind = models.CharField("loại phiếu", max_length=10, choices=SlipKind.choices)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name="nơi tiếp nhận")
    case = models.ForeignKey("catalogue.ProcedureCase", on_delete=models.PROTECT, related_name="+",
                             verbose_name="trường hợp")
    owner_name = models.CharField("người đến nộp", max_length=200)
    owner_id_type = models.CharField("loại giấy tờ", max_length=10, choices=IdType.choices, default=IdType.CCCD)
    owner_id_number = models.CharField("số giấy tờ", max_length=20, blank=True)
    owner_phone = models.CharField("điện thoại", max_length=20, blank=True)
    owner_email = models.EmailField("thư điện tử", blank=True)
    owner_address = models.CharField("địa chỉ", max_length=300, blank=True)
    subject = models.CharField("nội dung yêu cầu", max_length=500, blank=True)
    content = models.TextField("nội dung hướng dẫn / lý do từ chối")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="người lập phiếu")
    issued_at = models.DateTimeField("thời điểm lập phiếu")
    pdf = models.FileField("tệp phiếu (PDF)", upload_to="dossiers/slips/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "phiếu tại quầy"
        verbose_name_plural = "phiếu tại quầy"

    def __str__(self):
        return self.code


class PaperTransfer(models.Model):
    """Luân chuyển hồ sơ giấy: the paper file of a dossier received at one desk
    and resolved by another agency travels between them; each move is sent,
    received and its place of keeping written down, so that anyone can say
    where the papers are."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="paper_transfers")
    from_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                                    verbose_name="nơi gửi")
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                                  verbose_name="nơi nhận")
    sent_at = models.DateTimeField("thời điểm gửi")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="người gửi")
    note = models.CharField("ghi chú (số bộ, cách gửi)", max_length=300, blank=True)
    received_at = models.DateTimeField("thời điểm nhận", null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="người nhận")
    kept_at = models.CharField("nơi lưu giữ", max_length=300, blank=True)

    class Meta:
        ordering = ["dossier", "sent_at", "id"]
        verbose_name = "luân chuyển hồ sơ giấy"
        verbose_name_plural = "luân chuyển hồ sơ giấy"
