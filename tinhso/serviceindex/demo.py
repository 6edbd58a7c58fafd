"""The demo's service index: snapshots of the past 12 months for the province and a published score entered for
the last two of them (a little below Tỉnh Số's own, as the national portal lags), so the page shows a trend and a
comparison. Idempotent: existing snapshots and published scores are kept, except snapshots taken before the
latest generated province-year (`seed_demo` runs before `province_year.ensure`, so the command calls this again
after generating)."""

from __future__ import annotations

from decimal import Decimal

from tinhso.serviceindex.actions import enter_published_score
from tinhso.serviceindex.models import PublishedScore, Snapshot
from tinhso.serviceindex.snapshots import backfill, previous_months

LAG = {1: Decimal("0.50"), 2: Decimal("1.25"), 3: Decimal("0.80"), 4: Decimal("2.10"), 5: Decimal("0")}


def seed_service_index() -> None:
    from tinhso.demo.models import ProvinceYearGeneration
    from tinhso.serviceindex.models import Indicator, IndicatorGroup, Methodology
    from tinhso.serviceindex.seed import install

    install(Methodology, IndicatorGroup, Indicator)  # normally done by migration 0002; a flushed database lacks it
    months = previous_months(12)
    generation = ProvinceYearGeneration.objects.order_by("-created_at").first()
    if generation is not None:
        stale = Snapshot.objects.filter(scope="province", taken_at__lt=generation.created_at)
        PublishedScore.objects.filter(scope="province", month__in=stale.values("month"),
                                      basis__endswith="(số liệu mẫu của bản demo)").delete()
        stale.delete()
    backfill(months, all_agencies=False)
    for snap in Snapshot.objects.filter(scope="province", month__in=months[-2:]):
        if PublishedScore.objects.filter(scope="province", month=snap.month).exists():
            continue
        groups = {str(g["number"]): max(Decimal("0"), Decimal(g["points"]) - LAG[g["number"]])
                  for g in snap.data["groups"]}
        enter_published_score(acting_user=None, agency=None, month=snap.month, points=sum(groups.values()),
                              group_points=groups, basis="Cổng Dịch vụ công quốc gia (số liệu mẫu của bản demo)")
