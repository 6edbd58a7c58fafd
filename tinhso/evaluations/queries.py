"""Read-side helpers for dashboards and reports."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tinhso.evaluations.models import Criterion, CriterionRating, Evaluation, Rating


def _share(part: int, total: int) -> float | None:
    return round(part / total, 4) if total else None


def satisfaction_summary(dossiers: QuerySet) -> dict:
    """Counts of evaluations per overall rating over `dossiers` (any queryset
    of Dossier), and the satisfied share ((very satisfied + satisfied) /
    evaluations, 0..1; None when nothing was evaluated). One query.

    {"dossiers": 12, "evaluated": 4, "very_satisfied": 1, "satisfied": 2,
     "not_satisfied": 1, "satisfied_share": 0.75, "evaluated_share": 0.3333}"""
    counts = Evaluation.objects.filter(dossier__in=dossiers.values("pk")).aggregate(
        evaluated=Count("pk"), **{r: Count("pk", filter=Q(overall=r)) for r in Rating.values})
    total_dossiers = dossiers.count()
    satisfied = counts[Rating.VERY_SATISFIED] + counts[Rating.SATISFIED]
    return {"dossiers": total_dossiers, **counts,
            "satisfied_share": _share(satisfied, counts["evaluated"]),
            "evaluated_share": _share(counts["evaluated"], total_dossiers)}


def criteria_summary(dossiers: QuerySet) -> list[dict]:
    """Per criterion (in form order): counts per rating and the satisfied
    share, over the evaluations of `dossiers`."""
    rows = (CriterionRating.objects.filter(evaluation__dossier__in=dossiers.values("pk"))
            .values("criterion_id").annotate(total=Count("pk"),
                                             **{r: Count("pk", filter=Q(rating=r)) for r in Rating.values}))
    by_id = {row["criterion_id"]: row for row in rows}
    out = []
    for criterion in Criterion.objects.filter(pk__in=by_id).order_by("order", "code"):
        row = by_id[criterion.pk]
        out.append({"code": criterion.code, "label": criterion.label, "total": row["total"],
                    **{r: row[r] for r in Rating.values},
                    "satisfied_share": _share(row[Rating.VERY_SATISFIED] + row[Rating.SATISFIED], row["total"])})
    return out
