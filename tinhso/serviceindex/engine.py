"""The service index of a scope and period: the methodology in force, every
indicator's numerator and denominator, its value and points, the groups'
points and the total (docs/service-index.md).

Scoring: points = min(max_points, max_points × ratio / target), two decimals.
An indicator with nothing to count (denominator 0) or an entered indicator
with no entry for the period has no value and earns 0 points; the page says so.

A month is scored with the methodology in force on its last day; a period of
several months with the one in force on the period's last day, its counts
summed over the whole period (a ratio of sums, not an average of months)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DurationField, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.agencies.models import Agency
from tinhso.core.errors import InvalidInput, NotFound
from tinhso.dashboard.queries import ROW, Period
from tinhso.serviceindex.formulas import FORMULAS, Window, handled, received, resulted, rows
from tinhso.serviceindex.models import EnteredValue, Indicator, Methodology, Source, scope_key

TWO = Decimal("0.01")
MAX_MONTHS = 24


def methodology_for(day: datetime.date) -> Methodology:
    """The version in force on `day`: the latest `valid_from` on or before it."""
    found = Methodology.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if found is None:
        raise NotFound(_("Chưa có phương pháp đánh giá Bộ chỉ số áp dụng cho ngày %(day)s.")
                       % {"day": day.strftime("%d/%m/%Y")}, code="no_methodology")
    return found


def parse_period(text: str | None, today: datetime.date | None = None) -> Period:
    """`YYYY-MM` (a month), `YYYY` (a year) or `YYYY-MM:YYYY-MM` (whole months); empty: this month."""
    today = today or timezone.localdate()
    text = (text or "").strip()
    bad = InvalidInput(_("Kỳ không hợp lệ: dùng YYYY-MM (một tháng), YYYY (một năm) hoặc YYYY-MM:YYYY-MM."),
                       code="invalid_period", errors=[{"field": "period", "message": _("Kỳ không hợp lệ.")}])
    if not text:
        return _month(today.year, today.month)
    try:
        if ":" in text:
            first, last = text.split(":", 1)
            a, b = _month(*_ym(first)), _month(*_ym(last))
            period = Period.between(a.first_day, b.last_day)
            if len(period.months()) > MAX_MONTHS:
                raise InvalidInput(_("Kỳ dài tối đa %(n)s tháng.") % {"n": MAX_MONTHS}, code="invalid_period",
                                   errors=[{"field": "period", "message": _("Kỳ quá dài.")}])
            return period
        if len(text) == 4:
            return Period.year(int(text))
        return _month(*_ym(text))
    except InvalidInput as exc:
        if exc.code == "invalid_period":
            raise
        raise bad from exc
    except (ValueError, TypeError) as exc:
        raise bad from exc


def _ym(text: str) -> tuple[int, int]:
    year, month = text.strip().split("-")
    if len(year) != 4 or not 1 <= int(month) <= 12:
        raise ValueError(text)
    return int(year), int(month)


def _month(year: int, month: int) -> Period:
    first = datetime.date(year, month, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return Period.between(first, last)


def window(period: Period) -> Window:
    return Window(period.start, period.end)


def score(max_points: Decimal, ratio: Decimal | None, target: Decimal, zero_ratio: Decimal | None = None) -> Decimal:
    """min(max, max × ratio / target); where lower is better (`zero_ratio`): max at or below `target`, 0 at or
    above `zero_ratio`, linear between."""
    if ratio is None:
        return Decimal("0.00")
    if zero_ratio is not None:
        share = (zero_ratio - ratio) / (zero_ratio - target) if zero_ratio > target else Decimal(ratio <= target)
        return (max_points * min(Decimal("1"), max(Decimal("0"), share))).quantize(TWO, ROUND_HALF_UP)
    return min(max_points, max_points * ratio / target).quantize(TWO, ROUND_HALF_UP)


def hours(total: datetime.timedelta | None) -> int:
    """A sum of durations in whole hours (a time measure's numerator or denominator)."""
    if total is None:
        return 0
    return int((Decimal(total.days * 86400 + total.seconds) / 3600).quantize(Decimal("1"), ROUND_HALF_UP))


def counts(indicators, agency: Agency | None, period: Period) -> dict[str, tuple[int, int]]:
    """(numerator, denominator) per formula key used by `indicators`: one aggregate per table."""
    w = window(period)
    keys = {i.formula for i in indicators}
    out: dict[str, tuple[int, int]] = {}
    dossier_keys = [k for k in keys if FORMULAS[k].table == "dossier"]
    if dossier_keys:
        aggregates = {}
        for k in dossier_keys:
            f = FORMULAS[k]
            if f.durations is not None:  # sums of the actual and the allowed time
                actual, allowed = f.durations
                aggregates[f"{k}__n"] = Sum(actual(), filter=f.base(w), output_field=DurationField())
                aggregates[f"{k}__d"] = Sum(allowed(), filter=f.base(w), output_field=DurationField())
                continue
            aggregates[f"{k}__d"] = Count(ROW, filter=f.base(w))
            aggregates[f"{k}__n"] = Count(ROW, filter=f.base(w) & f.hit(w, agency))
        got = rows(FORMULAS[dossier_keys[0]], agency, w).filter(
            received(w) | handled(w) | resulted(w)).aggregate(**aggregates)
        out.update({k: (hours(got[f"{k}__n"]), hours(got[f"{k}__d"])) if FORMULAS[k].durations is not None
                    else (got[f"{k}__n"], got[f"{k}__d"]) for k in dossier_keys})
    for k in keys:
        f = FORMULAS[k]
        if f.table in ("evaluation", "procedure"):
            got = rows(f, agency, w).filter(f.base(w)).aggregate(d=Count("pk"), n=Count("pk", filter=f.hit(w, agency)))
            out[k] = (got["n"], got["d"])
    return out


def entered(codes: list[str], agency: Agency | None, period: Period) -> dict[str, tuple[int, int, int]]:
    """Entered values summed over the period's months: code -> (numerator, denominator, months entered)."""
    if not codes:
        return {}
    got = (EnteredValue.objects.filter(indicator_code__in=codes, scope=scope_key(agency),
                                       month__gte=period.first_day.replace(day=1), month__lte=period.last_day)
           .values("indicator_code").annotate(n=Sum("numerator"), d=Sum("denominator"), m=Count("pk")))
    return {r["indicator_code"]: (r["n"], r["d"], r["m"]) for r in got}


def compute(agency: Agency | None, period: Period, methodology: Methodology | None = None) -> dict:
    """The whole index of one scope and period (the structure of the API's answer)."""
    methodology = methodology or methodology_for(period.last_day)
    groups = list(methodology.groups.prefetch_related("indicators").order_by("number"))
    indicators = [i for g in groups for i in g.indicators.all()]
    computed = counts([i for i in indicators if i.source == Source.COMPUTED], agency, period)
    typed = entered([i.code for i in indicators if i.source != Source.COMPUTED], agency, period)
    months = len(period.months())
    out_groups, total, total_max = [], Decimal("0"), Decimal("0")
    for g in groups:
        items = []
        for i in g.indicators.all():
            items.append(_indicator(i, computed, typed, months))
        points = sum((x["points"] for x in items), Decimal("0"))
        out_groups.append({"number": g.number, "name": g.name, "points": points.quantize(TWO),
                           "max_points": g.max_points, "indicators": items})
        total += points
        total_max += g.max_points
    return {"methodology": {"code": methodology.code, "name": methodology.name, "basis": methodology.basis,
                            "valid_from": methodology.valid_from},
            "points": total.quantize(TWO), "max_points": total_max, "groups": out_groups}


def _indicator(i: Indicator, computed, typed, months: int) -> dict:
    note = ""
    if i.source == Source.COMPUTED:
        numerator, denominator = computed[i.formula]
    else:
        numerator, denominator, entered_months = typed.get(i.code, (0, 0, 0))
        if entered_months < months:
            note = _("Đã nhập %(n)s/%(m)s tháng.") % {"n": entered_months, "m": months}
    ratio = Decimal(numerator) / Decimal(denominator) if denominator else None
    if ratio is None and not note:
        note = _("Không có số liệu trong kỳ.")
    elif i.source == Source.COMPUTED and FORMULAS[i.formula].durations is not None:
        note = _("Tử số, mẫu số: tổng số giờ thực tế và theo quy định; càng thấp càng tốt.")
    return {"code": i.code, "name": i.name, "formula": i.formula_text, "formula_key": i.formula,
            "numerator": numerator, "denominator": denominator,
            "value": (ratio * 100).quantize(TWO, ROUND_HALF_UP) if ratio is not None else None,
            "target": (i.target * 100).quantize(TWO), "points": score(i.max_points, ratio, i.target, i.zero_ratio),
            "zero_at": (i.zero_ratio * 100).quantize(TWO) if i.zero_ratio is not None else None,
            "max_points": i.max_points, "source": i.source, "weight_confirmed": i.weight_confirmed, "note": note}


def monthly(agency: Agency | None, period: Period) -> list[dict]:
    """Per month of the period, each with its own methodology: [{month, points, max_points, groups}]."""
    out = []
    for first in period.months():
        result = compute(agency, _month(first.year, first.month))
        out.append({"month": first, "points": result["points"], "max_points": result["max_points"],
                    "groups": [{"number": g["number"], "points": g["points"]} for g in result["groups"]]})
    return out


__all__ = ["compute", "monthly", "methodology_for", "parse_period", "score", "Q"]
