"""The dashboard's figures. Each function is one aggregate query over
`dossiers_dossier` (see docs/dashboard.md for what every figure means and
docs/performance.md for the plan on 1,000,000 dossiers).

A dossier belongs to the scope of its competent agency (cơ quan có thẩm quyền
giải quyết): the agency answerable for resolving it on time, and the one the
national service index (Decision 766/QĐ-TTg) scores."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.agencies.models import Agency
from tinhso.core.errors import InvalidInput
from tinhso.dashboard.models import Indicator, KpiTarget
from tinhso.dossiers.models import Channel, Dossier, Outcome
from tinhso.dossiers.models.choices import IN_HAND_STATUSES
from tinhso.workcalendar.engine import TZ

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_DAYS = 366 * 5
MAX_MONTHS = 24  # the month table, beyond that: choose a shorter period

# What the counts count: a NOT NULL column of the covering index
# `dossier_dashboard_cover_idx`, so that PostgreSQL answers from the index
# alone (COUNT(id) would send it to the table; Django refuses COUNT(*) FILTER).
ROW = "competent_agency"

COUNTS = ("received", "received_online", "finished", "finished_early", "finished_on_time", "finished_late",
          "overdue_now")


@dataclass(frozen=True)
class Period:
    """[start, end) in the province's time zone, from whole days."""

    first_day: datetime.date
    last_day: datetime.date

    @property
    def start(self) -> datetime.datetime:
        return datetime.datetime.combine(self.first_day, datetime.time.min, tzinfo=TZ)

    @property
    def end(self) -> datetime.datetime:
        return datetime.datetime.combine(self.last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=TZ)

    @property
    def label(self) -> str:
        if self.first_day == datetime.date(self.first_day.year, 1, 1) and \
                self.last_day == datetime.date(self.first_day.year, 12, 31):
            return _("Năm %(year)s") % {"year": self.first_day.year}
        return f"{self.first_day:%d/%m/%Y} – {self.last_day:%d/%m/%Y}"

    def months(self) -> list[datetime.date]:
        out, day = [], self.first_day.replace(day=1)
        while day <= self.last_day:
            out.append(day)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return out

    @classmethod
    def year(cls, year: int) -> Period:
        if not MIN_YEAR <= int(year) <= MAX_YEAR:
            raise InvalidInput(_("Năm phải từ %(a)s đến %(b)s.") % {"a": MIN_YEAR, "b": MAX_YEAR},
                               errors=[{"field": "year", "message": _("Năm không hợp lệ.")}])
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def between(cls, first_day: datetime.date, last_day: datetime.date) -> Period:
        if last_day < first_day:
            raise InvalidInput(_("“Đến ngày” phải sau hoặc bằng “Từ ngày”."),
                               errors=[{"field": "date_to", "message": _("Đến ngày phải sau hoặc bằng từ ngày.")}])
        if (last_day - first_day).days >= MAX_DAYS or not (MIN_YEAR <= first_day.year and last_day.year <= MAX_YEAR):
            raise InvalidInput(_("Khoảng thời gian tối đa 5 năm, trong các năm %(a)s–%(b)s.")
                               % {"a": MIN_YEAR, "b": MAX_YEAR},
                               errors=[{"field": "date_from", "message": _("Khoảng thời gian không hợp lệ.")}])
        return cls(first_day, last_day)


def dossiers_of(agency: Agency | None):
    """Dossiers whose competent agency is `agency` or under it; all with None.

    The subtree is a sub-select on the agency's materialised path, so that the
    figures stay ONE statement. With the covering index every plan PostgreSQL
    picks for it reads index entries only: a nested loop of index-only range
    scans for a commune, a hash join over the whole index for the province
    (even with stale statistics on the small agency table, the nested loop
    over every agency stays an index-only read; see docs/dashboard.md)."""
    if agency is None:
        return Dossier.objects.all()
    return Dossier.objects.filter(competent_agency__in=Agency.objects.filter(path__startswith=agency.path)
                                  .values("pk"))


def _conditions(period: Period, now: datetime.datetime) -> dict[str, Q]:
    received = Q(received_at__gte=period.start, received_at__lt=period.end)
    finished = Q(handled_at__gte=period.start, handled_at__lt=period.end)
    return {
        "received": received,
        "received_online": received & Q(channel=Channel.ONLINE),
        "finished": finished,
        "finished_early": finished & Q(outcome=Outcome.EARLY),
        "finished_on_time": finished & Q(outcome=Outcome.ON_TIME),
        "finished_late": finished & Q(outcome=Outcome.LATE),
        # Only while the clock runs (2, 4); see docs/dashboard.md for paused dossiers.
        "overdue_now": Q(status__in=IN_HAND_STATUSES, due_at__lt=now),
    }


def _where(conditions: dict[str, Q]) -> Q:
    return conditions["received"] | conditions["finished"] | conditions["overdue_now"]


