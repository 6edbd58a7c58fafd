"""The operations centre edits the categories and the dated rules hanging on
them: a changed deadline or route is a new row from a date, so reports
already running keep the rule they started under."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tinhso.agencies.models import Agency
from tinhso.audit.actions import diff, record
from tinhso.core.errors import Conflict, InvalidInput, NotFound
from tinhso.fieldreports.actions.common import require_centre
from tinhso.fieldreports.models import CategoryRoute, ReportCategory, Stage, StageDeadline
from tinhso.fieldreports.models.category import DeadlineUnit
from tinhso.units.models import AdministrativeUnit

FIELDS = ["name", "name_en", "group", "description", "keywords", "is_public", "requires_evidence", "order",
          "valid_from", "valid_to"]


def _bad(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, code="invalid_category", errors=[{"field": field, "message": message}])


@transaction.atomic
def save_category(*, acting_user, code: str, data: dict, create: bool = False) -> ReportCategory:
    """Create a category or change its description fields (name, group,
    keywords, public, evidence, validity)."""
    require_centre(acting_user)
    code = (code or "").strip().upper()
    errors = []
    if create:
        if not code or len(code) > 20 or not code.replace("-", "").replace("_", "").isalnum():
            errors.append({"field": "code", "message": "Mã gồm chữ và số, tối đa 20 ký tự."})
        elif ReportCategory.objects.filter(code=code).exists():
            errors.append({"field": "code", "message": "Mã này đã có."})
    for field, label in (("name", "tên lĩnh vực"), ("group", "nhóm")):
        if not (data.get(field) or "").strip():
            errors.append({"field": field, "message": f"Nhập {label}."})
    if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
        errors.append({"field": "valid_to", "message": "Ngày hết hiệu lực phải sau ngày bắt đầu."})
    if errors:
        raise InvalidInput(errors[0]["message"], code="invalid_category", errors=errors)
    values = {f: data.get(f) for f in FIELDS if f in data}
    for text in ("name", "name_en", "group", "description", "keywords"):
        if text in values:
            values[text] = (values[text] or "").strip()
    if create:
        category = ReportCategory.objects.create(code=code, **values)
        record(actor=acting_user, action="fieldreports.category.created", obj=category)
        return category
    category = ReportCategory.objects.select_for_update().filter(code=code).first()
    if category is None:
        raise NotFound("Không có lĩnh vực này.", code="category_not_found")
    changes = diff(category, list(values), values)
    for field, value in values.items():
        setattr(category, field, value)
    category.save()
    record(actor=acting_user, action="fieldreports.category.changed", obj=category, changes=changes)
    return category


@transaction.atomic
def set_deadline(*, acting_user, code: str, stage: str, amount, unit: str,
                 valid_from: datetime.date | None = None) -> StageDeadline:
    """A stage's deadline from a date on (today by default); earlier reports keep theirs."""
    require_centre(acting_user)
    category = ReportCategory.objects.filter(code=code).first()
    if category is None:
        raise NotFound("Không có lĩnh vực này.", code="category_not_found")
    if stage not in Stage.values:
        raise _bad("stage", "Bước không hợp lệ.")
    if unit not in DeadlineUnit.values:
        raise _bad("unit", "Đơn vị thời hạn không hợp lệ.")
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        raise _bad("amount", "Thời hạn phải là số nguyên dương.") from None
    if not 1 <= amount <= 1000:
        raise _bad("amount", "Thời hạn phải từ 1 đến 1000.")
    valid_from = valid_from or timezone.localdate()
    if valid_from < timezone.localdate():
        raise _bad("valid_from", "Thời hạn mới chỉ áp dụng từ hôm nay trở đi.")
    row, created = StageDeadline.objects.update_or_create(
        category=category, stage=stage, valid_from=valid_from, defaults={"amount": amount, "unit": unit})
    record(actor=acting_user, action="fieldreports.deadline.set", obj=category,
           changes={"stage": stage, "amount": amount, "unit": unit, "valid_from": valid_from.isoformat()})
    return row


@transaction.atomic
def add_route(*, acting_user, code: str, agency_id, unit_id=None,
              valid_from: datetime.date | None = None) -> CategoryRoute:
    """The agency responsible in a commune (or the whole province) from a date;
    a route already in force for the same area ends the day before."""
    require_centre(acting_user)
    category = ReportCategory.objects.filter(code=code).first()
    if category is None:
        raise NotFound("Không có lĩnh vực này.", code="category_not_found")
    agency = Agency.objects.filter(pk=agency_id, is_active=True).first() if str(agency_id or "").isdecimal() else None
    if agency is None:
        raise _bad("agency", "Chọn cơ quan xử lý.")
    unit = None
    if unit_id:
        unit = AdministrativeUnit.objects.filter(pk=unit_id, level="commune", valid_to__isnull=True).first() \
            if str(unit_id).isdecimal() else None
        if unit is None:
            raise _bad("unit", "Xã, phường không hợp lệ.")
    valid_from = valid_from or timezone.localdate()
    current = CategoryRoute.objects.filter(category=category, unit=unit, valid_to__isnull=True)
    if current.filter(agency=agency).exists():
        raise Conflict("Cơ quan này đã được phân công cho địa bàn này.", code="route_exists")
    current.filter(valid_from__gte=valid_from).delete()  # not started yet: replaced
    current.update(valid_to=valid_from - datetime.timedelta(days=1))
    route = CategoryRoute.objects.create(category=category, unit=unit, agency=agency, valid_from=valid_from)
    record(actor=acting_user, action="fieldreports.route.added", obj=category,
           changes={"unit": unit.name if unit else "toàn tỉnh", "agency": agency.name,
                    "valid_from": valid_from.isoformat()})
    return route


@transaction.atomic
def end_route(*, acting_user, route_id: int, last_day: datetime.date | None = None) -> CategoryRoute:
    require_centre(acting_user)
    route = (CategoryRoute.objects.select_for_update(of=("self",)).select_related("category", "agency")
             .filter(pk=route_id).first())
    if route is None:
        raise NotFound("Không có phân công này.", code="route_not_found")
    last_day = last_day or timezone.localdate()
    if route.valid_from and last_day < route.valid_from:
        route.delete()
    else:
        route.valid_to = last_day
        route.save(update_fields=["valid_to"])
    record(actor=acting_user, action="fieldreports.route.ended", obj=route.category,
           changes={"agency": route.agency.name, "last_day": last_day.isoformat()})
    return route
