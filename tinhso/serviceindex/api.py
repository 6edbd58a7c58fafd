"""/api/v1/dashboard/service-index: the Decision 766 service index of a scope
and period, and the dossiers or procedures behind an indicator. Dashboard
roles only, scoped as the dashboard (tinhso/dashboard/access.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Query, Router, Schema
from ninja.security import django_auth

from tinhso.core.api import ErrorOut
from tinhso.core.errors import InvalidInput
from tinhso.dashboard.access import require_province, resolve_scope
from tinhso.serviceindex import drilldown, engine

router = Router(tags=["Bảng điều hành"])


class IndexQuery(Schema):
    scope: str | None = None
    period: str | None = None


class IndicatorOut(Schema):
    code: str
    name: str
    value: Decimal | None
    numerator: int
    denominator: int
    target: Decimal
    zero_at: Decimal | None = None  # lower is better: 0 points at or above this value (2.2)
    formula: str
    formula_key: str
    points: Decimal
    max_points: Decimal
    source: str
    weight_confirmed: bool
    note: str


class GroupOut(Schema):
    number: int
    name: str
    points: Decimal
    max_points: Decimal
    indicators: list[IndicatorOut]


class MethodologyOut(Schema):
    code: str
    name: str
    basis: str
    valid_from: datetime.date


class IndexOut(Schema):
    scope: dict
    period: dict
    methodology: MethodologyOut
    points: Decimal
    max_points: Decimal
    groups: list[GroupOut]


def scope_of(user, text: str | None):
    """`province` (or empty: the user's default scope) or an agency id."""
    text = (text or "").strip()
    if text in ("", "province"):
        return resolve_scope(user, None) if text == "" else require_province(user)
    if not (text.isascii() and text.isdecimal() and len(text) <= 15):
        raise InvalidInput("Phạm vi không hợp lệ: dùng province hoặc mã số cơ quan.", code="invalid_scope",
                           errors=[{"field": "scope", "message": "Phạm vi không hợp lệ."}])
    return resolve_scope(user, int(text))


def _scope_out(scope) -> dict:
    return {"agency_id": scope.agency.pk if scope.agency else None, "label": str(scope.label)}


@router.get("/service-index", auth=django_auth,
            response={200: IndexOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)",
            description="Năm nhóm chỉ số (công khai minh bạch 18, tiến độ 20, trực tuyến 22, số hóa 22, hài lòng 18), "
                        "mỗi chỉ số có giá trị (%), tử số, mẫu số, tỷ lệ đạt điểm tối đa, công thức, điểm và điểm tối "
                        "đa, nguồn (computed/entered/imported). `scope`: province hoặc mã số cơ quan (cơ quan giải "
                        "quyết và các đơn vị trực thuộc); bỏ trống là phạm vi mặc định của người dùng. `period`: "
                        "YYYY-MM, YYYY hoặc YYYY-MM:YYYY-MM (mặc định tháng này). Phương pháp áp dụng là phiên bản "
                        "có hiệu lực vào ngày cuối kỳ.")
def service_index(request, q: Query[IndexQuery]):
    scope = scope_of(request.user, q.scope)
    period = engine.parse_period(q.period)
    result = engine.compute(scope.agency, period)
    return {"scope": _scope_out(scope),
            "period": {"date_from": period.first_day, "date_to": period.last_day, "label": period.label},
            **result}


class DrillQuery(IndexQuery):
    kind: str = "missing"
    page: int = 1


class DrillRowOut(Schema):
    code: str
    name: str
    agency: str | None = None
    at: datetime.datetime | None = None
    due_at: datetime.datetime | None = None
    handled_at: datetime.datetime | None = None
    reason: str = ""


class DrillOut(Schema):
    indicator: str
    kind: str
    label: str
    count: int
    page: int
    pages: int
    rows: list[DrillRowOut]


PAGE_SIZE = 50


@router.get("/service-index/{code}/items", auth=django_auth,
            response={200: DrillOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="Hồ sơ, thủ tục phía sau một chỉ số",
            description="`kind=missing`: hồ sơ/thủ tục làm mất điểm (mẫu số trừ tử số), kèm lý do; `kind=counted`: "
                        "những gì được tính vào tử số. 50 dòng mỗi trang. Không có thông tin cá nhân.")
def items(request, code: str, q: Query[DrillQuery]):
    scope = scope_of(request.user, q.scope)
    period = engine.parse_period(q.period)
    indicator = drilldown.indicator_of(code, period)
    qs = drilldown.queryset(indicator, scope.agency, period, q.kind)
    count = qs.count()
    pages = max(1, -(-count // PAGE_SIZE))
    if not 1 <= q.page <= pages:
        raise InvalidInput("Trang không hợp lệ.", code="invalid_page",
                           errors=[{"field": "page", "message": f"Từ 1 đến {pages}."}])
    start = (q.page - 1) * PAGE_SIZE
    return {"indicator": indicator.code, "kind": q.kind, "label": drilldown.label(indicator, q.kind), "count": count,
            "page": q.page, "pages": pages,
            "rows": drilldown.rows_for(indicator, qs[start:start + PAGE_SIZE], q.kind)}
