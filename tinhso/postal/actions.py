"""Requests to the public-utility post and what the post tells us back.

`request_pickup` / `request_delivery` record the request (and the dossier
history row) in one transaction, then ask the post outside it: the post down
leaves the shipment pending with the reason, and `send_due` retries it.
`record_status` takes a status from the webhook or from polling, once per
status; a delivered result records the dossier as returned."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.addresses.labels import label_address
from tinhso.accounts.permissions import has_role, require_role
from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput
from tinhso.dossiers.actions._base import lock, write_event
from tinhso.dossiers.models import OPEN_STATUSES_LIST, ReturnMethod, Status
from tinhso.integration.outbound import ExternalError, Unavailable
from tinhso.postal.models import CLOSED, RANK, Kind, Shipment, ShipmentEvent, ShipmentStatus
from tinhso.postal.protocol import PostClient, Refused

log = logging.getLogger("tinhso.postal")
LEASE = datetime.timedelta(minutes=2)
MAX_BACKOFF = datetime.timedelta(hours=1)

HISTORY = {  # shipment status -> dossier history action (in transit is kept on the shipment only)
    ShipmentStatus.CREATED: "postal_created", ShipmentStatus.PICKED_UP: "postal_picked_up",
    ShipmentStatus.DELIVERED: "postal_delivered", ShipmentStatus.RETURNED: "postal_returned",
    ShipmentStatus.FAILED: "postal_failed",
}


def _text(value, limit) -> str:
    return (value or "").strip()[:limit]


def _open_one(dossier, kind) -> bool:
    return Shipment.objects.filter(dossier=dossier, kind=kind).exclude(status__in=CLOSED).exists()


def _order_code(dossier, kind) -> str:
    n = Shipment.objects.filter(dossier=dossier, kind=kind).count() + 1
    return f"{dossier.code}-{'TG' if kind == Kind.PICKUP else 'CP'}{n}"


@transaction.atomic
def _create(*, acting_user, dossier, kind, sender, receiver, note, at, version):
    dossier = lock(dossier, version, acting_user)
    require_role(acting_user, Role.CLERK, dossier.receiving_agency,
                 "Chỉ cán bộ một cửa của nơi tiếp nhận được yêu cầu bưu chính cho hồ sơ này.")
    label = "thu gom hồ sơ" if kind == Kind.PICKUP else "chuyển phát kết quả"
    if kind == Kind.PICKUP and dossier.status not in OPEN_STATUSES_LIST:
        raise InvalidInput("Hồ sơ đã kết thúc: không thể yêu cầu thu gom hồ sơ.", code="invalid_transition")
    if kind == Kind.DELIVERY:
        if dossier.status != Status.FINISHED:
            raise InvalidInput("Chỉ chuyển phát kết quả khi hồ sơ đã có kết quả và chưa trả.", code="invalid_transition")
        if dossier.delivery_method != ReturnMethod.POST:
            raise InvalidInput("Người nộp không đăng ký nhận kết quả qua bưu chính công ích.", code="not_by_post")
    if _open_one(dossier, kind):
        raise InvalidInput(f"Hồ sơ đã có yêu cầu {label} đang thực hiện.", code="already_requested")
    for who, value in (("sender", sender), ("receiver", receiver)):
        if not value["name"] or not value["address"]:
            raise InvalidInput("Cần có tên và địa chỉ người gửi, người nhận.", code="required",
                               errors=[{"field": f"{who}_address", "message": "Trường này là bắt buộc."}])
    shipment = Shipment.objects.create(
        dossier=dossier, kind=kind, order_code=_order_code(dossier, kind), note=note,
        sender_name=sender["name"], sender_phone=sender["phone"], sender_address=sender["address"],
        receiver_name=receiver["name"], receiver_phone=receiver["phone"], receiver_address=receiver["address"],
        receiver_address_code=receiver.get("code"), requested_by=acting_user, requested_at=at, next_attempt_at=at)
    data = {"shipment": shipment.pk}
    if receiver.get("typed") and receiver["typed"] != receiver["address"]:
        data["receiver_address_typed"] = receiver["typed"]  # what was written, before normalising for the label
    write_event(dossier, actor=acting_user, action=f"postal_{kind}_requested", at=at, from_status=dossier.status,
                comment=f"Yêu cầu bưu chính công ích {label}: {sender['address']} → {receiver['address']}",
                data=data)
    record(actor=acting_user, action=f"postal.{kind}.requested", obj=shipment,
           changes={"status": [None, shipment.status]})
    return shipment


def request_pickup(*, acting_user, dossier, address: str = "", phone: str = "", note: str = "", version=None,
                   at=None, send: bool = True) -> Shipment:
    """Thu gom hồ sơ tại nhà: the post collects the papers at the owner's
    address and brings them to the receiving agency."""
    agency = dossier.receiving_agency
    sender = {"name": _text(dossier.filer_name or dossier.owner_name, 200),
              "phone": _text(phone or dossier.filer_phone or dossier.owner_phone, 20),
              "address": _text(address or dossier.owner_address, 300)}
    receiver = {"name": _text(agency.name, 200), "phone": _text(agency.phone, 20),
                "address": _text(agency.address or agency.name, 300)}
    shipment = _create(acting_user=acting_user, dossier=dossier, kind=Kind.PICKUP, sender=sender, receiver=receiver,
                       note=_text(note, 300), at=at or timezone.now(), version=version)
    return submit(shipment) if send else shipment


def request_delivery(*, acting_user, dossier, name: str = "", address: str = "", phone: str = "", note: str = "",
                     version=None, at=None, send: bool = True) -> Shipment:
    """Chuyển phát kết quả: the result goes by post to the owner (their address unless another is given).
    The receiver's address is written for the label in today's form when it is
    recognised (`addresses.labels.label_address`); an address code, or a text
    that is a registered address, is stored with the shipment."""
    agency = dossier.receiving_agency
    sender = {"name": _text(agency.name, 200), "phone": _text(agency.phone, 20),
              "address": _text(agency.address or agency.name, 300)}
    where = label_address(_text(address or dossier.owner_address, 300), limit=300)
    receiver = {"name": _text(name or dossier.owner_name, 200), "phone": _text(phone or dossier.owner_phone, 20),
                "address": where.text, "code": where.code, "typed": where.typed}
    shipment = _create(acting_user=acting_user, dossier=dossier, kind=Kind.DELIVERY, sender=sender, receiver=receiver,
                       note=_text(note, 300), at=at or timezone.now(), version=version)
    return submit(shipment) if send else shipment


def submit(shipment: Shipment) -> Shipment:
    """Ask the post (outside any transaction). Accepted: tracking number and
    fee stored, status created. Not reachable or a garbage answer: still
    pending, the reason in `last_error`, retried later with backoff. Refused:
    failed, for the clerk to correct and ask again."""
    client = PostClient()
    if not client.enabled:
        _later(shipment, "Chưa cấu hình kết nối bưu điện (TINHSO_POSTAL_URL).")
        return shipment
    try:
        answer = client.create(shipment)
    except Refused as exc:
        _refused(shipment, exc.message)
    except ExternalError as exc:
        _later(shipment, exc.message)
        shipment.refresh_from_db()
        shipment.unreachable = isinstance(exc, Unavailable)
        return shipment
    else:
        record_status(shipment, answer["status"] or ShipmentStatus.CREATED, at=timezone.now(), source="answer",
                      tracking_number=answer["tracking_number"], fee=answer["fee"])
    shipment.refresh_from_db()
    return shipment


def _later(shipment, error: str) -> None:
    wait = min(datetime.timedelta(minutes=2 ** shipment.attempts), MAX_BACKOFF)
    Shipment.objects.filter(pk=shipment.pk, status=ShipmentStatus.PENDING).update(
        attempts=shipment.attempts + 1, last_error=error[:2000], next_attempt_at=timezone.now() + wait)


@transaction.atomic
def _refused(shipment, error: str) -> None:
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if shipment.status != ShipmentStatus.PENDING:
        return
    shipment.status, shipment.status_at, shipment.last_error = ShipmentStatus.FAILED, timezone.now(), error[:2000]
    shipment.attempts += 1
    shipment.save(update_fields=["status", "status_at", "last_error", "attempts"])
    _history(shipment, ShipmentStatus.FAILED, shipment.status_at, error)


def _history(shipment, status, at, note) -> None:
    action = HISTORY.get(status)
    if action is None:
        return
    dossier = lock(shipment.dossier, None)
    what = "Thu gom hồ sơ" if shipment.kind == Kind.PICKUP else "Chuyển phát kết quả"
    number = f" (số hiệu {shipment.tracking_number})" if shipment.tracking_number else ""
    text = f"{what}{number}: {ShipmentStatus(status).label}" + (f". {note}" if note else "")
    write_event(dossier, actor=None, action=action, at=at, from_status=dossier.status, comment=text[:2000],
                data={"shipment": shipment.pk, "tracking_number": shipment.tracking_number})
    record(actor=None, action=f"postal.shipment.{status}", obj=shipment, note=text[:500])
    if shipment.kind == Kind.DELIVERY and status == ShipmentStatus.DELIVERED:
        _returned(shipment, dossier, at)


def _returned(shipment, dossier, at) -> None:
    """The post delivered the result: the dossier is returned (9 -> 10) in the
    name of the clerk who handed it to the post; already returned, the history
    row above is the record."""
    from tinhso.dossiers.actions.closing import return_result

    if dossier.status != Status.FINISHED:
        return
    clerk = shipment.requested_by
    if clerk is None or not has_role(clerk, Role.CLERK, dossier.receiving_agency):
        log.warning("delivered result of %s not recorded as returned: no clerk to act for", dossier.code)
        return
    return_result(acting_user=clerk, dossier=dossier, method=ReturnMethod.POST, returned_to=shipment.receiver_name,
                  comment=f"Bưu điện đã phát kết quả cho {shipment.receiver_name} (số hiệu {shipment.tracking_number})",
                  at=at)


@transaction.atomic
def record_status(shipment, status, *, at=None, note: str = "", source: str, tracking_number: str = "",
                  fee=None) -> bool:
    """Ghi nhận trạng thái bưu gửi (from the post's answer, webhook or polling):
    once per status, never backwards. Returns whether anything was recorded."""
    shipment = Shipment.objects.select_for_update().select_related("dossier").get(pk=shipment.pk)
    at = at or timezone.now()
    if tracking_number and not shipment.tracking_number:
        shipment.tracking_number, shipment.fee = tracking_number, fee
    shipment.last_synced_at = timezone.now()
    fresh = (RANK[status] > RANK[ShipmentStatus(shipment.status)]
             and not ShipmentEvent.objects.filter(shipment=shipment, status=status).exists())
    if fresh:
        ShipmentEvent.objects.create(shipment=shipment, status=status, at=at, note=note[:300], source=source)
        shipment.status, shipment.status_at, shipment.last_error = status, at, ""
    shipment.save()
    if fresh:
        _history(shipment, status, at, note)
    return fresh


def due_for_sending(now):
    return Shipment.objects.filter(status=ShipmentStatus.PENDING, next_attempt_at__lte=now)


def send_due(now=None, limit: int = 100) -> dict:
    """Retry the requests the post has not accepted yet; each claimed by a
    conditional UPDATE of its next attempt (the post keeps one order per
    OrderCode anyway)."""
    now = now or timezone.now()
    counts = {"accepted": 0, "pending": 0, "refused": 0}
    for shipment in list(due_for_sending(now).order_by("next_attempt_at", "id")[:limit]):
        if not Shipment.objects.filter(pk=shipment.pk, status=ShipmentStatus.PENDING,
                                       next_attempt_at=shipment.next_attempt_at).update(next_attempt_at=now + LEASE):
            continue  # another worker took it
        result = submit(shipment)
        key = {ShipmentStatus.PENDING: "pending", ShipmentStatus.FAILED: "refused"}.get(result.status, "accepted")
        counts[key] += 1
        if getattr(result, "unreachable", False):
            break  # the post is not answering: the rest wait for the next run
    return counts


def poll_open(now=None, stale=datetime.timedelta(minutes=30), limit: int = 200) -> dict:
    """Fallback for lost webhooks: ask the post about open shipments not heard of for `stale`."""
    now = now or timezone.now()
    client = PostClient()
    counts = {"polled": 0, "changed": 0}
    if not client.enabled:
        return counts
    rows = (Shipment.objects.filter(tracking_number__isnull=False).exclude(status__in=(*CLOSED, ShipmentStatus.PENDING))
            .filter(Q(last_synced_at__isnull=True) | Q(last_synced_at__lt=now - stale))
            .select_related("dossier").order_by("last_synced_at", "id")[:limit])
    for shipment in rows:
        try:
            history = client.track(shipment)
        except ExternalError as exc:
            log.warning("postal polling stopped: %s", exc.detail)
            break
        counts["polled"] += 1
        for h in sorted(history, key=lambda h: RANK[h["status"]]):
            counts["changed"] += record_status(shipment, h["status"], at=h["at"], note=h["note"], source="poll")
        Shipment.objects.filter(pk=shipment.pk).update(last_synced_at=timezone.now())
    return counts
