"""The public-utility postal service's order API (bưu chính công ích): every
name of it lives here, in the client and in the sandbox
(tinhso/postal/sandbox.py).

**Unverified — a VNPost-like REST shape; check against the postal operator's
integration document** (tài liệu kết nối API của Tổng công ty Bưu điện Việt
Nam) before going live:

- `POST {url}/api/orders` with header `Token: <api key>` and
  `{"CustomerCode", "OrderCode" (our reference: a resend creates no second
  order), "ServiceType": "THU_GOM" | "CHUYEN_PHAT", "Sender": {"Name",
  "Phone", "Address"}, "Receiver": {...}, "Note", "CallbackUrl"}` →
  `{"Code": "00", "Message", "Data": {"ItemCode", "Fee", "Status"}}`; any
  other Code is a refusal (`Message` says why);
- `GET {url}/api/orders/{ItemCode}` → `{"Code": "00", "Data": {"ItemCode",
  "Status", "History": [{"Status", "Time", "Note"}]}}`;
- webhook to `CallbackUrl` (Tỉnh Số: /buu-chinh/thong-bao/): `POST` of
  `{"ItemCode", "OrderCode", "Status", "Time", "Note"}` with header
  `X-Signature: <hex HMAC-SHA256 of the body under the shared secret>`.

Statuses: CREATED, PICKED_UP, IN_TRANSIT, DELIVERED, RETURNED, FAILED.
Every call goes through `tinhso.integration.outbound.call` (service `postal`)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.utils.dateparse import parse_datetime

from tinhso.integration import outbound
from tinhso.postal.models import Kind, ShipmentStatus

SERVICE = "postal"
ORDERS_PATH = "api/orders"
TOKEN_HEADER = "Token"
SIGNATURE_HEADER = "X-Signature"
OK = "00"
SERVICE_TYPES = {Kind.PICKUP: "THU_GOM", Kind.DELIVERY: "CHUYEN_PHAT"}
STATUSES = {"CREATED": ShipmentStatus.CREATED, "PICKED_UP": ShipmentStatus.PICKED_UP,
            "IN_TRANSIT": ShipmentStatus.IN_TRANSIT, "DELIVERED": ShipmentStatus.DELIVERED,
            "RETURNED": ShipmentStatus.RETURNED, "FAILED": ShipmentStatus.RETURNED}
WIRE = {v: k for k, v in STATUSES.items() if k != "FAILED"}


class Refused(outbound.ExternalError):
    """The post answered and refused the request (a bad address, an unknown customer)."""


def configured_url() -> str:
    url = getattr(settings, "TINHSO_POSTAL_URL", "")
    if not url and getattr(settings, "TINHSO_POSTAL_SANDBOX", False):
        url = f"{settings.TINHSO_BASE_URL}/sandbox/postal"
    return url.rstrip("/")


def signature(body: bytes, secret: str | None = None) -> str:
    key = (secret if secret is not None else settings.TINHSO_POSTAL_WEBHOOK_SECRET).encode()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def signature_ok(body: bytes, given: str) -> bool:
    secret = settings.TINHSO_POSTAL_WEBHOOK_SECRET
    return bool(secret and given) and hmac.compare_digest(signature(body, secret), given.strip().lower())


def status_of(wire: str):
    """The post's status name → ShipmentStatus (None for an unknown one)."""
    return STATUSES.get(str(wire or "").upper())


def moment(value):
    """The post's time (ISO 8601; local time when it carries no offset), None when unreadable."""
    try:
        parsed = parse_datetime(str(value or ""))
    except ValueError:
        return None
    if parsed is not None and parsed.tzinfo is None:
        from django.utils import timezone

        parsed = timezone.make_aware(parsed)
    return parsed


def order_body(shipment) -> dict:
    return {
        "CustomerCode": settings.TINHSO_POSTAL_CUSTOMER_CODE, "OrderCode": shipment.order_code,
        "ServiceType": SERVICE_TYPES[shipment.kind],
        "Sender": {"Name": shipment.sender_name, "Phone": shipment.sender_phone, "Address": shipment.sender_address},
        "Receiver": {"Name": shipment.receiver_name, "Phone": shipment.receiver_phone,
                     "Address": shipment.receiver_address},
        "Note": shipment.note, "CallbackUrl": f"{settings.TINHSO_BASE_URL}/buu-chinh/thong-bao/",
    }


class PostClient:
    def __init__(self, url: str | None = None):
        self.url = (url if url is not None else configured_url()).rstrip("/")

    @property
    def enabled(self) -> bool:
        return bool(self.url)

    def _json(self, response, what: str) -> dict:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or "Code" not in body:
            detail = f"{what}: trả lời không đúng định dạng (HTTP {response.status_code}): {response.text[:200]!r}"
            raise outbound.BadAnswer(SERVICE, "Bưu điện trả lời không hợp lệ; yêu cầu sẽ được gửi lại sau.", detail)
        return body

    def _headers(self) -> dict:
        return {TOKEN_HEADER: settings.TINHSO_POSTAL_API_KEY}

    def create(self, shipment) -> dict:
        """Ask for a pick-up or a delivery; returns {"tracking_number", "fee", "status"}."""
        def check(response):
            body = self._json(response, "create")
            if str(body["Code"]) == OK and not str((body.get("Data") or {}).get("ItemCode") or "").strip():
                raise outbound.BadAnswer(SERVICE, "Bưu điện không trả số hiệu bưu gửi; sẽ gửi lại sau.",
                                         f"no ItemCode in {body!r}"[:300])
            return body

        body = outbound.call(SERVICE, "POST", f"{self.url}/{ORDERS_PATH}", purpose="Yêu cầu bưu chính công ích",
                             subject=shipment.dossier.code, json=order_body(shipment), headers=self._headers(),
                             retry=True, check=check)  # idempotent: the post keeps one order per OrderCode
        if str(body["Code"]) != OK:
            raise Refused(SERVICE, f"Bưu điện từ chối yêu cầu: {body.get('Message', '')}",
                          f"Code {body['Code']}: {body.get('Message', '')}")
        data = body.get("Data") or {}
        tracking = str(data.get("ItemCode") or "").strip()
        try:
            fee = int(data.get("Fee") or 0)
        except (TypeError, ValueError):
            fee = None
        return {"tracking_number": tracking[:40], "fee": fee, "status": status_of(data.get("Status"))}

    def track(self, shipment) -> list[dict]:
        """The post's status history: [{"status", "at", "note"}], unknown statuses left out."""
        def check(response):
            body = self._json(response, "track")
            data = body.get("Data")
            if str(body["Code"]) != OK or not isinstance(data, dict) or not isinstance(data.get("History"), list):
                raise outbound.BadAnswer(SERVICE, "Bưu điện trả lời tra cứu không hợp lệ.", f"track: {body!r}"[:300])
            return data

        data = outbound.call(SERVICE, "GET", f"{self.url}/{ORDERS_PATH}/{shipment.tracking_number}",
                             purpose="Tra cứu hành trình bưu gửi", subject=shipment.dossier.code,
                             headers=self._headers(), check=check)
        out = []
        for h in data["History"]:
            status = status_of(h.get("Status")) if isinstance(h, dict) else None
            if status is not None:
                out.append({"status": status, "at": moment(h.get("Time")), "note": str(h.get("Note") or "")[:300]})
        return out
