"""Writing satisfaction evaluations. One function per change; the view and any
future API call these and turn domain errors into form errors."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from tinhso.audit.actions import record
from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.dossiers.models import Dossier, Status
from tinhso.evaluations.models import OVERALL_CODE, Criterion, CriterionRating, Evaluation, Rating

MAX_COMMENT = 2000


def can_evaluate(user, dossier: Dossier) -> bool:
    """The dossier's own citizen, once its result was returned, if not done yet."""
    return (is_owner(user, dossier) and dossier.status == Status.RETURNED
            and not Evaluation.objects.filter(dossier_id=dossier.pk).exists())


def is_owner(user, dossier: Dossier) -> bool:
    return (getattr(user, "is_authenticated", False) and dossier.citizen_id is not None
            and dossier.citizen_id == user.pk)


def criteria_on(day=None) -> list[Criterion]:
    return list(Criterion.objects.effective(day or timezone.localdate()).order_by("order", "code"))


def _check_ratings(overall: str, ratings: dict, criteria: list[Criterion]) -> dict[str, str]:
    """Every criterion in force rated with one of the three values; the
    `overall` criterion, when in force, may be left out and then takes the
    overall rating (the form asks that question once)."""
    valid = set(Rating.values)
    errors = []
    if overall not in valid:
        errors.append({"field": "overall", "message": "Vui lòng chọn mức độ hài lòng chung."})
    ratings = {str(k): (v or "") for k, v in (ratings or {}).items()}
    known = {c.code for c in criteria}
    for code in sorted(set(ratings) - known):
        errors.append({"field": f"ratings.{code}", "message": f"Tiêu chí “{code}” không có trong phiếu đánh giá."})
    out = {}
    for criterion in criteria:
        value = ratings.get(criterion.code, "")
        if criterion.code == OVERALL_CODE:
            if not value:
                value = overall
            elif value != overall and overall in valid and value in valid:
                errors.append({"field": f"ratings.{criterion.code}",
                               "message": "Đánh giá chung phải trùng với mức độ hài lòng chung."})
                continue
            if value not in valid:
                continue  # reported on `overall`
        if value not in valid:
            errors.append({"field": f"ratings.{criterion.code}",
                           "message": f"Vui lòng chọn mức độ hài lòng cho tiêu chí “{criterion.label}”."})
            continue
        out[criterion.code] = value
    if errors:
        raise InvalidInput("Phiếu đánh giá chưa đầy đủ hoặc không hợp lệ.", code="invalid_evaluation", errors=errors)
    return out


@transaction.atomic
def submit_evaluation(*, acting_user, dossier: Dossier, overall: str, ratings: dict, comment: str = "",
                      at=None) -> Evaluation:
    """Đánh giá mức độ hài lòng: only the dossier's citizen, only after the
    result was returned (status 10), only once, every criterion in force
    rated. Audited in the same transaction."""
    at = at or timezone.now()
    locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    if not is_owner(acting_user, locked):
        raise PermissionDenied("Chỉ chủ hồ sơ mới được đánh giá mức độ hài lòng đối với hồ sơ này.")
    if locked.status != Status.RETURNED:
        raise InvalidInput("Chỉ đánh giá được sau khi hồ sơ đã được trả kết quả.", code="not_returned")
    if Evaluation.objects.filter(dossier_id=locked.pk).exists():
        raise Conflict("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần.", code="already_evaluated")
    comment = (comment or "").strip()
    criteria = criteria_on(timezone.localdate(at))
    checked = _check_ratings(overall, ratings, criteria)
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(errors=[{"field": "comment",
                                    "message": f"Ý kiến tối đa {MAX_COMMENT} ký tự (hiện có {len(comment)})."}])
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(dossier=locked, citizen=acting_user, overall=overall,
                                                   comment=comment, created_at=at)
    except IntegrityError:
        raise Conflict("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần.",
                       code="already_evaluated") from None
    by_code = {c.code: c for c in criteria}
    CriterionRating.objects.bulk_create([CriterionRating(evaluation=evaluation, criterion=by_code[code], rating=value)
                                         for code, value in checked.items()])
    record(actor=acting_user, action="evaluations.submit", obj=evaluation,
           changes={"dossier": locked.code, "overall": overall, "ratings": checked,
                    "comment_length": len(comment)})
    return evaluation
