"""Satisfaction evaluation over the API (/api/v1/evaluations), as the portal
page: the criteria in force (public), and the citizen's one evaluation of a
returned dossier of theirs (tinhso/evaluations/actions.py)."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.security import django_auth

from tinhso.core.api import ErrorOut
from tinhso.core.errors import NotFound
from tinhso.dossiers.models import Dossier
from tinhso.evaluations import actions
from tinhso.evaluations.models import Rating

router = Router(tags=["Đánh giá mức độ hài lòng"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CriterionOut(Schema):
    code: str
    label: str


class EvaluationIn(Schema):
    overall: Rating
    ratings: dict[str, Rating] = Field(..., description="Mức độ cho từng tiêu chí đang áp dụng, theo mã tiêu chí")
    comment: str = Field("", max_length=2000)


class EvaluationOut(Schema):
    dossier_code: str
    overall: str
    created_at: datetime.datetime


@router.get("/criteria", response=list[CriterionOut], summary="Các tiêu chí đánh giá đang áp dụng")
def criteria(request):
    return [{"code": c.code, "label": c.label} for c in actions.criteria_on()]


@router.post("/{code}", auth=django_auth, response={201: EvaluationOut, **ERRORS},
             summary="Đánh giá hồ sơ của tôi", description="Chỉ chủ hồ sơ, sau khi đã trả kết quả, một lần.")
def evaluate(request, code: str, payload: EvaluationIn):
    dossier = get_object_or_404(Dossier, code=code.strip().upper())
    if not actions.is_owner(request.user, dossier):  # another's dossier is not revealed to exist
        raise NotFound("Không tìm thấy hồ sơ của bạn mang mã này.")
    evaluation = actions.submit_evaluation(acting_user=request.user, dossier=dossier, overall=payload.overall.value,
                                           ratings={k: v.value for k, v in payload.ratings.items()},
                                           comment=payload.comment)
    return 201, {"dossier_code": dossier.code, "overall": evaluation.overall, "created_at": evaluation.created_at}
