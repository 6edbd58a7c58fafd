from __future__ import annotations

from django.conf import settings
from django.db import models


class ProducerKind(models.TextChoices):
    HOUSEHOLD = "household", "Hộ sản xuất"
    COOPERATIVE = "cooperative", "Hợp tác xã, tổ hợp tác"
    ENTERPRISE = "enterprise", "Doanh nghiệp"


class Producer(models.Model):
    """Chủ thể sản xuất: a household, cooperative or enterprise that grows or
    makes a product. For a household only the name and the commune are ever
    shown in public."""

    name = models.CharField("tên", max_length=200)
    kind = models.CharField("loại hình", max_length=20, choices=ProducerKind.choices)
    unit = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name="xã, phường")
    registration_code = models.CharField("mã số thuế / đăng ký", max_length=30, blank=True)
    contact_phone = models.CharField("điện thoại", max_length=20, blank=True)
    contact_email = models.EmailField("thư điện tử", blank=True)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name="cơ quan quản lý")

    class Meta:
        ordering = ["name"]
        verbose_name = "chủ thể sản xuất"
        verbose_name_plural = "chủ thể sản xuất"
        constraints = [models.UniqueConstraint(fields=["name", "unit"], name="farm_producer_name_unit_uniq")]

    def __str__(self):
        return self.name


class Category(models.TextChoices):
    RICE = "rice", "Lúa gạo"
    FRUIT = "fruit", "Trái cây"
    VEGETABLE = "vegetable", "Rau, củ"
    AQUATIC = "aquatic", "Thủy sản"
    LIVESTOCK = "livestock", "Chăn nuôi"
    PROCESSED = "processed", "Sản phẩm chế biến"
    OTHER = "other", "Khác"


