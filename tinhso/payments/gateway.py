"""The payment platform client: the national payment platform's (PayGov)
message shape over HTTPS.

Every message is a flat set of fields: LoaiBanTin (message type), PhienBan
(version), MaDoiTac (partner code), MaThamChieu (reference), SoTien (amount,
whole VND), MaKenhThanhToan (channel), ThoiGianGD (transaction time,
yyyyMMddHHmmss, Vietnam time) and MaXacThuc, the authentication code:

    MaXacThuc = hex(HASH("|".join(field values in the configured order) + separator + secret))

The field order (TINHSO_PAYGOV_HASH_FIELDS), the separator before the secret
(TINHSO_PAYGOV_SECRET_SEPARATOR, empty by default) and the hash algorithm
(TINHSO_PAYGOV_HASH_ALGORITHM, SHA-256 by default) are configuration: the
layout is known only from one provincial integration, so a province must
check it against the platform's integration document. Message-specific fields
(the transaction id of a result, the refund reference...) are hashed after
the common ones, in the order of EXTRA_HASH_FIELDS; the LoaiBanTin values of
MESSAGE_TYPES and the result codes are this project's assumptions too (both
overridable in settings, see docs/payments.md).

`PayGovClient` is the one implementation of the `PaymentProvider` interface;
`get_client()` builds it from settings, pointing at the sandbox gateway on
this server when no platform URL is configured and the sandbox is on.
Back-channel calls (status query, refund) go through the integration
platform's outbound client as the consumed service `paygov`
(`tinhso.integration.outbound.call`: timeout, circuit breaker, one
message-log row per attempt with the bodies as digests and the payment's
reference as subject); tests route them with `outbound.TRANSPORT_MOUNTS`.
The platform's callbacks are logged as incoming rows by the callback view."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from tinhso.core.errors import DomainError
from tinhso.integration import outbound

log = logging.getLogger(__name__)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TIME_FORMAT = "%Y%m%d%H%M%S"
HASH_FIELD = "MaXacThuc"

# LoaiBanTin of each kind of message (assumed names; override with settings.TINHSO_PAYGOV_MESSAGE_TYPES).
MESSAGE_TYPES = {
    "pay": "THANH_TOAN",
    "result": "KET_QUA_THANH_TOAN",
    "query": "TRA_CUU_GIAO_DICH",
    "query_result": "KET_QUA_TRA_CUU",
    "refund": "HOAN_TIEN",
    "refund_result": "KET_QUA_HOAN_TIEN",
}
# Fields hashed after the common ones, per kind (override with settings.TINHSO_PAYGOV_HASH_EXTRA_FIELDS).
EXTRA_HASH_FIELDS = {
    "pay": [],
    "result": ["MaGiaoDich", "MaLoi"],
    "query": [],
    "query_result": ["MaGiaoDich", "TrangThai"],
    "refund": ["MaGiaoDich", "MaHoanTien"],
    "refund_result": ["MaGiaoDich", "MaHoanTien", "MaLoi"],
}

# MaLoi of a payment result (callback) and of a refund result.
RESULT_SUCCESS = "00"
RESULT_CANCELLED = "24"
# TrangThai of a status query.
STATE_PAID = "00"
STATE_PENDING = "01"
STATE_FAILED = "02"
STATE_UNKNOWN = "03"
STATE_REFUNDED = "04"
STATE_LABELS = {
    STATE_PAID: "Đã thanh toán", STATE_PENDING: "Chưa thanh toán / đang xử lý", STATE_FAILED: "Thất bại / đã hủy",
    STATE_UNKNOWN: "Không tồn tại / hết hạn", STATE_REFUNDED: "Đã hoàn tiền",
}
# Channels (MaKenhThanhToan) offered by the sandbox; the real platform sends its own codes.
SANDBOX_CHANNELS = [
    ("ATM", "Thẻ ATM nội địa / tài khoản ngân hàng"),
    ("QR", "Quét mã QR (VietQR)"),
    ("VI", "Ví điện tử"),
    ("THE_QT", "Thẻ quốc tế (Visa, Mastercard, JCB)"),
]

# The consumed service in the integration registry (tinhso/integration/registry.py).
SERVICE = "paygov"


class GatewayError(DomainError):
    """The payment platform could not be reached or answered something unusable."""

    status = 502
    code = "gateway_error"
    default_message = "Không kết nối được cổng thanh toán. Vui lòng thử lại sau."


# --- configuration --------------------------------------------------------------------------------

def sandbox_enabled() -> bool:
    return bool(getattr(settings, "TINHSO_PAYGOV_SANDBOX", False))


def message_type(kind: str) -> str:
    return {**MESSAGE_TYPES, **(getattr(settings, "TINHSO_PAYGOV_MESSAGE_TYPES", None) or {})}[kind]


def kind_of(message_type_value: str) -> str | None:
    types = {**MESSAGE_TYPES, **(getattr(settings, "TINHSO_PAYGOV_MESSAGE_TYPES", None) or {})}
    return next((k for k, v in types.items() if v == message_type_value), None)


def hash_fields(kind: str) -> list[str]:
    common = [f.strip() for f in (settings.TINHSO_PAYGOV_HASH_FIELDS or "").split("|") if f.strip()]
    extra = {**EXTRA_HASH_FIELDS, **(getattr(settings, "TINHSO_PAYGOV_HASH_EXTRA_FIELDS", None) or {})}
    return common + [f for f in extra.get(kind, []) if f not in common]


def shared_secret() -> str:
    """The configured secret; without one and with the sandbox on, a secret
    derived from SECRET_KEY that only the built-in sandbox gateway knows."""
    secret = (getattr(settings, "TINHSO_PAYGOV_SECRET", "") or "").strip()
    if secret:
        return secret
    if sandbox_enabled():
        return hmac.new(settings.SECRET_KEY.encode(), b"tinhso-paygov-sandbox", hashlib.sha256).hexdigest()
    raise GatewayError("Chưa cấu hình khóa bí mật cổng thanh toán (TINHSO_PAYGOV_SECRET). "
                       "Vui lòng liên hệ quản trị hệ thống.", code="gateway_not_configured")


def partner_code() -> str:
    return (getattr(settings, "TINHSO_PAYGOV_PARTNER_CODE", "") or "").strip()


def base_url() -> str:
    return settings.TINHSO_BASE_URL.rstrip("/")


def callback_url() -> str:
    """Where the platform posts payment results (registered with the platform)."""
    return base_url() + reverse("payments:callback")


def format_time(value: datetime.datetime) -> str:
    return value.astimezone(VN).strftime(TIME_FORMAT)


def parse_time(value: str) -> datetime.datetime | None:
    value = (value or "").strip()
    if len(value) != 14 or not value.isdigit():
        return None
    try:
        return datetime.datetime.strptime(value, TIME_FORMAT).replace(tzinfo=VN)
    except ValueError:
        return None


# --- MaXacThuc ------------------------------------------------------------------------------------

def compute_hash(fields: dict, kind: str, secret: str | None = None) -> str:
    algorithm = (getattr(settings, "TINHSO_PAYGOV_HASH_ALGORITHM", "sha256") or "sha256").lower()
    try:
        digest = hashlib.new(algorithm)
    except ValueError:
        raise GatewayError(f"Thuật toán băm “{algorithm}” không được hỗ trợ (TINHSO_PAYGOV_HASH_ALGORITHM).",
                           code="gateway_not_configured") from None
    text = "|".join(str(fields.get(name, "") or "") for name in hash_fields(kind))
    text += (getattr(settings, "TINHSO_PAYGOV_SECRET_SEPARATOR", "") or "") + (secret or shared_secret())
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def sign(fields: dict, kind: str) -> dict:
    signed = {k: ("" if v is None else str(v)) for k, v in fields.items() if k != HASH_FIELD}
    signed[HASH_FIELD] = compute_hash(signed, kind)
    return signed


def verify(fields: dict, kind: str) -> bool:
    """Constant-time comparison of the message's MaXacThuc with our own."""
    given = str(fields.get(HASH_FIELD) or "").strip().lower()
    if not given:
        return False
    return hmac.compare_digest(given.encode(), compute_hash(fields, kind).encode())