def _rate(part: int, whole: int) -> Decimal | None:
    """A percentage with two decimals; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def with_rates(counts: dict) -> dict:
    out = {name: int(counts.get(name) or 0) for name in COUNTS}
    out["online_share"] = _rate(out["received_online"], out["received"])
    out["on_time_rate"] = _rate(out["finished_early"] + out["finished_on_time"], out["finished"])
    return out


def summary(agency: Agency | None, period: Period, now: datetime.datetime | None = None) -> dict:
    """The dashboard's figures for a scope and period, in ONE aggregate query:
    received, received online, finished (early / on time / late) in the
    period, dossiers overdue now, and the two rates."""
    conditions = _conditions(period, now or timezone.now())
    counts = dossiers_of(agency).filter(_where(conditions)).aggregate(
        **{name: Count(ROW, filter=condition) for name, condition in conditions.items()})
    return with_rates(counts)


def by_month(agency: Agency | None, period: Period) -> list[dict] | None:
    """Per calendar month of the period: received and online (by month of
    reception), finished, in time and late (by month of the result). One
    aggregate query with a filtered count per month and figure (a GROUP BY on
    the truncated month made PostgreSQL expect ~750,000 groups and spill to
    disk: 1.1 s on a million dossiers). None when the period has more than
    MAX_MONTHS months."""
    months = period.months()
    if len(months) > MAX_MONTHS:
        return None
    in_time = (Outcome.EARLY, Outcome.ON_TIME)
    aggregates = {}
    for i, month in enumerate(months):
        start = max(period.start, datetime.datetime.combine(month, datetime.time.min, tzinfo=TZ))
        end = min(period.end, datetime.datetime.combine((month + datetime.timedelta(days=32)).replace(day=1),
                                                        datetime.time.min, tzinfo=TZ))
        received = Q(received_at__gte=start, received_at__lt=end)
        finished = Q(handled_at__gte=start, handled_at__lt=end)
        aggregates[f"received_{i}"] = Count(ROW, filter=received)
        aggregates[f"received_online_{i}"] = Count(ROW, filter=received & Q(channel=Channel.ONLINE))
        aggregates[f"finished_{i}"] = Count(ROW, filter=finished)
        aggregates[f"finished_in_time_{i}"] = Count(ROW, filter=finished & Q(outcome__in=in_time))
        aggregates[f"finished_late_{i}"] = Count(ROW, filter=finished & Q(outcome=Outcome.LATE))
    where = (Q(received_at__gte=period.start, received_at__lt=period.end)
             | Q(handled_at__gte=period.start, handled_at__lt=period.end))
    counts = dossiers_of(agency).filter(where).aggregate(**aggregates)
    out = []
    for i, month in enumerate(months):
        row = {"month": month}
        for name in ("received", "received_online", "finished", "finished_in_time", "finished_late"):
            row[name] = int(counts[f"{name}_{i}"] or 0)
        row["online_share"] = _rate(row["received_online"], row["received"])
        row["on_time_rate"] = _rate(row["finished_in_time"], row["finished"])
        out.append(row)
    return out


def by_agency(agency: Agency | None, period: Period, now: datetime.datetime | None = None,
              limit: int = 20) -> list[dict]:
    """The same figures per competent agency of the scope, those with the
    most dossiers overdue now first, then the lowest on-time rate."""
    conditions = _conditions(period, now or timezone.now())
    rows = (dossiers_of(agency).filter(_where(conditions)).values("competent_agency")
            .annotate(**{name: Count(ROW, filter=condition) for name, condition in conditions.items()})
            .order_by())
    names = dict(Agency.objects.filter(pk__in=[r["competent_agency"] for r in rows])
                 .values_list("pk", "name"))
    out = [{"agency_id": r["competent_agency"], "agency": names.get(r["competent_agency"], ""), **with_rates(r)}
           for r in rows]
    out.sort(key=lambda r: (-r["overdue_now"], r["on_time_rate"] if r["on_time_rate"] is not None else 101,
                            r["agency"]))
    return out[:limit]


def targets_for(agency: Agency | None, day: datetime.date) -> dict[str, KpiTarget]:
    """The target of each indicator in force on `day` for the scope: the
    agency's own, else its nearest ancestor's, else the province's."""
    chain: list[int | None] = [None]
    if agency is not None:
        chain += [int(p) for p in agency.path.strip("/").split("/") if p]
    rank = {pk: i for i, pk in enumerate(chain)}
    candidates = KpiTarget.objects.effective(day).filter(Q(agency__isnull=True) | Q(agency_id__in=chain[1:]))
    best: dict[str, KpiTarget] = {}
    for target in candidates.order_by("valid_from", "id"):
        current = best.get(target.indicator)
        if current is None or rank[target.agency_id] >= rank[current.agency_id]:
            best[target.indicator] = target
    return best


def against_targets(figures: dict, targets: dict[str, KpiTarget]) -> list[dict]:
    """One row per indicator: the value, its target and whether it is met
    (None when either is missing)."""
    out = []
    for indicator in Indicator:
        value = figures.get(indicator.value)
        target = targets.get(indicator.value)
        out.append({"indicator": indicator.value, "label": indicator.label, "value": value,
                    "target": target.target if target is not None else None,
                    "met": (value >= target.target) if (value is not None and target is not None) else None,
                    "target_id": target.pk if target is not None else None,
                    "verified": target.verified if target is not None else None})
    return out


def reference_day(period: Period) -> datetime.date:
    """The day whose targets apply: the period's last day, or today while the
    period is still running."""
    return min(period.last_day, timezone.localdate())
