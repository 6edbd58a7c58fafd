"""Demo market prices of Cần Thơ: Chợ Cái Răng and Chợ Tân An published by
the Department of Industry and Trade, Chợ Xuân Khánh by Phường Ninh Kiều;
30 days of prices of key goods moving a little from day to day (a seeded
walk, so the demo is the same each time). Prices are SAMPLES near late-2025
levels. Idempotent: nothing is added once the first market is there."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from tinhso.agencies.models import Agency
from tinhso.marketprices import actions, importer
from tinhso.marketprices.models import Market
from tinhso.units.models import AdministrativeUnit

# (name, commune code, publishing agency code)
MARKETS = [("Chợ Cái Răng", "31186", "000.00.16.H13"), ("Chợ Tân An", "31135", "000.00.16.H13"),
           ("Chợ Xuân Khánh", "31135", "000.31135.H13")]
# (name, unit, group, price around, daily step)
GOODS = [
    ("Lúa IR50404", "kg", "rice", 5800, 100), ("Gạo ST25", "kg", "rice", 30000, 500),
    ("Heo hơi", "kg", "livestock", 62000, 1000), ("Gà ta", "kg", "livestock", 95000, 2000),
    ("Cá tra", "kg", "seafood", 29000, 500), ("Tôm thẻ (60 con/kg)", "kg", "seafood", 135000, 3000),
    ("Xoài cát Hòa Lộc", "kg", "fruit", 55000, 2000), ("Bưởi Năm Roi", "kg", "fruit", 25000, 1000),
    ("Rau muống", "kg", "vegetables", 14000, 1000), ("Trứng gà", "chục", "essentials", 32000, 1000),
]
DAYS = 30


def seed_market_prices() -> bool:
    agencies = {a.code: a for a in Agency.objects.filter(code__in={m[2] for m in MARKETS})}
    if len(agencies) < 2 or Market.objects.filter(name=MARKETS[0][0]).exists():
        return False
    units = {u.code: u for u in AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True,
                                                                   code__in={m[1] for m in MARKETS})}
    today = timezone.localdate()
    rng = random.Random(92)
    with transaction.atomic():
        for name, commune, agency in MARKETS:
            actions.create_market(acting_user=None, name=name, unit_id=units[commune].pk,
                                  agency_id=agencies[agency].pk)
        for name, unit, group, _price, _step in GOODS:
            actions.create_good(acting_user=None, name=name, unit=unit, group=group)
        rows = []
        for m_index, (market, _commune, _agency) in enumerate(MARKETS):
            for name, _unit, _group, price, step in GOODS:
                level = price + step * (m_index - 1)
                for back in range(DAYS - 1, -1, -1):
                    level = max(step, level + step * rng.choice((-1, 0, 0, 1)))
                    if back % 7 == 6 and m_index == 2:
                        continue  # the commune market is not surveyed every day
                    rows.append({"row": len(rows) + 2, "day": today - datetime.timedelta(days=back),
                                 "market": market, "good": name, "price": level, "note": ""})
        importer.publish_rows(acting_user=None, rows=rows, source="demo")
    return True
