"""Import of prices from Excel, ALL-OR-NOTHING: columns Ngày, Chợ, Mặt hàng,
Giá (đồng), Ghi chú (markets and goods by name, diacritics and case
forgiven). One bad row and nothing is imported: every bad row is listed with
its row number and reason. Importing the same day again updates the prices."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.audit.actions import record
from tinhso.core import spreadsheets
from tinhso.core.errors import DomainError, InvalidInput
from tinhso.core.spreadsheets import ImportRefused
from tinhso.core.text import fold
from tinhso.marketprices import actions
from tinhso.marketprices.models import Good, Market

MAX_ROWS = 5000
HEADERS = ["Ngày", "Chợ", "Mặt hàng", "Giá (đồng)", "Ghi chú"]
COLUMNS = {"ngay": "day", "cho": "market", "mat hang": "good", "gia dong": "price", "gia": "price",
           "ghi chu": "note"}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


def template_xlsx() -> bytes:
    return spreadsheets.template_xlsx("Gia ca", HEADERS, ["04/12/2026", "Chợ Cái Răng", "Gạo ST25", 28000, ""])


def _read(upload) -> list[tuple[int, dict]]:
    from tinhso.dossiers.uploads import check_upload

    checked = check_upload(upload, "file", allowed=spreadsheets.XLSX, label="XLSX", limit=spreadsheets.UPLOAD_LIMIT)
    sheet = spreadsheets.read_sheet(checked.data, COLUMNS, required=["day", "market", "good", "price"],
                                    headers=HEADERS, max_rows=MAX_ROWS)
    if sheet.truncated:
        raise spreadsheets.bad_file(_("Tệp quá %(n)s dòng.") % {"n": MAX_ROWS})
    return sheet.rows


@transaction.atomic
def import_prices(*, acting_user, upload) -> ImportResult:
    actions._require_any(acting_user)
    records = [{**values, "row": number} for number, values in _read(upload)]
    return publish_rows(acting_user=acting_user, rows=records, source=str(getattr(upload, "name", ""))[:200])


@transaction.atomic
def publish_rows(*, acting_user, rows: list[dict], source: str = "") -> ImportResult:
    """Enter many prices at once, all or nothing: each row a dict with day,
    market and good (names), price, note and its `row` number. Used by the
    Excel import and the demo; `acting_user=None` is the system (demo)."""
    actions._require_any(acting_user)
    markets = {fold(m.name): m for m in Market.objects.filter(is_active=True).select_related("agency")}
    goods = {fold(g.name): g for g in Good.objects.all()}
    good_rows, errors, seen = [], [], {}
    for values in rows:
        number = values.get("row")
        try:
            market = markets.get(fold(str(values.get("market") or "")))
            if market is None:
                raise InvalidInput(_("Không có chợ “%(name)s”.") % {"name": values.get("market") or "—"})
            if not actions.may_enter(acting_user, market):
                raise InvalidInput(_("Bạn không có quyền nhập giá cho %(name)s.") % {"name": market.name})
            good = goods.get(fold(str(values.get("good") or "")))
            if good is None:
                raise InvalidInput(_("Không có mặt hàng “%(name)s”.") % {"name": values.get("good") or "—"})
            day = actions.parse_day(values.get("day"))
            price = actions.parse_price(values.get("price"))
            note = actions._text(values.get("note"), "note", "ghi chú", 300)
            key = (market.pk, good.pk, day)
            if key in seen:
                raise InvalidInput(_("Trùng với dòng %(n)s (cùng chợ, mặt hàng, ngày).") % {"n": seen[key]})
            seen[key] = number
            good_rows.append((market, good, day, price, note))
        except DomainError as exc:
            errors.append({"row": number, "message": exc.message})
    if errors:
        raise ImportRefused(errors)
    if not good_rows:
        raise spreadsheets.bad_file(_("Tệp không có dòng giá nào."))
    result = ImportResult()
    for market, good, day, price, note in good_rows:
        _entry, created = actions._upsert(acting_user, market, good, day, price, note)
        if created:
            result.created += 1
        else:
            result.updated += 1
    record(actor=acting_user, action="marketprices.imported", note=source,
           changes={"created": result.created, "updated": result.updated})
    return result
