"""Fees and online payment: payment requests of dossiers, their lines, the
log of every message exchanged with the national payment platform (PayGov),
and the sandbox gateway's own state. See docs/payments.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tinhso.catalogue.models.choices import FeeKind, FeePaymentMoment


class Method(models.TextChoices):
    ONLINE = "online", "Trực tuyến qua cổng thanh toán"
    COUNTER = "counter", "Nộp tại quầy"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Chờ thanh toán"
    PAID = "paid", "Đã thanh toán"
    CANCELLED = "cancelled", "Đã hủy"
    REFUNDED = "refunded", "Đã hoàn tiền"
    EXPIRED = "expired", "Hết hạn"
    EXEMPT = "exempt", "Được miễn (không phải nộp)"


class PaymentRequest(models.Model):
    """Yêu cầu thanh toán: what a dossier owes (fee and charge lines), how and
    when it is paid, and what the payment platform said about it.

    `reference` is the MaThamChieu sent to the platform; `gateway_transaction_id`
    the platform's transaction id, unique once set. `agency` is the collecting
    agency (the dossier's receiving agency, where the one-stop desk is)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="payment_requests",
                                verbose_name="hồ sơ")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name="cơ quan thu")
    reference = models.CharField("mã tham chiếu (MaThamChieu)", max_length=40, unique=True)
    moment = models.CharField("thời điểm nộp", max_length=20, choices=FeePaymentMoment.choices)
    method = models.CharField("hình thức nộp", max_length=10, choices=Method.choices, default=Method.ONLINE)
    status = models.CharField("trạng thái", max_length=10, choices=PaymentStatus.choices,
                              default=PaymentStatus.PENDING, db_index=True)
    amount = models.PositiveBigIntegerField("tổng số tiền (đồng)")
    description = models.CharField("nội dung", max_length=300, blank=True)
    note = models.TextField("ghi chú", blank=True)
    payer_name = models.CharField("người nộp", max_length=200, blank=True)
    partner_code = models.CharField("mã đối tác (MaDoiTac)", max_length=40, blank=True)
    channel = models.CharField("kênh thanh toán (MaKenhThanhToan)", max_length=40, blank=True)
    gateway_transaction_id = models.CharField("mã giao dịch trên cổng", max_length=64, null=True, blank=True,
                                              unique=True)
    gateway_status = models.CharField("trạng thái trên cổng", max_length=8, blank=True)
    gateway_status_at = models.DateTimeField("thời điểm tra cứu cổng", null=True, blank=True)
    started_at = models.DateTimeField("bắt đầu thanh toán trực tuyến", null=True, blank=True)
    paid_at = models.DateTimeField("thời điểm thanh toán", null=True, blank=True, db_index=True)
    counter_receipt_no = models.CharField("số biên lai thu tại quầy", max_length=60, blank=True)
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="người thu tại quầy")
    cancelled_at = models.DateTimeField("thời điểm hủy", null=True, blank=True)
    cancel_reason = models.TextField("lý do hủy", blank=True)
    refund_amount = models.PositiveBigIntegerField("số tiền hoàn", null=True, blank=True)
    refund_reason = models.TextField("lý do hoàn tiền", blank=True)
    refund_reference = models.CharField("mã yêu cầu hoàn tiền", max_length=40, null=True, blank=True, unique=True)
    refund_requested_at = models.DateTimeField("thời điểm yêu cầu hoàn", null=True, blank=True)
    refunded_at = models.DateTimeField("thời điểm hoàn tiền", null=True, blank=True)
    refund_transaction_id = models.CharField("mã giao dịch hoàn tiền", max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="người tạo")
    created_at = models.DateTimeField("thời điểm tạo", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "yêu cầu thanh toán"
        verbose_name_plural = "yêu cầu thanh toán"
        indexes = [models.Index(fields=["agency", "status"]), models.Index(fields=["status", "started_at"])]

    def __str__(self):
        return self.reference

    @property
    def refund_pending(self) -> bool:
        return bool(self.refund_reference) and self.refunded_at is None

    @property
    def fee_total(self) -> int:
        return sum(line.amount for line in self.lines.all() if line.kind == FeeKind.FEE)

    @property
    def charge_total(self) -> int:
        return sum(line.amount for line in self.lines.all() if line.kind == FeeKind.CHARGE)


class PaymentLine(models.Model):
    """One fee (phí) or charge (lệ phí) of a payment request, copied from the
    catalogue when the request was made (later catalogue changes do not move it)."""

    payment = models.ForeignKey(PaymentRequest, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField("loại", max_length=10, choices=FeeKind.choices)
    name = models.CharField("khoản thu", max_length=500)
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    fee = models.ForeignKey("catalogue.Fee", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    full_amount = models.PositiveBigIntegerField("mức thu trước miễn, giảm (đồng)", null=True, blank=True)
    exemption = models.ForeignKey("catalogue.FeeExemption", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name="miễn, giảm theo đối tượng")

    class Meta:
        ordering = ["payment", "position", "id"]
        verbose_name = "khoản thu"
        verbose_name_plural = "khoản thu"

    def __str__(self):
        return f"{self.name}: {self.amount:,} đ"


class Direction(models.TextChoices):
    INBOUND = "in", "Nhận từ cổng"
    OUTBOUND = "out", "Gửi đến cổng"


class MessageKind(models.TextChoices):
    PAY = "pay", "Yêu cầu thanh toán"
    RESULT = "result", "Thông báo kết quả thanh toán"
    QUERY = "query", "Tra cứu giao dịch"
    QUERY_RESULT = "query_result", "Kết quả tra cứu"
    REFUND = "refund", "Yêu cầu hoàn tiền"
    REFUND_RESULT = "refund_result", "Kết quả hoàn tiền"


class GatewayMessage(models.Model):
    """Every message to or from the payment platform, as received or sent:
    the evidence for disputes and the replay guard. A message that changed a
    payment is `applied`; the same transaction id can be applied only once per
    kind of message (a partial unique index)."""

    payment = models.ForeignKey(PaymentRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField("loại bản tin", max_length=20, choices=MessageKind.choices)
    message_type = models.CharField("LoaiBanTin", max_length=60, blank=True)
    reference = models.CharField("MaThamChieu", max_length=60, blank=True, db_index=True)
    transaction_id = models.CharField("mã giao dịch", max_length=64, blank=True, db_index=True)
    fields = models.JSONField("nội dung", default=dict, blank=True)
    raw_body = models.TextField("bản tin gốc", blank=True)
    verified = models.BooleanField("đã xác thực MaXacThuc", default=False)
    applied = models.BooleanField("đã áp dụng", default=False)
    outcome = models.CharField("kết quả xử lý", max_length=40, blank=True)
    detail = models.CharField("diễn giải", max_length=500, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "bản tin cổng thanh toán"
        verbose_name_plural = "bản tin cổng thanh toán"
        constraints = [models.UniqueConstraint(
            fields=["transaction_id", "kind"], condition=Q(applied=True) & ~Q(transaction_id=""),
            name="payments_message_applied_once")]

    def __str__(self):
        return f"{self.get_direction_display()} {self.kind} {self.reference} {self.outcome}"


class SandboxTransaction(models.Model):
    """State of the sandbox payment platform (/sandbox/paygov/): one payment
    session per partner and reference. Not used by the real gateway."""

    partner_code = models.CharField(max_length=40)
    reference = models.CharField(max_length=60)
    amount = models.PositiveBigIntegerField()
    description = models.CharField(max_length=300, blank=True)
    return_url = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, default="pending")  # pending / paid / cancelled / refunded
    transaction_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    channel = models.CharField(max_length=40, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    refunded_amount = models.PositiveBigIntegerField(default=0)
    refunds = models.JSONField(default=dict, blank=True)  # refund reference -> {amount, id}
    callback_status = models.PositiveSmallIntegerField(null=True, blank=True)
    callback_body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner_code", "reference"], name="payments_sandbox_ref_uniq")]
