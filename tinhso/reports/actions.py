"""Changes to the DTI methodology and self-assessments. One function per
change: atomic, permission-checked, audited. `acting_user=None` (the system)
is accepted only from the demo seeding."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import record
from tinhso.core.errors import Conflict, InvalidInput, NotFound
from tinhso.reports.dti import computed_points
from tinhso.reports.models import (DtiAssessment, DtiIndex, DtiIndicator, DtiMethodology, DtiScore, Source)

METHOD_ROLES = (Role.SYSTEM_ADMIN,)  # edits the methodology
SCORE_ROLES = (Role.SYSTEM_ADMIN, Role.OPERATIONS_CENTRE)  # enters and computes the self-assessment


def _check(acting_user, roles):
    if acting_user is not None:
        require_role(acting_user, roles)


def _points(raw, field="points") -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", ".")).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        value = None
    if value is None or not value.is_finite() or value < 0 or value > 10000:
        raise InvalidInput("Điểm là một số không âm.", code="invalid_points",
                           errors=[{"field": field, "message": "Điểm là một số không âm."}])
    return value


def _year(raw) -> int:
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise InvalidInput("Năm đánh giá phải từ 2000 đến 2100.", code="invalid_year",
                           errors=[{"field": "year", "message": "Năm không hợp lệ."}])
    return year


@transaction.atomic
def copy_methodology(*, acting_user, source: DtiMethodology, year) -> DtiMethodology:
    """A new version for `year`, starting as a copy of `source` (then edited)."""
    _check(acting_user, METHOD_ROLES)
    year = _year(year)
    if DtiMethodology.objects.filter(year=year).exists():
        raise Conflict(f"Đã có bộ chỉ số DTI năm {year}.", code="dti_methodology_exists")
    new = DtiMethodology.objects.create(year=year, name=source.name.replace(str(source.year), str(year)),
                                        decision=source.decision, total_points=source.total_points,
                                        complete=False, note=source.note)
    for index in source.indices.prefetch_related("indicators"):
        copy = DtiIndex.objects.create(methodology=new, code=index.code, name=index.name, pillar=index.pillar,
                                       max_points=index.max_points, order=index.order)
        DtiIndicator.objects.bulk_create([
            DtiIndicator(index=copy, code=i.code, name=i.name, max_points=i.max_points, source=i.source,
                         measure=i.measure, order=i.order) for i in index.indicators.all()])
    record(actor=acting_user, action="reports.dti.methodology_copied", obj=new,
           changes={"from_year": source.year, "year": year})
    return new


def _clean_indicator(index: DtiIndex, values: dict, exclude_pk=None) -> dict:
    from tinhso.dashboard.live import MEASURES

    errors = []
    code = (values.get("code") or "").strip()
    if not code or len(code) > 20:
        errors.append({"field": "code", "message": "Nhập mã chỉ số (tối đa 20 ký tự), ví dụ 7.5."})
    elif index.indicators.filter(code=code).exclude(pk=exclude_pk).exists():
        errors.append({"field": "code", "message": f"Chỉ số chính {index.code} đã có chỉ số mã {code}."})
    name = (values.get("name") or "").strip()
    if not name or len(name) > 500:
        errors.append({"field": "name", "message": "Nhập tên chỉ số (tối đa 500 ký tự)."})
    measure = (values.get("measure") or "").strip()
    if measure and measure not in MEASURES:
        errors.append({"field": "measure", "message": "Chọn số liệu hệ thống trong danh sách."})
    try:
        max_points = _points(values.get("max_points"), "max_points")
    except InvalidInput as exc:
        errors += exc.errors
        max_points = None
    if max_points is not None and index.max_points is None:
        errors.append({"field": "max_points", "message": "Chỉ số chính này không tính điểm."})
    elif max_points is not None:
        used = index.indicators.exclude(pk=exclude_pk).aggregate(s=Sum("max_points"))["s"] or Decimal(0)
        if used + max_points > index.max_points:
            errors.append({"field": "max_points",
                           "message": f"Tổng điểm tối đa các chỉ số thành phần ({used + max_points:g}) vượt điểm "
                                      f"tối đa của chỉ số chính {index.code} ({index.max_points:g})."})
    if errors:
        raise InvalidInput("Chỉ số thành phần chưa hợp lệ.", code="invalid_dti_indicator", errors=errors)
    return {"code": code, "name": name, "max_points": max_points, "measure": measure,
            "source": Source.COMPUTED if measure else Source.ENTERED}


@transaction.atomic
def add_indicator(*, acting_user, index: DtiIndex, **values) -> DtiIndicator:
    _check(acting_user, METHOD_ROLES)
    cleaned = _clean_indicator(index, values)
    order = (index.indicators.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    row = DtiIndicator.objects.create(index=index, order=order, **cleaned)
    record(actor=acting_user, action="reports.dti.indicator_added", obj=row,
           changes={**cleaned, "max_points": str(cleaned["max_points"]), "year": index.methodology.year,
                    "index": index.code})
    return row


@transaction.atomic
def update_indicator(*, acting_user, indicator: DtiIndicator, **values) -> DtiIndicator:
    """Correct an indicator's code, name, maximum points or platform figure.
    Refused when a score already entered is above the new maximum."""
    _check(acting_user, METHOD_ROLES)
    locked = DtiIndicator.objects.select_for_update().select_related("index").get(pk=indicator.pk)
    merged = {"code": locked.code, "name": locked.name, "max_points": locked.max_points,
              "measure": locked.measure, **values}
    cleaned = _clean_indicator(locked.index, merged, exclude_pk=locked.pk)
    if locked.scores.filter(points__gt=cleaned["max_points"]).exists():
        raise InvalidInput("Đã có bản tự đánh giá chấm điểm cao hơn điểm tối đa mới; sửa điểm đó trước.",
                           code="dti_points_above_max",
                           errors=[{"field": "max_points", "message": "Thấp hơn điểm đã chấm."}])
    changes = {k: [str(getattr(locked, k)), str(v)] for k, v in cleaned.items() if getattr(locked, k) != v}
    if not changes:
        return locked
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    record(actor=acting_user, action="reports.dti.indicator_updated", obj=locked,
           changes={**changes, "year": locked.index.methodology.year})
    return locked


@transaction.atomic
def create_assessment(*, acting_user, year) -> DtiAssessment:
    _check(acting_user, SCORE_ROLES)
    year = _year(year)
    methodology = DtiMethodology.objects.filter(year=year).first()
    if methodology is None:
        raise NotFound(f"Chưa có bộ chỉ số DTI năm {year}: quản trị hệ thống tạo bộ chỉ số trước.",
                       code="dti_methodology_missing")
    if DtiAssessment.objects.filter(methodology=methodology).exists():
        raise Conflict(f"Đã có bản tự đánh giá DTI năm {year}.", code="dti_assessment_exists")
    row = DtiAssessment.objects.create(methodology=methodology,
                                       created_by=acting_user if getattr(acting_user, "pk", None) else None)
    record(actor=acting_user, action="reports.dti.assessment_created", obj=row, changes={"year": year})
    return row


@transaction.atomic
def enter_score(*, acting_user, assessment: DtiAssessment, indicator: DtiIndicator, points, note: str = "",
                at: datetime.datetime | None = None) -> DtiScore:
    """Điểm của một chỉ số nhập tay: 0 ≤ điểm ≤ điểm tối đa; a computed
    indicator is refused (its points come from compute_scores)."""
    _check(acting_user, SCORE_ROLES)
    if indicator.index.methodology_id != assessment.methodology_id:
        raise InvalidInput("Chỉ số không thuộc bộ chỉ số của năm đánh giá này.", code="dti_wrong_year")
    if indicator.source == Source.COMPUTED:
        raise Conflict("Chỉ số này do hệ thống tính từ dữ liệu; bấm “Tính lại” thay vì nhập.",
                       code="dti_indicator_computed")
    value = _points(points)
    if value > indicator.max_points:
        raise InvalidInput(f"Điểm tối đa của chỉ số {indicator.code} là {indicator.max_points:g}.",
                           code="invalid_points",
                           errors=[{"field": "points", "message": f"Tối đa {indicator.max_points:g} điểm."}])
    note = (note or "").strip()[:500]
    old = DtiScore.objects.select_for_update().filter(assessment=assessment, indicator=indicator).first()
    user = acting_user if getattr(acting_user, "pk", None) else None
    row, _ = DtiScore.objects.update_or_create(
        assessment=assessment, indicator=indicator,
        defaults={"points": value, "source": Source.ENTERED, "measured": None, "note": note, "entered_by": user,
                  "entered_at": at or timezone.now()})
    record(actor=acting_user, action="reports.dti.score_entered", obj=row,
           changes={"year": assessment.methodology.year, "indicator": indicator.code,
                    "points": [str(old.points) if old else None, str(value)], "note": note})
    return row


@transaction.atomic
def compute_scores(*, acting_user, assessment: DtiAssessment, at: datetime.datetime | None = None) -> int:
    """Set the points of every computed indicator from the platform's figure
    for the assessed year (1 January to 31 December, or to today while the
    year runs). Returns how many were set."""
    from tinhso.dashboard.live import MEASURES
    from tinhso.dashboard.queries import Period

    _check(acting_user, SCORE_ROLES)
    year = assessment.methodology.year
    today = timezone.localdate()
    if year > today.year:
        raise InvalidInput(f"Năm {year} chưa bắt đầu: chưa có số liệu để tính.", code="dti_future_year")
    period = Period.between(datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today))
    user = acting_user if getattr(acting_user, "pk", None) else None
    changes, n = {}, 0
    for indicator in DtiIndicator.objects.filter(index__methodology=assessment.methodology,
                                                 source=Source.COMPUTED).exclude(measure=""):
        if indicator.measure not in MEASURES:
            continue
        measured = MEASURES[indicator.measure][1](period)
        points = computed_points(indicator.max_points, measured)
        DtiScore.objects.update_or_create(
            assessment=assessment, indicator=indicator,
            defaults={"points": points, "source": Source.COMPUTED, "measured": measured,
                      "note": f"{MEASURES[indicator.measure][0]}: "
                              f"{'—' if measured is None else f'{measured}%'} ({period.label})",
                      "entered_by": user, "entered_at": at or timezone.now()})
        changes[indicator.code] = {"measured": None if measured is None else str(measured), "points": str(points)}
        n += 1
    record(actor=acting_user, action="reports.dti.scores_computed", obj=assessment,
           changes={"year": year, "indicators": changes})
    return n


@transaction.atomic
def set_published(*, acting_user, assessment: DtiAssessment, score=None, rank=None) -> DtiAssessment:
    """The score and rank the Ministry published, to compare with the self-assessment."""
    _check(acting_user, SCORE_ROLES)
    errors = []
    value = None
    if score not in (None, ""):
        try:
            value = Decimal(str(score).replace(",", ".")).quantize(Decimal("0.0001"))
        except (InvalidOperation, ValueError):
            value = None
        if value is None or not value.is_finite() or not Decimal(0) <= value <= Decimal(1):  # "nan" compares by raising
            errors.append({"field": "published_score", "message": "Giá trị DTI từ 0 đến 1, ví dụ 0,4843."})
    rank_value = None
    if rank not in (None, ""):
        try:
            rank_value = int(rank)
        except (TypeError, ValueError):
            rank_value = 0
        if not 1 <= rank_value <= 100:
            errors.append({"field": "published_rank", "message": "Xếp hạng từ 1 đến 100."})
    if errors:
        raise InvalidInput("Kết quả công bố chưa hợp lệ.", code="invalid_published", errors=errors)
    locked = DtiAssessment.objects.select_for_update().get(pk=assessment.pk)
    old = (locked.published_score, locked.published_rank)
    locked.published_score, locked.published_rank = value, rank_value
    locked.save(update_fields=["published_score", "published_rank"])
    record(actor=acting_user, action="reports.dti.published_set", obj=locked,
           changes={"published_score": [str(old[0]) if old[0] is not None else None,
                                        str(value) if value is not None else None],
                    "published_rank": [old[1], rank_value]})
    return locked
