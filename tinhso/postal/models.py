"""Shipments through the public-utility postal service and the sandbox post's orders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PICKUP = "pickup", _("Thu gom hồ sơ tại nhà")
    DELIVERY = "delivery", _("Chuyển phát kết quả")


class ShipmentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi yêu cầu cho bưu điện")
    CREATED = "created", _("Bưu điện đã nhận yêu cầu")
    PICKED_UP = "picked_up", _("Đã nhận hàng")
    IN_TRANSIT = "in_transit", _("Đang vận chuyển")
    DELIVERED = "delivered", _("Đã phát thành công")
    RETURNED = "returned", _("Phát không thành công, đã chuyển hoàn")
    FAILED = "failed", _("Bưu điện từ chối yêu cầu")


# how far along a shipment is: a status never goes back (a late poll answer is ignored)
RANK = {ShipmentStatus.PENDING: 0, ShipmentStatus.CREATED: 1, ShipmentStatus.PICKED_UP: 2,
        ShipmentStatus.IN_TRANSIT: 3, ShipmentStatus.DELIVERED: 4, ShipmentStatus.RETURNED: 4,
        ShipmentStatus.FAILED: 4}
CLOSED = (ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED, ShipmentStatus.FAILED)


class Shipment(models.Model):
    """Vận đơn bưu chính công ích: a pick-up of a citizen's papers (thu gom hồ
    sơ tại nhà → nơi tiếp nhận) or the delivery of a result (chuyển phát kết
    quả → chủ hồ sơ). `order_code` is our reference, sent as the post's
    OrderCode so a resent request creates no second order; `tracking_number`
    (số hiệu bưu gửi) comes from the post's answer. Until the post accepts
    the request the shipment is pending and the job retries it."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="shipments",
                                verbose_name="hồ sơ")
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    status = models.CharField("trạng thái", max_length=12, choices=ShipmentStatus.choices,
                              default=ShipmentStatus.PENDING, db_index=True)
    order_code = models.CharField("mã yêu cầu", max_length=80, unique=True)
    tracking_number = models.CharField("số hiệu bưu gửi", max_length=40, null=True, blank=True, unique=True)
    sender_name = models.CharField("người gửi", max_length=200)
    sender_phone = models.CharField("điện thoại người gửi", max_length=20, blank=True)
    sender_address = models.CharField("địa chỉ gửi", max_length=300)
    receiver_name = models.CharField("người nhận", max_length=200)
    receiver_phone = models.CharField("điện thoại người nhận", max_length=20, blank=True)
    receiver_address = models.CharField("địa chỉ nhận", max_length=300)
    # Mã địa chỉ số (tinhso.addresses) when the receiver's address is a registered one.
    receiver_address_code = models.CharField("mã địa chỉ số người nhận", max_length=20, null=True, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    fee = models.PositiveIntegerField("cước (đồng)", null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="cán bộ yêu cầu")
    requested_at = models.DateTimeField("yêu cầu lúc")
    status_at = models.DateTimeField("cập nhật trạng thái lúc", null=True, blank=True)
    attempts = models.PositiveIntegerField("số lần gửi yêu cầu", default=0)
    next_attempt_at = models.DateTimeField("gửi lại lúc", null=True, blank=True, db_index=True)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    last_synced_at = models.DateTimeField("đối chiếu với bưu điện lần cuối", null=True, blank=True)

    class Meta:
        ordering = ["dossier", "id"]
        verbose_name = "vận đơn bưu chính"
        verbose_name_plural = "vận đơn bưu chính"

    def __str__(self):
        return f"{self.get_kind_display()} {self.tracking_number or self.order_code}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED


class ShipmentEvent(models.Model):
    """Hành trình bưu gửi: one status of a shipment, when the post says it
    happened, and how we learnt it (answer, webhook, polling)."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField("trạng thái", max_length=12, choices=ShipmentStatus.choices)
    at = models.DateTimeField("thời điểm")
    note = models.CharField("ghi chú", max_length=300, blank=True)
    source = models.CharField("nguồn", max_length=10)  # answer | webhook | poll
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shipment", "at", "id"]
        constraints = [models.UniqueConstraint(fields=["shipment", "status"], name="postal_event_once")]
        verbose_name = "hành trình bưu gửi"
        verbose_name_plural = "hành trình bưu gửi"


class SandboxOrder(models.Model):
    """Đơn hàng của bưu điện thử nghiệm (/sandbox/postal/): what the sandbox
    post was asked to carry, its tracking number and status history."""

    order_code = models.CharField(max_length=80, unique=True)
    tracking_number = models.CharField(max_length=40, unique=True)
    service = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    history = models.JSONField(default=list)
    body = models.JSONField(default=dict)
    fee = models.PositiveIntegerField(default=0)
    callback_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "đơn hàng bưu điện thử nghiệm"
        verbose_name_plural = "đơn hàng bưu điện thử nghiệm"
