"""The DTI computation as Decision 922/QĐ-BTTTT describes it:

- an indicator earns points (entered, or computed: `max_points × measured% / 100`,
  capped at `max_points`);
- each scored main index: value = points earned / its maximum points (0–1);
- DTI = Σ (index value × index maximum) / total points (1,000).

Indicators with no score earn 0 (and are listed as missing). Main indices
without maximum points (smart city in 2022) are shown but not scored."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from tinhso.reports.models import DtiAssessment, DtiIndex, DtiMethodology

Q2, Q4 = Decimal("0.01"), Decimal("0.0001")


def computed_points(max_points: Decimal, measured: Decimal | None) -> Decimal:
    """Points of a computed indicator: its share of the maximum, capped."""
    if measured is None:
        return Decimal(0)
    return min(max_points, max_points * Decimal(measured) / 100).quantize(Q2, ROUND_HALF_UP)


@dataclass
class IndexResult:
    index: DtiIndex
    earned: Decimal
    max_points: Decimal | None
    value: Decimal | None  # earned / max, 0–1; None when not scored
    indicators: list = field(default_factory=list)  # (indicator, score or None)

    @property
    def scored(self) -> bool:
        return self.max_points is not None and self.max_points > 0


@dataclass
class DtiResult:
    methodology: DtiMethodology
    assessment: DtiAssessment | None
    indices: list[IndexResult]
    dti: Decimal
    missing: int

    @property
    def points(self) -> Decimal:
        return (self.dti * self.methodology.total_points).quantize(Q2, ROUND_HALF_UP)


def result(assessment: DtiAssessment) -> DtiResult:
    """Two queries: the methodology's indices with their indicators, and the scores."""
    methodology = assessment.methodology
    scores = {s.indicator_id: s for s in assessment.scores.select_related("entered_by")}
    indices = list(methodology.indices.prefetch_related("indicators").order_by("order", "code"))
    out, total, missing = [], Decimal(0), 0
    for index in indices:
        rows = [(indicator, scores.get(indicator.pk)) for indicator in index.indicators.all()]
        earned = sum((s.points for _, s in rows if s is not None), Decimal(0))
        missing += sum(1 for _, s in rows if s is None)
        value = None
        if index.max_points:
            value = (earned / index.max_points).quantize(Q4, ROUND_HALF_UP)
            total += (earned / index.max_points) * index.max_points
        out.append(IndexResult(index, earned, index.max_points, value, rows))
    dti = (total / Decimal(methodology.total_points or 1000)).quantize(Q4, ROUND_HALF_UP)
    return DtiResult(methodology, assessment, out, dti, missing)


def index_value(earned, max_points) -> Decimal:
    return (Decimal(earned) / Decimal(max_points)).quantize(Q4, ROUND_HALF_UP)
