"""/api/v1/market-prices: published market prices (public, no personal data)."""

from __future__ import annotations

import datetime

from ninja import Query, Router, Schema

from tinhso.core.api import ErrorOut
from tinhso.core.errors import InvalidInput, NotFound
from tinhso.marketprices import queries
from tinhso.marketprices.models import Good, Market

router = Router(tags=["Giá cả thị trường (công khai)"])
MAX_ID = 2**63 - 1


class MarketOut(Schema):
    id: int
    name: str
    commune: str


class GoodOut(Schema):
    id: int
    name: str
    unit: str
    group: str
    group_label: str


class PriceOut(Schema):
    good: GoodOut
    price: int
    note: str
    previous: int | None
    previous_day: datetime.date | None
    change: int | None
    direction: str | None


class BoardOut(Schema):
    market: MarketOut
    day: datetime.date | None
    prices: list[PriceOut]


class PointOut(Schema):
    day: datetime.date
    price: int


class TrendOut(Schema):
    good: GoodOut
    market: MarketOut | None
    days: int
    points: list[PointOut]


def _market_out(m: Market) -> dict:
    return {"id": m.pk, "name": m.name, "commune": m.unit.name}


def _good_out(g: Good) -> dict:
    return {"id": g.pk, "name": g.name, "unit": g.unit, "group": g.group, "group_label": g.get_group_display()}


def _market(value: int | None) -> Market | None:
    if value is None:
        return None
    market = Market.objects.filter(pk=value, is_active=True).select_related("unit").first()
    if market is None:
        raise NotFound("Không có chợ này.", code="market_not_found")
    return market


@router.get("/markets", auth=None, response=list[MarketOut], summary="Các chợ có công bố giá")
def markets(request):
    return [_market_out(m) for m in Market.objects.filter(is_active=True).select_related("unit")]


@router.get("/goods", auth=None, response=list[GoodOut], summary="Các mặt hàng")
def goods(request):
    return [_good_out(g) for g in Good.objects.all()]


@router.get("", auth=None, response={200: list[BoardOut], 404: ErrorOut, 422: ErrorOut},
            summary="Giá trong ngày (hoặc ngày gần nhất có giá) theo chợ")
def prices(request, market: int | None = Query(None, ge=1, le=MAX_ID), day: datetime.date | None = None):
    """One board per market (or only `market`): the prices of `day` (default
    today) or of the latest day before it that has prices, each with the
    change against that good's previous entry (`direction`: up, down, same)."""
    chosen = [_market(market)] if market is not None else list(
        Market.objects.filter(is_active=True).select_related("unit"))
    out = []
    for m in chosen:
        data = queries.board(m, day)
        out.append({"market": _market_out(m), "day": data["day"], "prices": [
            {**{k: r[k] for k in ("price", "note", "previous", "previous_day", "change", "direction")},
             "good": _good_out(r["good"])} for r in data["rows"]]})
    return out


@router.get("/trend", auth=None, response={200: TrendOut, 404: ErrorOut, 422: ErrorOut},
            summary="Diễn biến giá một mặt hàng")
def trend(request, good: int = Query(..., ge=1, le=MAX_ID), market: int | None = Query(None, ge=1, le=MAX_ID),
          days: int = 30):
    """Daily prices of `good` over the last `days` (1–366) days at `market`,
    or the average of the markets when no market is given."""
    if not 1 <= days <= 366:
        raise InvalidInput("Số ngày phải từ 1 đến 366.", code="invalid_days",
                           errors=[{"field": "days", "message": "Số ngày phải từ 1 đến 366."}])
    found = Good.objects.filter(pk=good).first()
    if found is None:
        raise NotFound("Không có mặt hàng này.", code="good_not_found")
    chosen = _market(market)
    return {"good": _good_out(found), "market": _market_out(chosen) if chosen else None, "days": days,
            "points": queries.trend(found, chosen, days)}
