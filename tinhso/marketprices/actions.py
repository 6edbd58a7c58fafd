"""State changes of market prices. Prices of a market are entered by the
specialist, head of division or leader of the market's publishing agency (the
Department of Industry and Trade, or a commune's people's committee) or an
agency above it, and the system administrator. Goods are a province-wide list
any of those roles may extend."""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role, require_role
from tinhso.agencies.models import Agency
from tinhso.audit.actions import record
from tinhso.core.errors import PermissionDenied, field_error, is_pk
from tinhso.core.spreadsheets import cell_date
from tinhso.marketprices.models import Good, GoodGroup, Market, PriceEntry
from tinhso.units.models import AdministrativeUnit

ROLES = (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER, Role.SYSTEM_ADMIN)
MAX_PRICE = 10_000_000_000


def _text(value, field, label, limit, required=False) -> str:
    value = " ".join(str(value or "").split())
    if required and not value:
        raise field_error(field, f"Cần nhập {label}.")
    if len(value) > limit:
        raise field_error(field, f"{label[0].upper() + label[1:]} dài quá {limit} ký tự.")
    return value


def parse_price(value, field="price") -> int:
    """A price in đồng: 12500, "12.500", "12,500", "12 500 đ"; whole, above 0."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        price = value
    else:
        text = re.sub(r"\s|đ$|đồng$|vnd$", "", str(value or "").strip().lower())
        if not re.fullmatch(r"\d{1,3}([.,]\d{3})+|\d+", text):
            raise field_error(field, "Giá phải là số đồng, không có phần lẻ (ví dụ 12500 hoặc 12.500).", "invalid_price")
        price = int(re.sub(r"[.,]", "", text))
    if not 0 < price < MAX_PRICE:
        raise field_error(field, "Giá phải lớn hơn 0 và nhỏ hơn 10 tỷ đồng.", "invalid_price")
    return price


def parse_day(value, field="day") -> datetime.date:
    try:
        value = cell_date(value)
    except ValueError:
        value = None
    if value is None:
        raise field_error(field, "Ngày không hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd).", "invalid_day")
    if value > timezone.localdate():
        raise field_error(field, "Không nhập giá cho ngày trong tương lai.", "future_day")
    if value.year < 2000:
        raise field_error(field, "Ngày không hợp lệ.", "invalid_day")
    return value


def may_enter(user, market: Market) -> bool:
    return user is None or has_role(user, ROLES, market.agency)


@transaction.atomic
def create_market(*, acting_user, name, unit_id, agency_id) -> Market:
    agency = Agency.objects.filter(pk=agency_id, is_active=True).first() if is_pk(agency_id) else None
    if agency is None:
        raise field_error("agency", "Chọn cơ quan công bố giá.", "invalid_agency")
    if acting_user is not None:
        require_role(acting_user, ROLES, agency)
    unit = (AdministrativeUnit.objects.filter(pk=unit_id, level="commune", valid_to__isnull=True).first()
            if is_pk(unit_id) else None)
    if unit is None:
        raise field_error("unit", "Chọn xã, phường hiện hành.", "invalid_unit")
    name = _text(name, "name", "tên chợ", 200, True)
    if Market.objects.filter(name__iexact=name).exists():
        raise field_error("name", "Đã có chợ cùng tên.", "duplicate")
    market = Market.objects.create(name=name, unit=unit, agency=agency)
    record(actor=acting_user, action="marketprices.market.created", obj=market)
    return market


@transaction.atomic
def create_good(*, acting_user, name, unit, group) -> Good:
    if acting_user is not None:
        require_role(acting_user, ROLES)
    if group not in GoodGroup.values:
        raise field_error("group", "Nhóm hàng không hợp lệ.")
    name = _text(name, "name", "tên mặt hàng", 200, True)
    if Good.objects.filter(name__iexact=name).exists():
        raise field_error("name", "Đã có mặt hàng cùng tên.", "duplicate")
    good = Good.objects.create(name=name, unit=_text(unit, "unit", "đơn vị tính", 30, True), group=group)
    record(actor=acting_user, action="marketprices.good.created", obj=good)
    return good


def _get(model, pk, field, message):
    obj = model.objects.filter(pk=pk).first() if is_pk(pk) else None
    if obj is None:
        raise field_error(field, message, f"invalid_{field}")
    return obj


def _upsert(acting_user, market, good, day, price, note) -> tuple[PriceEntry, bool]:
    entry = PriceEntry.objects.select_for_update().filter(market=market, good=good, day=day).first()
    if entry is None:
        entry = PriceEntry.objects.create(market=market, good=good, day=day, price=price, note=note,
                                          entered_by=acting_user if acting_user else None)
        return entry, True
    if (entry.price, entry.note) != (price, note):
        entry.price, entry.note = price, note
        entry.entered_by = acting_user if acting_user else None
        entry.save(update_fields=["price", "note", "entered_by", "updated_at"])
    return entry, False


@transaction.atomic
def set_price(*, acting_user, market_id, good_id, day, price, note="") -> PriceEntry:
    """Enter the price of a good at a market on a day (a second entry for the
    same day replaces the first)."""
    market = _get(Market, market_id, "market", "Chọn chợ.")
    if not may_enter(acting_user, market):
        require_role(acting_user, ROLES, market.agency)
    good = _get(Good, good_id, "good", "Chọn mặt hàng.")
    day, price = parse_day(day), parse_price(price)
    note = _text(note, "note", "ghi chú", 300)
    old = PriceEntry.objects.filter(market=market, good=good, day=day).values_list("price", flat=True).first()
    entry, _ = _upsert(acting_user, market, good, day, price, note)
    record(actor=acting_user, action="marketprices.price.set", obj=entry,
           changes={"market": market.name, "good": good.name, "day": day.isoformat(), "price": [old, price]})
    return entry




def _require_any(user) -> None:
    if user is not None and not has_role(user, ROLES):
        raise PermissionDenied("Thao tác này cần vai trò Chuyên viên xử lý, Lãnh đạo phòng hoặc Lãnh đạo đơn vị.")