class Product(models.Model):
    """Sản phẩm nông nghiệp: a farm product, with its OCOP rating (sản phẩm
    OCOP, 3 to 5 stars, with the certificate's number, date and expiry)."""

    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="products",
                                 verbose_name="chủ thể")
    name = models.CharField("tên sản phẩm", max_length=200)
    category = models.CharField("nhóm", max_length=20, choices=Category.choices)
    description = models.TextField("mô tả", blank=True)
    ocop_stars = models.PositiveSmallIntegerField("số sao OCOP", null=True, blank=True)
    ocop_certificate_no = models.CharField("số giấy chứng nhận OCOP", max_length=60, blank=True)
    ocop_certified_on = models.DateField("ngày chứng nhận OCOP", null=True, blank=True)
    ocop_expires_on = models.DateField("OCOP hết hạn", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "sản phẩm"
        verbose_name_plural = "sản phẩm"
        constraints = [
            models.UniqueConstraint(fields=["producer", "name"], name="farm_product_producer_name_uniq"),
            models.CheckConstraint(condition=models.Q(ocop_stars__isnull=True) | models.Q(ocop_stars__gte=3,
                                                                                          ocop_stars__lte=5),
                                   name="farm_product_ocop_3_5"),
        ]

    def __str__(self):
        return self.name

    @property
    def agency(self):
        return self.producer.agency


class Scheme(models.TextChoices):
    VIETGAP = "vietgap", "VietGAP"
    GLOBALGAP = "globalgap", "GlobalGAP"
    ORGANIC = "organic", "Hữu cơ"
    OTHER = "other", "Khác"


class Certification(models.Model):
    """Chứng nhận: VietGAP, GlobalGAP, organic … held by a product."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="certifications")
    scheme = models.CharField("loại chứng nhận", max_length=20, choices=Scheme.choices)
    number = models.CharField("số chứng nhận", max_length=60, blank=True)
    issued_by = models.CharField("tổ chức chứng nhận", max_length=200, blank=True)
    expires_on = models.DateField("hết hạn", null=True, blank=True)

    class Meta:
        ordering = ["scheme"]
        verbose_name = "chứng nhận"
        constraints = [models.UniqueConstraint(fields=["product", "scheme", "number"], name="farm_cert_uniq")]


class ShopLink(models.Model):
    """Gian hàng thương mại điện tử: where the product is sold online."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="shop_links")
    platform = models.CharField("sàn", max_length=60)
    url = models.URLField("đường dẫn", max_length=400)

    class Meta:
        ordering = ["platform"]
        verbose_name = "gian hàng thương mại điện tử"
        constraints = [models.UniqueConstraint(fields=["product", "url"], name="farm_shop_link_uniq")]


class ProductPhoto(models.Model):
    """Ảnh sản phẩm: a checked upload (JPEG or PNG by content)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="farmproducts/%Y/%m/")
    content_type = models.CharField(max_length=50)
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "ảnh sản phẩm"
        constraints = [models.UniqueConstraint(fields=["product", "sha256"], name="farm_photo_uniq")]


class CodeStatus(models.TextChoices):
    PENDING = "pending", "Chờ xác minh"
    ACTIVE = "active", "Đang hiệu lực"
    SUSPENDED = "suspended", "Tạm dừng"


class CodedSite(models.Model):
    code = models.CharField("mã số", max_length=40, unique=True)
    unit = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name="xã, phường")
    status = models.CharField("tình trạng", max_length=10, choices=CodeStatus.choices, default=CodeStatus.PENDING)
    status_reason = models.CharField("lý do", max_length=300, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name="cơ quan cấp mã")
    lat = models.FloatField("vĩ độ", null=True, blank=True)
    lng = models.FloatField("kinh độ", null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.code


class GrowingArea(CodedSite):
    """Vùng trồng (mã số vùng trồng): a registered growing area with its code,
    crop, area in hectares and optionally its outline (GeoJSON ring of
    [lng, lat] pairs)."""

    crop = models.CharField("cây trồng", max_length=120)
    area_ha = models.DecimalField("diện tích (ha)", max_digits=10, decimal_places=2)
    producer = models.ForeignKey(Producer, null=True, blank=True, on_delete=models.PROTECT, related_name="areas")
    polygon = models.JSONField("ranh giới", null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "vùng trồng"
        verbose_name_plural = "vùng trồng"


class PackingHouse(CodedSite):
    """Cơ sở đóng gói (mã số cơ sở đóng gói): a registered packing house."""

    name = models.CharField("tên cơ sở", max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = "cơ sở đóng gói"
        verbose_name_plural = "cơ sở đóng gói"


class BatchStatus(models.TextChoices):
    ACTIVE = "active", "Đang lưu hành"
    SUSPENDED = "suspended", "Tạm dừng"


class Batch(models.Model):
    """Lô hàng: a batch of a product from a growing area through a packing
    house, with the QR code (tem truy xuất) that opens its public page.
    `scan_count` counts the page's openings (one UPDATE, nothing about the
    person)."""

    code = models.CharField("mã lô", max_length=30, unique=True)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="batches")
    growing_area = models.ForeignKey(GrowingArea, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="batches")
    packing_house = models.ForeignKey(PackingHouse, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="batches")
    harvest_date = models.DateField("ngày thu hoạch")
    packing_date = models.DateField("ngày đóng gói")
    quantity = models.DecimalField("số lượng", max_digits=12, decimal_places=2)
    quantity_unit = models.CharField("đơn vị", max_length=20, default="kg")
    status = models.CharField("tình trạng", max_length=10, choices=BatchStatus.choices, default=BatchStatus.ACTIVE)
    status_reason = models.CharField("lý do", max_length=300, blank=True)
    scan_count = models.PositiveIntegerField("lượt quét", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-packing_date", "code"]
        verbose_name = "lô hàng"
        verbose_name_plural = "lô hàng"

    def __str__(self):
        return self.code

    @property
    def warnings(self) -> list[str]:
        """Why a buyer should be careful: a suspended batch or code."""
        out = []
        if self.status == BatchStatus.SUSPENDED:
            out.append(f"Lô hàng {self.code} đang bị tạm dừng lưu hành. {self.status_reason}".strip())
        for label, site in (("Mã số vùng trồng", self.growing_area), ("Mã số cơ sở đóng gói", self.packing_house)):
            if site is not None and site.status == CodeStatus.SUSPENDED:
                out.append(f"{label} {site.code} đang bị tạm dừng. {site.status_reason}".strip())
            elif site is not None and site.status == CodeStatus.PENDING:
                out.append(f"{label} {site.code} chưa được xác minh.")
        return out


class BatchCounter(models.Model):
    """Bộ đếm mã lô: the last batch number per packing day."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)
