from django import template

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.dossiers.models import OPEN_STATUSES_LIST, ReturnMethod, Status
from tinhso.postal.models import CLOSED, Kind

register = template.Library()


def _shipments(dossier):
    return list(dossier.shipments.prefetch_related("events").order_by("id"))


@register.inclusion_tag("postal/_panel.html", takes_context=True)
def postal_panel(context, dossier):
    """Staff dossier page: the shipments and the request buttons the clerk may press."""
    user = context["request"].user
    shipments = _shipments(dossier)
    clerk = has_role(user, Role.CLERK, dossier.receiving_agency)
    open_kinds = {s.kind for s in shipments if s.status not in CLOSED}
    return {
        "d": dossier, "shipments": shipments, "csrf_token": context.get("csrf_token"),
        "can_pickup": clerk and dossier.status in OPEN_STATUSES_LIST and Kind.PICKUP not in open_kinds,
        "can_deliver": (clerk and dossier.status == Status.FINISHED and dossier.delivery_method == ReturnMethod.POST
                        and Kind.DELIVERY not in open_kinds),
    }


@register.inclusion_tag("postal/_citizen.html")
def postal_status(dossier):
    """Citizen's dossier page: tracking numbers and where each shipment is."""
    return {"shipments": _shipments(dossier)}
