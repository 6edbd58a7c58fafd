"""State changes of the organisation tree (system administrators only)."""

from __future__ import annotations

from django.db import transaction

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.agencies.models import Agency
from tinhso.audit.actions import diff, record
from tinhso.core.errors import Conflict, InvalidInput

EDITABLE = ["code", "name", "short_name", "kind", "parent", "unit", "address", "phone", "email", "is_active"]


def _validate(values: dict, instance: Agency | None = None) -> None:
    code = values.get("code")
    if code is not None:
        clash = Agency.objects.filter(code=code)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise Conflict(f"Mã định danh “{code}” đã được dùng cho cơ quan khác.", code="agency_code_taken",
                           errors=[{"field": "code", "message": "Mã định danh đã tồn tại."}])
    parent = values.get("parent")
    if instance is not None and parent is not None and parent.path.startswith(instance.path):
        raise InvalidInput("Không thể đặt một cơ quan trực thuộc chính nó hoặc cơ quan cấp dưới của nó.",
                           code="agency_cycle", errors=[{"field": "parent", "message": "Cơ quan cấp trên không hợp lệ."}])


@transaction.atomic
def create_agency(*, acting_user, **values) -> Agency:
    if acting_user is not None:
        require_role(acting_user, Role.SYSTEM_ADMIN)
    _validate(values)
    agency = Agency(**{k: v for k, v in values.items() if k in EDITABLE})
    agency.save()
    record(actor=acting_user, action="agencies.agency.created", obj=agency,
           changes={"code": agency.code, "name": agency.name})
    return agency


@transaction.atomic
def update_agency(*, acting_user, agency: Agency, **values) -> Agency:
    require_role(acting_user, Role.SYSTEM_ADMIN, agency)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    _validate(values, agency)
    changes = diff(agency, EDITABLE, values)
    if not changes:
        return agency
    for name in changes:
        setattr(agency, name, values[name])
    agency.save()
    record(actor=acting_user, action="agencies.agency.updated", obj=agency, changes=changes)
    return agency
