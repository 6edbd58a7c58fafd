"""/api/v1/reports/dti: the province's DTI self-assessment (Decision 922/QĐ-BTTTT) by year — the DTI, the main
indices and (for one year) every indicator with its points — as the pages /bao-cao/dti/ show it. Province-wide
dashboard roles only; figures from reports.dti. docs/api.md, docs/targets-and-reports.md."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.security import django_auth

from tinhso.core.api import ErrorOut
from tinhso.core.errors import NotFound
from tinhso.dashboard.access import require_province
from tinhso.reports import dti
from tinhso.reports.models import DtiAssessment

router = Router(tags=["Báo cáo"])


class DtiIndicatorOut(Schema):
    code: str
    name: str
    max_points: Decimal
    source: str  # entered | computed (how the indicator is scored)
    measure: str
    points: Decimal | None  # null: not scored yet
    measured: Decimal | None
    note: str
    entered_at: datetime.datetime | None


class DtiIndexOut(Schema):
    code: str
    name: str
    pillar: str
    max_points: Decimal | None  # null: shown, not scored (smart city in 2022)
    earned: Decimal
    value: Decimal | None  # earned / max_points, 0–1
    indicators: list[DtiIndicatorOut] | None = None


class DtiYearOut(Schema):
    year: int
    methodology: str
    decision: str
    total_points: int
    complete: bool
    dti: Decimal
    points: Decimal
    missing: int
    published_score: Decimal | None
    published_rank: int | None
    indices: list[DtiIndexOut]


def _year(r: dti.DtiResult, *, indicators: bool) -> dict:
    m, a = r.methodology, r.assessment
    return {"year": m.year, "methodology": m.name, "decision": m.decision, "total_points": m.total_points,
            "complete": m.complete, "dti": r.dti, "points": r.points, "missing": r.missing,
            "published_score": a.published_score, "published_rank": a.published_rank,
            "indices": [{"code": ir.index.code, "name": ir.index.name, "pillar": ir.index.pillar,
                         "max_points": ir.max_points, "earned": ir.earned, "value": ir.value,
                         "indicators": [{"code": i.code, "name": i.name, "max_points": i.max_points,
                                         "source": i.source, "measure": i.measure,
                                         "points": s.points if s else None, "measured": s.measured if s else None,
                                         "note": s.note if s else "", "entered_at": s.entered_at if s else None}
                                        for i, s in ir.indicators] if indicators else None}
                        for ir in r.indices]}


@router.get("/dti", auth=django_auth, response={200: list[DtiYearOut], 401: ErrorOut, 403: ErrorOut},
            summary="Tự đánh giá DTI qua các năm",
            description="Mỗi năm có bản tự đánh giá: chỉ số DTI (0–1), điểm trên tổng điểm, số chỉ số thành phần chưa "
                        "chấm, điểm và thứ hạng được công bố (nếu đã nhập), giá trị từng chỉ số chính (điểm đạt / "
                        "điểm tối đa). Số liệu toàn tỉnh.")
def dti_years(request):
    require_province(request.user)
    return [_year(dti.result(a), indicators=False)
            for a in DtiAssessment.objects.select_related("methodology").order_by("methodology__year")]


@router.get("/dti/{year}", auth=django_auth, response={200: DtiYearOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                       422: ErrorOut},
            summary="Tự đánh giá DTI của một năm",
            description="Như danh sách, kèm từng chỉ số thành phần: điểm tối đa, cách chấm (entered/computed), số "
                        "liệu hệ thống dùng để tính, điểm đạt (null: chưa chấm), ghi chú, minh chứng.")
def dti_year(request, year: int):
    require_province(request.user)
    assessment = DtiAssessment.objects.select_related("methodology").filter(methodology__year=year).first()
    if assessment is None:
        raise NotFound(_("Chưa có bản tự đánh giá DTI năm %(year)s.") % {"year": year})
    return _year(dti.result(assessment), indicators=True)
