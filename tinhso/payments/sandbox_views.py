"""HTTP endpoints of the sandbox payment platform (/sandbox/paygov/...).

Disabled (404) unless TINHSO_PAYGOV_SANDBOX is on — off by default in production."""

from __future__ import annotations

import functools
import json

from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from tinhso.payments import gateway, sandbox
from tinhso.payments.sandbox import SandboxProblem


def sandbox_only(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not gateway.sandbox_enabled():
            raise Http404("sandbox payment platform is off")
        return view(request, *args, **kwargs)
    return wrapper


@never_cache
@sandbox_only
def pay(request):
    """The payment page: GET shows it for a signed payment message (in the
    query string); POST pays or cancels, calls the platform back server to
    server, and sends the browser to the return URL."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    fields = {k: v for k, v in request.GET.items()}
    try:
        txn = sandbox.open_session(fields)
    except SandboxProblem as problem:
        return render(request, "payments/sandbox/error.html", {"message": problem.message}, status=400)
    channels = gateway.SANDBOX_CHANNELS
    context = {"fields": fields, "txn": txn, "block": sandbox.receipt_block(fields), "channels": channels,
               "query": request.GET.urlencode(), "amount": txn.amount}
    if request.method == "POST" and txn.status == "pending":
        paying = "pay" in request.POST
        channel = request.POST.get("channel", "")
        if paying and channel not in dict(channels):
            context["error"] = "Vui lòng chọn kênh thanh toán."
            return render(request, "payments/sandbox/pay.html", context, status=400)
        try:
            _, return_to = sandbox.complete(txn, pay=paying, channel=channel if paying else "",
                                            deliver=request.POST.get("drop_callback") != "1")
        except SandboxProblem as problem:
            return render(request, "payments/sandbox/error.html", {"message": problem.message}, status=400)
        return HttpResponseRedirect(return_to)
    return render(request, "payments/sandbox/pay.html", context)


def _json_fields(request) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise SandboxProblem("Bản tin không phải JSON hợp lệ.")
        return {str(k): "" if v is None else str(v) for k, v in data.items()}
    return {k: v for k, v in request.POST.items()}


def _back_channel(handler):
    @csrf_exempt
    @never_cache
    @sandbox_only
    @functools.wraps(handler)
    def view(request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            return JsonResponse(handler(_json_fields(request)))
        except SandboxProblem as problem:
            return JsonResponse({"MaLoi": problem.code, "MoTa": problem.message}, status=400)
    return view


query = _back_channel(sandbox.query)
refund = _back_channel(sandbox.refund)
