"""The sandbox document axis at /sandbox/axis/ (only with TINHSO_AXIS_SANDBOX):
the same protocol as the client in axis.py, messages kept in its own table
until the receiving system acknowledges them. For the demo and tests; several
installations (each its own database) can exchange through one sandbox."""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from tinhso.officialdocs.models import AxisMessage

MAX_BYTES = 60 * 1024 * 1024


def _allowed(request) -> bool:
    return bool(request.headers.get("systemId")) and request.headers.get("secret") == \
        settings.TINHSO_AXIS_SANDBOX_SECRET


def _guard(view):
    def wrapped(request, *args, **kwargs):
        if not getattr(settings, "TINHSO_AXIS_SANDBOX", False):
            raise Http404()
        if not _allowed(request):
            return JsonResponse({"status": "FAIL", "message": "systemId hoặc secret không đúng"}, status=403)
        return view(request, *args, **kwargs)
    wrapped.__name__ = view.__name__
    return csrf_exempt(wrapped)


@_guard
@require_POST
def send(request):
    sender = request.headers.get("from", "").strip()
    recipients = [r.strip() for r in request.headers.get("to", "").split(",") if r.strip()]
    kind = request.headers.get("messagetype", "edoc")
    if not sender or not recipients or kind not in ("edoc", "status"):
        return JsonResponse({"status": "FAIL", "message": "thiếu from, to hoặc messagetype"}, status=400)
    if not request.body or len(request.body) > MAX_BYTES:
        return JsonResponse({"status": "FAIL", "message": "gói tin rỗng hoặc quá lớn"}, status=400)
    doc_id = uuid.uuid4().hex
    AxisMessage.objects.bulk_create([AxisMessage(doc_id=f"{doc_id}-{n}", sender_system=request.headers["systemId"],
                                                 from_organ=sender, to_organ=organ, kind=kind, body=request.body)
                                     for n, organ in enumerate(recipients)])
    return JsonResponse({"status": "OK", "docId": doc_id})


@_guard
@require_POST
def waiting(request):
    try:
        organs = [str(o) for o in json.loads(request.body or b"{}").get("organs", [])][:5000]
    except (ValueError, AttributeError):
        return JsonResponse({"status": "FAIL", "message": "JSON không hợp lệ"}, status=400)
    rows = AxisMessage.objects.filter(to_organ__in=organs, done=False).order_by("id")[:500]
    return JsonResponse({"status": "OK", "data": [{"docId": r.doc_id, "from": r.from_organ, "to": r.to_organ,
                                                   "messagetype": r.kind} for r in rows]})


@_guard
@require_GET
def fetch(request):
    row = AxisMessage.objects.filter(doc_id=request.GET.get("docId", "")).first()
    if row is None:
        return JsonResponse({"status": "FAIL", "message": "không có gói tin"}, status=404)
    return HttpResponse(bytes(row.body), content_type="application/xml; charset=utf-8")


@_guard
@require_POST
def done(request):
    try:
        doc_id = str(json.loads(request.body or b"{}").get("docId", ""))
    except (ValueError, AttributeError):
        return JsonResponse({"status": "FAIL", "message": "JSON không hợp lệ"}, status=400)
    if not AxisMessage.objects.filter(doc_id=doc_id).update(done=True):
        return JsonResponse({"status": "FAIL", "message": "không có gói tin"}, status=404)
    return JsonResponse({"status": "OK"})


app_name = "sandbox_axis"
urlpatterns = [
    path("sendEdoc", send, name="send"),
    path("getReceivedEdocList", waiting, name="waiting"),
    path("getEdoc", fetch, name="fetch"),
    path("updateStatus", done, name="done"),
]
