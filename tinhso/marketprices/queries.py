"""Reading prices: a market's board for a day (the latest day with prices
when none is asked), with the change against each good's previous entry, and
a good's trend over the last days."""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils import timezone

from tinhso.marketprices.models import Good, Market, PriceEntry


def latest_day(market: Market, on_or_before: datetime.date | None = None) -> datetime.date | None:
    qs = PriceEntry.objects.filter(market=market)
    if on_or_before is not None:
        qs = qs.filter(day__lte=on_or_before)
    return qs.aggregate(day=Max("day"))["day"]


def board(market: Market, day: datetime.date | None = None) -> dict:
    """{"market", "day", "rows": [{good, price, note, previous, previous_day,
    change, direction}]} for the day asked or the latest before it."""
    day = latest_day(market, day or timezone.localdate())
    rows = []
    if day is not None:
        entries = list(PriceEntry.objects.filter(market=market, day=day).select_related("good").order_by(
            "good__group", "good__name"))
        previous = {}
        for p in (PriceEntry.objects.filter(market=market, day__lt=day, good__in=[e.good for e in entries])
                  .order_by("good_id", "-day")):
            previous.setdefault(p.good_id, p)
        for e in entries:
            before = previous.get(e.good_id)
            change = e.price - before.price if before else None
            rows.append({"good": e.good, "price": e.price, "note": e.note,
                         "previous": before.price if before else None,
                         "previous_day": before.day if before else None, "change": change,
                         "direction": None if change is None else ("up" if change > 0 else "down" if change < 0
                                                                   else "same")})
    return {"market": market, "day": day, "rows": rows}


def trend(good: Good, market: Market | None, days: int = 30) -> list[dict]:
    """[{"day", "price"}] over the last `days` days; with no market, the
    average over the markets that have a price that day (rounded to đồng)."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    qs = PriceEntry.objects.filter(good=good, day__gte=since)
    if market is not None:
        return [{"day": d, "price": p} for d, p in qs.filter(market=market).order_by("day").values_list("day",
                                                                                                        "price")]
    by_day: dict = {}
    for d, p in qs.values_list("day", "price"):
        by_day.setdefault(d, []).append(p)
    return [{"day": d, "price": round(sum(ps) / len(ps))} for d, ps in sorted(by_day.items())]


def line_chart(points: list[dict], width: int = 640, height: int = 220) -> dict | None:
    """SVG geometry of a price line (drawn by the template, coloured by CSS
    classes: no inline style under the site's CSP). Each point keeps its figure
    in a <title>."""
    from tinhso.dashboard.charts import nice_ceiling

    if not points:
        return None
    left, right, top, bottom = 64, 10, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high = min(p["price"] for p in points), max(p["price"] for p in points)
    floor = max(0, nice_ceiling(low * 0.9) // 2) if high != low else 0
    ceiling = max(nice_ceiling(high * 1.05), floor + 1)
    first, last = points[0]["day"], points[-1]["day"]
    span = max((last - first).days, 1)

    def x(day):
        return left + plot_w * ((day - first).days / span if len(points) > 1 else 0.5)

    def y(price):
        return top + plot_h - plot_h * (price - floor) / (ceiling - floor)

    marks = [{"x": round(x(p["day"]), 1), "y": round(y(p["price"]), 1),
              "title": f"{p['day']:%d/%m}: {money(p['price'])} đ"} for p in points]
    ticks = [{"y": round(y(floor + (ceiling - floor) * k / 4), 1), "label": money(floor + (ceiling - floor) * k // 4)}
             for k in range(5)]
    labels = [{"x": marks[i]["x"], "y": height - 8, "text": points[i]["day"].strftime("%d/%m")}
              for i in sorted({0, len(points) // 2, len(points) - 1})]
    return {"width": width, "height": height, "left": left, "right": width - right, "marks": marks,
            "points": " ".join(f"{m['x']},{m['y']}" for m in marks), "ticks": ticks, "labels": labels}


def money(value) -> str:
    return "—" if value is None else f"{int(value):,}".replace(",", ".")
