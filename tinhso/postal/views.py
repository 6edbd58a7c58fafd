from __future__ import annotations

import json
import logging

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.models import Role
from tinhso.core.errors import DomainError
from tinhso.dossiers.models import Dossier
from tinhso.integration import log as message_log
from tinhso.integration.models import Outcome
from tinhso.postal import actions, protocol
from tinhso.postal.models import Shipment, ShipmentStatus

log = logging.getLogger("tinhso.postal")


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@csrf_exempt
@require_POST
def webhook_view(request):
    """The post's status notice (protocol.py): refused with 403 unless signed with the shared secret."""
    operation = "POST /buu-chinh/thong-bao/"
    if not protocol.signature_ok(request.body, request.headers.get(protocol.SIGNATURE_HEADER, "")):
        log.warning("postal webhook with a bad signature from %s", _client_address(request))
        message_log.append(direction="in", service=protocol.SERVICE, operation=operation,
                           purpose="Thông báo trạng thái bưu gửi", request_digest=message_log.digest(request.body),
                           status=403, outcome=Outcome.REFUSED, address=_client_address(request))
        return JsonResponse({"Code": "403", "Message": "Chữ ký không hợp lệ"}, status=403)
    try:
        body = json.loads(request.body)
        item = str(body["ItemCode"])
        status = protocol.status_of(body["Status"])
    except (ValueError, KeyError, TypeError):
        body, item, status = None, "", None
    shipment = Shipment.objects.filter(tracking_number=item).first() if item else None
    outcome, code = (Outcome.OK, 200) if shipment is not None and status is not None else (Outcome.INVALID, 400)
    message_log.append(direction="in", service=protocol.SERVICE, operation=operation,
                       purpose="Thông báo trạng thái bưu gửi", subject=shipment.dossier.code if shipment else item,
                       request_digest=message_log.digest(request.body), status=code, outcome=outcome,
                       address=_client_address(request))
    if code != 200:
        return JsonResponse({"Code": "01", "Message": "Không có bưu gửi hoặc trạng thái không hợp lệ"}, status=400)
    actions.record_status(shipment, status, at=protocol.moment(body.get("Time")), note=str(body.get("Note") or ""),
                          source="webhook")
    return JsonResponse({"Code": protocol.OK, "Message": "Đã nhận"})


def _outcome_message(request, shipment: Shipment) -> None:
    if shipment.status == ShipmentStatus.PENDING:
        messages.warning(request, _("Đã ghi nhận yêu cầu nhưng chưa gửi được cho bưu điện (%(error)s). Hệ thống sẽ "
                                    "tự gửi lại; không cần thao tác thêm.") % {"error": shipment.last_error})
    elif shipment.status == ShipmentStatus.FAILED:
        messages.error(request, _("Bưu điện từ chối yêu cầu: %(error)s") % {"error": shipment.last_error})
    else:
        messages.success(request, _("Bưu điện đã nhận yêu cầu, số hiệu bưu gửi %(number)s.")
                         % {"number": shipment.tracking_number})


def _request(request, code, action):
    dossier = get_object_or_404(Dossier, code=code)
    version = request.POST.get("version")
    try:
        shipment = action(acting_user=request.user, dossier=dossier, version=int(version) if version else None,
                          address=request.POST.get("address", ""), phone=request.POST.get("phone", ""),
                          note=request.POST.get("note", ""))
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("Dữ liệu không hợp lệ.")))
    else:
        _outcome_message(request, shipment)
    return redirect("dossiers:detail", code)


@staff_required((Role.CLERK,))
@require_POST
def pickup_view(request, code):
    return _request(request, code, actions.request_pickup)


@staff_required((Role.CLERK,))
@require_POST
def delivery_view(request, code):
    return _request(request, code, actions.request_delivery)
