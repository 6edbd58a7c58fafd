"""State changes of the address database: register, correct, retire, import.

Who may: a specialist, head of division or leader of the commune's people's
committee (or of an agency above it, such as the provincial committee), and
the system administrator. The commune's agency is the `commune_committee`
agency of that unit; a commune with none is managed from the province."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role, require_role
from tinhso.addresses import codes
from tinhso.addresses.models import Address, AddressStatus
from tinhso.addresses.recognition import format_address, recognise
from tinhso.agencies.models import Agency
from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput, NotFound
from tinhso.core.text import fold
from tinhso.units.models import AdministrativeUnit

ROLES = (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER, Role.SYSTEM_ADMIN)
# Việt Nam's bounding box, with a margin: a point outside is a typo (lat/lng swapped).
LAT_RANGE, LNG_RANGE = (8.0, 23.5), (102.0, 110.0)


def agency_for(unit: AdministrativeUnit) -> Agency | None:
    agency = Agency.objects.filter(unit=unit, kind="commune_committee").first()
    if agency is None and unit.parent_id:
        agency = Agency.objects.filter(unit_id=unit.parent_id, parent__isnull=True).first()
    return agency


def may_manage(user, unit: AdministrativeUnit) -> bool:
    agency = agency_for(unit)
    return has_role(user, Role.SYSTEM_ADMIN) if agency is None else has_role(user, ROLES, agency)


def _require(user, unit):
    if user is None:
        return
    agency = agency_for(unit)
    if agency is None:
        require_role(user, Role.SYSTEM_ADMIN)
    else:
        require_role(user, ROLES, agency,
                     message=f"Bạn không có quyền quản lý địa chỉ tại {unit.name}.")


def _clean(value, field, label, limit) -> str:
    value = " ".join(str(value or "").split())
    if len(value) > limit:
        raise InvalidInput(f"{label} dài quá {limit} ký tự.",
                           errors=[{"field": field, "message": f"Tối đa {limit} ký tự."}])
    return value


def _point(lat, lng) -> tuple[float | None, float | None]:
    if lat in (None, "") and lng in (None, ""):
        return None, None
    try:
        lat_f, lng_f = float(str(lat).replace(",", ".")), float(str(lng).replace(",", "."))
    except (TypeError, ValueError):
        raise InvalidInput("Tọa độ phải là số (vĩ độ, kinh độ).", code="invalid_point",
                           errors=[{"field": "lat", "message": "Nhập cả vĩ độ và kinh độ dạng số."}]) from None
    if not (LAT_RANGE[0] <= lat_f <= LAT_RANGE[1] and LNG_RANGE[0] <= lng_f <= LNG_RANGE[1]):
        raise InvalidInput("Tọa độ nằm ngoài lãnh thổ Việt Nam (có thể đã đảo vĩ độ và kinh độ).", code="invalid_point",
                           errors=[{"field": "lat", "message": "Vĩ độ 8–23,5; kinh độ 102–110."}])
    return round(lat_f, 6), round(lng_f, 6)


def _current_commune(unit_id) -> AdministrativeUnit:
    unit = None
    if str(unit_id or "").isdigit():
        unit = (AdministrativeUnit.objects.select_related("parent")
                .filter(pk=unit_id, level="commune", valid_to__isnull=True).first())
    if unit is None:
        raise InvalidInput("Chọn xã, phường hiện hành (sau ngày 01/7/2025).", code="invalid_unit",
                           errors=[{"field": "unit", "message": "Xã, phường không hợp lệ."}])
    return unit


def fingerprint(house_number: str, street: str, hamlet: str, unit: AdministrativeUnit | int) -> str:
    """One key per place (the commune as a unit or its id)."""
    return "|".join([fold(house_number), fold(street), fold(hamlet), str(getattr(unit, "pk", unit))])[:300]


def _prepare(house_number, street, hamlet, unit_id, lat, lng) -> dict:
    house_number = _clean(house_number, "house_number", "Số nhà", 40)
    street = _clean(street, "street", "Đường, phố", 120)
    hamlet = _clean(hamlet, "hamlet", "Ấp, khu vực", 120)
    if not (street or hamlet):
        raise InvalidInput("Cần tên đường, phố hoặc ấp, khu vực.", code="address_incomplete",
                           errors=[{"field": "street", "message": "Nhập đường, phố hoặc ấp, khu vực."}])
    unit = _current_commune(unit_id)
    lat, lng = _point(lat, lng)
    return {"house_number": house_number, "street": street, "hamlet": hamlet, "unit": unit, "lat": lat, "lng": lng,
            "full_text": format_address(house_number, street, hamlet, unit)[:400],
            "fingerprint": fingerprint(house_number, street, hamlet, unit)}


@transaction.atomic
def register_address(*, acting_user, house_number="", street="", hamlet="", unit_id=None, lat=None, lng=None,
                     source="manual") -> Address:
    """Add an address and give it its code. The same place (number, street,
    hamlet and commune, diacritics ignored) twice is refused."""
    data = _prepare(house_number, street, hamlet, unit_id, lat, lng)
    _require(acting_user, data["unit"])
    existing = Address.objects.filter(fingerprint=data["fingerprint"]).first()
    if existing is not None:
        raise InvalidInput(f"Địa chỉ này đã có mã {existing.code}.", code="address_exists",
                           errors=[{"field": "street", "message": f"Đã có: {existing.code}"}])
    address = Address(code=codes.new_code(data["unit"].code), source=source,
                      created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None, **data)
    try:
        with transaction.atomic():
            address.save()
    except IntegrityError:
        raise InvalidInput("Địa chỉ này vừa được người khác thêm.", code="address_exists") from None
    record(actor=acting_user, action="addresses.address.registered", obj=address,
           changes={"code": address.code, "full_text": address.full_text, "source": source})
    return address


@transaction.atomic
def correct_address(*, acting_user, code: str, house_number="", street="", hamlet="", unit_id=None, lat=None,
                    lng=None) -> Address:
    """Correct an address; its code stays."""
    address = Address.objects.select_for_update().filter(code=code).first()
    if address is None:
        raise NotFound("Không tìm thấy địa chỉ.", code="address_not_found")
    _require(acting_user, address.unit)
    data = _prepare(house_number, street, hamlet, unit_id, lat, lng)
    _require(acting_user, data["unit"])
    clash = Address.objects.filter(fingerprint=data["fingerprint"]).exclude(pk=address.pk).first()
    if clash is not None:
        raise InvalidInput(f"Địa chỉ này đã có mã {clash.code}.", code="address_exists")
    changes = {k: [str(getattr(address, k)), str(v)] for k, v in data.items()
               if k != "fingerprint" and getattr(address, k) != v}
    for key, value in data.items():
        setattr(address, key, value)
    address.save()
    record(actor=acting_user, action="addresses.address.corrected", obj=address, changes=changes)
    return address


@transaction.atomic
def retire_address(*, acting_user, code: str, reason: str) -> Address:
    """Stop using an address (demolished, renumbered). Its code is kept and never given again."""
    address = Address.objects.select_for_update().filter(code=code).first()
    if address is None:
        raise NotFound("Không tìm thấy địa chỉ.", code="address_not_found")
    _require(acting_user, address.unit)
    reason = _clean(reason, "reason", "Lý do", 300)
    if not reason:
        raise InvalidInput("Cần ghi lý do ngừng sử dụng.", errors=[{"field": "reason", "message": "Nhập lý do."}])
    if address.status == AddressStatus.RETIRED:
        raise InvalidInput("Địa chỉ đã ngừng sử dụng.", code="already_retired")
    address.status = AddressStatus.RETIRED
    address.save(update_fields=["status"])
    record(actor=acting_user, action="addresses.address.retired", obj=address, note=reason)
    return address


def resolve_commune(text: str) -> AdministrativeUnit:
    """A commune cell of an import: a 5-digit current code, or a name (old or
    new form) that recognition resolves with confidence."""
    text = (text or "").strip()
    if text.isdigit():
        unit = AdministrativeUnit.objects.filter(level="commune", code=text, valid_to__isnull=True).first()
        if unit is None:
            raise InvalidInput(f"Không có xã, phường hiện hành mã {text}.")
        return unit
    result = recognise(text)
    if result.unit is None:
        raise InvalidInput(f"Không nhận ra xã, phường “{text}”.")
    if not result.accepted:
        names = ", ".join(c.unit.name for c in result.candidates[:4])
        raise InvalidInput(f"“{text}” chưa rõ là xã, phường nào hiện nay ({names}); ghi mã xã.")
    return result.unit
