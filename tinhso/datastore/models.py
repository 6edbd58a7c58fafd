from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    RESULT = "result", _("Kết quả giải quyết thủ tục")
    CERTIFIED_COPY = "certified_copy", _("Bản sao điện tử có chứng thực")
    DIGITISED = "digitised", _("Giấy tờ đã số hóa")
    RECEIPT = "receipt", _("Biên lai điện tử")


def _upload_to(instance, filename):
    return f"datastore/{instance.owner_id}/{instance.sha256[:16]}-{filename[-80:]}"


class DataStoreItem(models.Model):
    """Dữ liệu trong Kho quản lý dữ liệu điện tử (Decree 45/2020): a result,
    certified e-copy or digitised paper of a citizen, reusable in later
    dossiers instead of a new upload."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_store_items",
                              verbose_name="chủ sở hữu")
    kind = models.CharField("loại", max_length=20, choices=ItemKind.choices)
    title = models.CharField("tên giấy tờ", max_length=500)
    paper_code = models.CharField("mã giấy tờ", max_length=60, blank=True)
    file = models.FileField(upload_to=_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    source_dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name="hồ sơ nguồn")
    issued_on = models.DateField("ngày cấp", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "dữ liệu trong kho"
        verbose_name_plural = "kho dữ liệu điện tử"

    def __str__(self):
        return self.title
