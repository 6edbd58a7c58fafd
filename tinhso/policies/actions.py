"""Changing a rule: one audited action."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput
from tinhso.policies.models import Policy
from tinhso.policies.registry import REGISTRY, BadValue

EDIT_ROLES = (Role.SYSTEM_ADMIN,)


@transaction.atomic
def schedule(*, acting_user, key: str, value, effective_from: datetime.datetime, note: str = "") -> Policy:
    """Set `key` to `value` from `effective_from` (now or later: a past moment
    would rewrite decisions already taken). `acting_user=None` is the system
    (data migrations, tests), which may set any moment."""
    if acting_user is not None:
        require_role(acting_user, EDIT_ROLES)
    spec = REGISTRY.get(key)
    if spec is None:
        raise InvalidInput("Không có tham số nghiệp vụ này.", code="unknown_policy",
                           errors=[{"field": "key", "message": "Tham số không tồn tại."}])
    try:
        normalised = spec.check(value)
    except BadValue as exc:
        raise InvalidInput(f"Giá trị của “{spec.label}” không hợp lệ: {exc}", code="invalid_policy_value",
                           errors=[{"field": "value", "message": str(exc)}]) from None
    if acting_user is not None and effective_from < timezone.now() - datetime.timedelta(minutes=1):
        raise InvalidInput("Thời điểm hiệu lực không được ở trong quá khứ: thay đổi không áp dụng ngược cho "
                           "các quyết định đã có.", code="effective_date_past",
                           errors=[{"field": "effective_from", "message": "Chọn thời điểm từ bây giờ trở đi."}])
    policy, created = Policy.objects.update_or_create(
        key=key, effective_from=effective_from,
        defaults={"value": normalised, "note": note[:500],
                  "changed_by": acting_user if getattr(acting_user, "is_authenticated", False) else None})
    record(actor=acting_user, action="policies.scheduled", obj=policy,
           changes={"key": key, "value": normalised, "effective_from": effective_from.isoformat(),
                    "replaced": not created})
    return policy
