"""State changes a citizen makes to their own account."""

from django.db import transaction

from tinhso.audit.actions import record
from tinhso.core.errors import PermissionDenied


@transaction.atomic
def set_notification_channels(*, acting_user, email: bool, sms: bool) -> None:
    if not getattr(acting_user, "is_citizen", False):
        raise PermissionDenied("Chỉ tài khoản công dân.")
    before = {"notify_email": acting_user.notify_email, "notify_sms": acting_user.notify_sms}
    acting_user.notify_email, acting_user.notify_sms = email, sms
    acting_user.save(update_fields=["notify_email", "notify_sms"])
    record(actor=acting_user, action="portal.notification_channels", obj=acting_user,
           changes={k: [before[k], getattr(acting_user, k)] for k in before})