# --- results --------------------------------------------------------------------------------------

@dataclass
class QueryResult:
    state: str  # STATE_*
    transaction_id: str = ""
    amount: int | None = None
    channel: str = ""
    paid_at: datetime.datetime | None = None
    fields: dict = field(default_factory=dict)
    raw_body: str = ""
    http_status: int | None = None

    @property
    def paid(self) -> bool:
        return self.state == STATE_PAID


@dataclass
class RefundResult:
    ok: bool
    code: str
    message: str = ""
    transaction_id: str = ""
    fields: dict = field(default_factory=dict)
    raw_body: str = ""
    http_status: int | None = None


@dataclass
class Exchange:
    """One back-channel call: what was sent, what came back (for the log)."""

    sent: dict
    received: dict
    raw_body: str
    http_status: int | None


class PaymentProvider(Protocol):
    def payment_redirect(self, payment, return_url: str) -> tuple[str, dict]: ...

    def verify_callback(self, fields: dict) -> bool: ...

    def query(self, payment) -> tuple[QueryResult, Exchange]: ...

    def refund(self, payment, *, amount: int, refund_reference: str, reason: str) -> tuple[RefundResult, Exchange]: ...


class PayGovClient:
    """The national payment platform: payment page redirect, result
    verification, status query and refund, in its message shape."""

    def __init__(self, *, pay_url: str, query_url: str, refund_url: str, partner: str, version: str,
                 timeout: float):
        self.pay_url = pay_url
        self.query_url = query_url
        self.refund_url = refund_url
        self.partner = partner
        self.version = version
        self.timeout = timeout

    # common fields
    def _base(self, kind: str, payment, at: datetime.datetime | None = None) -> dict:
        from django.utils import timezone

        return {
            "LoaiBanTin": message_type(kind), "PhienBan": self.version, "MaDoiTac": self.partner,
            "MaThamChieu": payment.reference, "SoTien": str(payment.amount), "MaKenhThanhToan": "",
            "ThoiGianGD": format_time(at or timezone.now()),
        }

    def receipt_block(self, payment) -> dict:
        """ThongTinBienLai: the public service, procedure code, dossier code,
        beneficiary account and bank, the treasury, and the lines."""
        dossier = payment.dossier
        return {
            "TenDichVu": dossier.procedure.name[:250], "MaThuTuc": dossier.procedure.code, "MaHoSo": dossier.code,
            "CoQuanThu": payment.agency.name, "SoTaiKhoanThuHuong": settings.TINHSO_PAYGOV_BENEFICIARY_ACCOUNT,
            "NganHangThuHuong": settings.TINHSO_PAYGOV_BENEFICIARY_BANK, "KhoBac": settings.TINHSO_PAYGOV_TREASURY,
            "ChiTiet": [{"NoiDung": line.name, "Loai": line.kind, "SoTien": line.amount}
                        for line in payment.lines.all()],
        }

    def payment_message(self, payment, return_url: str) -> dict:
        fields = self._base("pay", payment)
        fields.update({
            "NoiDung": payment.description[:250], "HoTenNguoiNop": payment.payer_name[:200], "UrlTraVe": return_url,
            "ThongTinBienLai": json.dumps(self.receipt_block(payment), ensure_ascii=False, separators=(",", ":")),
        })
        return sign(fields, "pay")

    def payment_redirect(self, payment, return_url: str) -> tuple[str, dict]:
        fields = self.payment_message(payment, return_url)
        separator = "&" if urlsplit(self.pay_url).query else "?"
        return self.pay_url + separator + urlencode(fields), fields

    def verify_callback(self, fields: dict) -> bool:
        return verify(fields, "result")

    # back channel
    def _post(self, url: str, fields: dict, *, purpose: str, retry: bool) -> tuple[dict, str, int]:
        if not url:
            raise GatewayError("Chưa cấu hình địa chỉ tra cứu / hoàn tiền của cổng thanh toán "
                               "(TINHSO_PAYGOV_QUERY_URL, TINHSO_PAYGOV_REFUND_URL).", code="gateway_not_configured")
        try:
            response = outbound.call(SERVICE, "POST", url, json=fields, headers={"Accept": "application/json"},
                                     purpose=purpose, subject=fields.get("MaThamChieu", ""), retry=retry,
                                     timeout=self.timeout)
        except outbound.Unavailable as exc:
            log.warning("payment platform unreachable at %s: %s", url, exc.detail)
            raise GatewayError() from exc
        body = response.text
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            outbound.record_bad_answer(SERVICE, f"HTTP {response.status_code}: not a JSON object: {body[:200]!r}")
            raise GatewayError(f"Cổng thanh toán trả lời không đúng định dạng (HTTP {response.status_code}).",
                               code="gateway_bad_response")
        return {k: ("" if v is None else str(v)) for k, v in data.items()}, body, response.status_code

    def query(self, payment) -> tuple[QueryResult, Exchange]:
        sent = sign(self._base("query", payment), "query")
        # a status query changes nothing at the platform: safe to retry
        received, body, status = self._post(self.query_url, sent, purpose="Tra cứu trạng thái giao dịch thanh toán",
                                            retry=True)
        exchange = Exchange(sent, received, body, status)
        if received.get("LoaiBanTin") != message_type("query_result") or not verify(received, "query_result"):
            raise GatewayError("Kết quả tra cứu từ cổng thanh toán không xác thực được (sai MaXacThuc).",
                               code="gateway_bad_signature")
        if received.get("MaThamChieu") != payment.reference or received.get("MaDoiTac") != self.partner:
            raise GatewayError("Kết quả tra cứu không khớp mã tham chiếu.", code="gateway_bad_response")
        amount = received.get("SoTien", "")
        return QueryResult(
            state=received.get("TrangThai", ""), transaction_id=received.get("MaGiaoDich", ""),
            amount=int(amount) if amount.isdigit() else None, channel=received.get("MaKenhThanhToan", ""),
            paid_at=parse_time(received.get("ThoiGianGD", "")), fields=received, raw_body=body, http_status=status,
        ), exchange

    def refund(self, payment, *, amount: int, refund_reference: str, reason: str) -> tuple[RefundResult, Exchange]:
        fields = self._base("refund", payment)
        fields.update({"SoTien": str(int(amount)), "MaGiaoDich": payment.gateway_transaction_id or "",
                       "MaHoanTien": refund_reference, "LyDo": reason[:250]})
        sent = sign(fields, "refund")
        # money moves: sent once (staff asking again later send the same MaHoanTien)
        received, body, status = self._post(self.refund_url, sent, purpose="Yêu cầu hoàn tiền", retry=False)
        exchange = Exchange(sent, received, body, status)
        if received.get("LoaiBanTin") != message_type("refund_result") or not verify(received, "refund_result"):
            raise GatewayError("Kết quả hoàn tiền từ cổng thanh toán không xác thực được (sai MaXacThuc).",
                               code="gateway_bad_signature")
        if received.get("MaHoanTien") != refund_reference:
            raise GatewayError("Kết quả hoàn tiền không khớp mã yêu cầu hoàn.", code="gateway_bad_response")
        return RefundResult(ok=received.get("MaLoi") == RESULT_SUCCESS, code=received.get("MaLoi", ""),
                            message=received.get("MoTa", ""), transaction_id=received.get("MaGiaoDichHoanTien", ""),
                            fields=received, raw_body=body, http_status=status), exchange


def get_client() -> PayGovClient:
    """The configured platform; the sandbox on this server when no platform
    URL is set and the sandbox is on; otherwise an error (never a fake)."""
    pay_url = (settings.TINHSO_PAYGOV_PAY_URL or "").strip()
    query_url = (settings.TINHSO_PAYGOV_QUERY_URL or "").strip()
    refund_url = (settings.TINHSO_PAYGOV_REFUND_URL or "").strip()
    if not pay_url:
        if not sandbox_enabled():
            raise GatewayError("Chưa cấu hình cổng thanh toán (TINHSO_PAYGOV_PAY_URL). "
                               "Vui lòng liên hệ quản trị hệ thống.", code="gateway_not_configured")
        pay_url = base_url() + reverse("sandbox_paygov:pay")
        query_url = query_url or base_url() + reverse("sandbox_paygov:query")
        refund_url = refund_url or base_url() + reverse("sandbox_paygov:refund")
    shared_secret()  # fail early when not configured
    return PayGovClient(pay_url=pay_url, query_url=query_url, refund_url=refund_url, partner=partner_code(),
                        version=settings.TINHSO_PAYGOV_VERSION, timeout=settings.TINHSO_PAYGOV_TIMEOUT)
