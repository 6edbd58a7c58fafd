"""The sandbox post at /sandbox/postal/ (only with TINHSO_POSTAL_SANDBOX):
the order API of protocol.py, orders kept in SandboxOrder. A control page
lists the orders with an "advance" button (created → picked up → in transit
→ delivered, or returned); each step calls the order's webhook, signed as
the real post would. For the demo and the tests; production never uses it."""

from __future__ import annotations

import json
import logging
import secrets

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from tinhso.postal import protocol
from tinhso.postal.models import SandboxOrder

log = logging.getLogger("tinhso.postal.sandbox")
STEPS = ["CREATED", "PICKED_UP", "IN_TRANSIT", "DELIVERED"]
FEES = {"THU_GOM": 25000, "CHUYEN_PHAT": 30000}


def _on(view):
    def wrapped(request, *args, **kwargs):
        if not getattr(settings, "TINHSO_POSTAL_SANDBOX", False):
            raise Http404()
        return view(request, *args, **kwargs)
    wrapped.__name__ = view.__name__
    return wrapped


def _api(view):
    def wrapped(request, *args, **kwargs):
        if request.headers.get(protocol.TOKEN_HEADER) != settings.TINHSO_POSTAL_SANDBOX_API_KEY:
            return _answer("401", "Token không hợp lệ", status=401)
        return view(request, *args, **kwargs)
    wrapped.__name__ = view.__name__
    return csrf_exempt(_on(wrapped))


def _answer(code, message="", status=200, **extra):
    return JsonResponse({"Code": code, "Message": message, **extra}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _data(order):
    return {"ItemCode": order.tracking_number, "OrderCode": order.order_code, "Fee": order.fee,
            "Status": order.status, "History": order.history}


@_api
@require_POST
def orders(request):
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return _answer("99", "JSON không hợp lệ", status=400)
    if not isinstance(body, dict):
        return _answer("99", "JSON không hợp lệ", status=400)
    code, service = str(body.get("OrderCode") or "")[:80], body.get("ServiceType")
    receiver, sender = body.get("Receiver") or {}, body.get("Sender") or {}
    if not code or service not in FEES or not receiver.get("Address") or not sender.get("Address"):
        return _answer("01", "Thiếu mã đơn, loại dịch vụ hoặc địa chỉ")
    order, created = create_order(body)
    return _answer(protocol.OK, "Thành công" if created else "Đơn hàng đã có", Data=_data(order))


def create_order(body: dict) -> tuple[SandboxOrder, bool]:
    """The sandbox post takes an order (the same OrderCode again: the same order)."""
    code, service = str(body["OrderCode"])[:80], body["ServiceType"]
    existing = SandboxOrder.objects.filter(order_code=code).first()
    if existing is not None:
        return existing, False
    now = timezone.now().isoformat()
    order = SandboxOrder.objects.create(
        order_code=code, tracking_number=f"EB{secrets.randbelow(10 ** 9):09d}VN", service=service, status="CREATED",
        history=[{"Status": "CREATED", "Time": now, "Note": "Đã nhận yêu cầu"}], body=body, fee=FEES[service],
        callback_url=str(body.get("CallbackUrl") or "")[:300])
    return order, True


@_api
@require_GET
def track(request, item_code):
    order = SandboxOrder.objects.filter(tracking_number=item_code).first()
    if order is None:
        return _answer("04", "Không tìm thấy bưu gửi", status=404)
    return _answer(protocol.OK, Data=_data(order))


def advance_order(order: SandboxOrder, to: str | None = None, notify: bool = True) -> SandboxOrder:
    """Move the order one step on (or to `to`, e.g. RETURNED) and call its webhook."""
    if order.status in ("DELIVERED", "RETURNED"):
        return order
    status = to or STEPS[min(STEPS.index(order.status) + 1, len(STEPS) - 1)]
    now = timezone.now().isoformat()
    order.status = status
    order.history = [*order.history, {"Status": status, "Time": now, "Note": ""}]
    order.save(update_fields=["status", "history"])
    if notify and order.callback_url:
        _callback(order, {"ItemCode": order.tracking_number, "OrderCode": order.order_code, "Status": status,
                          "Time": now, "Note": ""})
    return order


def _callback(order, payload: dict) -> None:
    from tinhso.integration.outbound import session

    body = json.dumps(payload, ensure_ascii=False).encode()
    try:
        with session() as http:
            http.post(order.callback_url, data=body, timeout=5, headers={
                "Content-Type": "application/json", protocol.SIGNATURE_HEADER: protocol.signature(body)})
    except Exception as exc:  # noqa: BLE001 - a lost webhook is what polling is for
        log.warning("sandbox post webhook to %s failed: %s", order.callback_url, exc)


@_on
@require_GET
def control(request):
    return render(request, "postal/sandbox.html", {"orders": SandboxOrder.objects.all()[:200]})


@_on
@require_POST
def advance(request, item_code):
    order = get_object_or_404(SandboxOrder, tracking_number=item_code)
    to = request.POST.get("to") or None
    advance_order(order, to if to in ("RETURNED",) else None, notify=request.POST.get("notify", "1") == "1")
    if request.headers.get("Accept", "").startswith("application/json"):
        return _answer(protocol.OK, Data=_data(order))
    return redirect("sandbox_postal:control")


app_name = "sandbox_postal"
urlpatterns = [
    path("", control, name="control"),
    path(protocol.ORDERS_PATH, orders, name="orders"),
    path(f"{protocol.ORDERS_PATH}/<str:item_code>", track, name="track"),
    path(f"{protocol.ORDERS_PATH}/<str:item_code>/advance", advance, name="advance"),
]
