from django.conf import settings
from django.db import models


class ReceiptTemplate(models.Model):
    """Mẫu biên lai: the receipt form (mẫu số) registered with the tax authority."""

    code = models.CharField("mẫu số", max_length=40, unique=True)
    name = models.CharField("tên mẫu", max_length=300)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)

    class Meta:
        verbose_name = "mẫu biên lai"
        verbose_name_plural = "mẫu biên lai"

    def __str__(self):
        return f"{self.code} — {self.name}"


class ReceiptSeries(models.Model):
    """Ký hiệu biên lai: a series of an agency, numbered 1, 2, 3… without gaps;
    the row is locked while a number is taken, so numbers are unique under
    concurrency."""

    template = models.ForeignKey(ReceiptTemplate, on_delete=models.PROTECT, related_name="series")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="receipt_series",
                               verbose_name="cơ quan thu")
    symbol = models.CharField("ký hiệu", max_length=20)
    last_number = models.PositiveIntegerField("số đã cấp", default=0)
    is_active = models.BooleanField("đang dùng", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ký hiệu biên lai"
        verbose_name_plural = "ký hiệu biên lai"
        constraints = [models.UniqueConstraint(fields=["template", "symbol", "agency"], name="receipt_series_uniq")]

    def __str__(self):
        return f"{self.template.code} {self.symbol}"


class Receipt(models.Model):
    """Biên lai điện tử: a receipt for fees and charges collected, numbered in
    its series, with the amount in figures and words, signed by the agency."""

    series = models.ForeignKey(ReceiptSeries, on_delete=models.PROTECT, related_name="receipts")
    number = models.PositiveIntegerField("số")
    code = models.CharField("mã tra cứu", max_length=80, unique=True)
    payment_reference = models.CharField("mã tham chiếu thanh toán", max_length=60, null=True, blank=True,
                                         unique=True)
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="receipts")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name="cơ quan thu")
    payer_name = models.CharField("người nộp", max_length=200)
    payer_id_number = models.CharField("số định danh người nộp", max_length=20, blank=True)
    payer_address = models.CharField("địa chỉ", max_length=300, blank=True)
    lines = models.JSONField("các khoản thu", default=list)
    amount = models.PositiveBigIntegerField("tổng tiền (đồng)")
    amount_in_words = models.CharField("số tiền bằng chữ", max_length=500)
    method = models.CharField("hình thức thanh toán", max_length=40, default="online")
    issued_at = models.DateTimeField("ngày lập")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    pdf = models.FileField(upload_to="receipts/%Y/%m/", max_length=300)
    sha256 = models.CharField(max_length=64, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "biên lai điện tử"
        verbose_name_plural = "biên lai điện tử"
        constraints = [models.UniqueConstraint(fields=["series", "number"], name="receipt_number_uniq")]

    def __str__(self):
        return f"{self.series} số {self.number:07d}"
