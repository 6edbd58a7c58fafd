"""Demo shipments: papers collected at home and a result on its way, as the
sandbox post would have carried them (the seed runs with no server, so the
sandbox's side is written directly; nothing here runs in production)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from tinhso.accounts.models import Role, RoleAssignment
from tinhso.dossiers.models import Dossier, ReturnMethod, Status
from tinhso.postal import actions
from tinhso.postal.models import Shipment, ShipmentStatus
from tinhso.postal.protocol import order_body, status_of


def _clerk(dossier):
    line = [int(pk) for pk in dossier.receiving_agency.path.strip("/").split("/") if pk.isdecimal()]
    row = (RoleAssignment.objects.active().filter(role=Role.CLERK, agency_id__in=line or [dossier.receiving_agency_id])
           .select_related("user").first())
    return row.user if row else None


def _carry(shipment, steps: int) -> None:
    from tinhso.postal.sandbox import advance_order, create_order

    order, _ = create_order(order_body(shipment))
    actions.record_status(shipment, ShipmentStatus.CREATED, source="answer", tracking_number=order.tracking_number,
                          fee=order.fee)
    for _ in range(steps):
        order = advance_order(order, notify=False)
        actions.record_status(shipment, status_of(order.status), source="poll")


def seed_shipments() -> int:
    """Two pick-ups and, when a finished dossier waits, a result by post; nothing if any exist."""
    if Shipment.objects.exists() or not settings.TINHSO_POSTAL_SANDBOX:
        return 0
    made = 0
    plan = [(d, steps) for d, steps in zip(
        Dossier.objects.filter(status__in=[Status.RECEIVED, Status.PROCESSING]).select_related("receiving_agency")
        .order_by("id")[:2], (1, 2))]
    for dossier, steps in plan:
        clerk = _clerk(dossier)
        if clerk is None:
            continue
        shipment = actions.request_pickup(acting_user=clerk, dossier=dossier, note="Gọi điện trước khi đến",
                                          send=False)
        _carry(shipment, steps)
        made += 1
    finished = Dossier.objects.filter(status=Status.FINISHED).select_related("receiving_agency").first()
    if finished is not None and (clerk := _clerk(finished)) is not None:
        with transaction.atomic():  # the applicant asked for the result by post (demo data)
            Dossier.objects.filter(pk=finished.pk).update(delivery_method=ReturnMethod.POST)
        finished.refresh_from_db()
        shipment = actions.request_delivery(acting_user=clerk, dossier=finished, send=False)
        _carry(shipment, 2)
        made += 1
    return made
