"""Dashboard API (/api/v1/dashboard): aggregate figures for a scope and
period. Staff with a dashboard role only (see access.py); aggregates only,
no personal data. See docs/dashboard.md."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.security import django_auth

from tinhso.core.api import ErrorOut
from tinhso.core.errors import InvalidInput
from tinhso.dashboard import queries
from tinhso.dashboard.access import resolve_scope

router = Router(tags=["Bảng điều hành"])


class SummaryQuery(Schema):
    year: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    agency: int | None = None


class ScopeOut(Schema):
    agency_id: int | None
    agency_code: str | None
    label: str


class PeriodOut(Schema):
    date_from: datetime.date
    date_to: datetime.date
    label: str


class FiguresOut(Schema):
    received: int
    received_online: int
    finished: int
    finished_early: int
    finished_on_time: int
    finished_late: int
    overdue_now: int
    online_share: Decimal | None
    on_time_rate: Decimal | None


class TargetOut(Schema):
    indicator: str
    label: str
    value: Decimal | None
    target: Decimal | None
    met: bool | None
    verified: bool | None


class SummaryOut(Schema):
    scope: ScopeOut
    period: PeriodOut
    at: datetime.datetime
    figures: FiguresOut
    targets: list[TargetOut]


def _period(q: SummaryQuery) -> queries.Period:
    if q.date_from or q.date_to:
        if not (q.date_from and q.date_to):
            raise InvalidInput("Cần cả date_from và date_to, hoặc dùng year.",
                               errors=[{"field": "date_to" if q.date_from else "date_from",
                                        "message": "Trường này là bắt buộc khi lọc theo khoảng ngày."}])
        if q.year is not None:
            raise InvalidInput("Chỉ dùng year hoặc khoảng ngày date_from/date_to, không dùng cả hai.",
                               errors=[{"field": "year", "message": "Không dùng cùng khoảng ngày."}])
        return queries.Period.between(q.date_from, q.date_to)
    return queries.Period.year(q.year if q.year is not None else timezone.localdate().year)


@router.get("/summary", auth=django_auth,
            response={200: SummaryOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="Chỉ số tổng hợp của tỉnh hoặc một cơ quan",
            description="Số hồ sơ tiếp nhận, tỷ lệ trực tuyến, số giải quyết (trước hạn, đúng hạn, quá hạn) và tỷ lệ "
                        "đúng hạn trong kỳ (`year`, mặc định năm nay, hoặc `date_from`–`date_to`), số hồ sơ đang quá "
                        "hạn lúc này, và chỉ tiêu đang áp dụng. `agency`: một cơ quan và các đơn vị trực thuộc "
                        "(theo cơ quan giải quyết); bỏ trống là toàn tỉnh (lãnh đạo UBND tỉnh, trung tâm điều hành, "
                        "quản trị) hoặc cơ quan của người dùng. Ngoài phạm vi trả 403. Tỷ lệ là phần trăm, null "
                        "khi không có hồ sơ.")
def summary(request, q: Query[SummaryQuery]):
    scope = resolve_scope(request.user, q.agency)
    period = _period(q)
    now = timezone.now()
    figures = queries.summary(scope.agency, period, now=now)
    targets = queries.against_targets(figures, queries.targets_for(scope.agency, queries.reference_day(period)))
    return {
        "scope": {"agency_id": scope.agency.pk if scope.agency else None,
                  "agency_code": scope.agency.code if scope.agency else None, "label": str(scope.label)},
        "period": {"date_from": period.first_day, "date_to": period.last_day, "label": period.label},
        "at": now,
        "figures": figures,
        "targets": [{**t, "label": str(t["label"])} for t in targets],
    }


class KsttRowOut(Schema):
    level: str
    level_label: str
    field_code: str
    field_name: str
    received: int
    carried_over: int
    new: int
    online: int
    handled: int
    early: int
    on_time: int
    late: int
    in_progress: int
    in_progress_in_time: int
    in_progress_overdue: int
    withdrawn: int


class KsttOut(Schema):
    form: str
    title: str
    scope: ScopeOut
    period: PeriodOut
    rows: list[KsttRowOut]
    by_level: dict[str, dict[str, int]]
    totals: dict[str, int]


class KsttQuery(SummaryQuery):
    quarter: int | None = None
    format: Literal["json", "xlsx", "pdf"] = "json"


@router.get("/kstt", auth=django_auth,
            response={200: KsttOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="Báo cáo tình hình, kết quả giải quyết TTHC (mẫu 06/VPCP/KSTT)",
            description="Theo lĩnh vực và cấp của cơ quan giải quyết: tiếp nhận (kỳ trước chuyển qua, mới, trực tuyến), "
                        "đã giải quyết (trước hạn, đúng hạn, quá hạn so với hẹn trả ban đầu), đang giải quyết cuối kỳ "
                        "(trong hạn, quá hạn), rút hoặc dừng không tính giải quyết. Kỳ như `/summary`, hoặc `year` và `quarter` "
                        "(1–4); `format=xlsx|pdf` trả tệp. Không có thông tin cá nhân.")
def kstt_report(request, q: Query[KsttQuery]):
    from django.http import HttpResponse

    from tinhso.dashboard import kstt

    scope = resolve_scope(request.user, q.agency)
    if q.quarter is not None:
        if q.year is None or q.date_from or q.date_to:
            raise InvalidInput("Báo cáo quý cần năm (year) và không dùng cùng khoảng ngày.",
                               errors=[{"field": "quarter", "message": "Cần year, không dùng date_from/date_to."}])
        period = kstt.quarter_period(q.year, q.quarter)
    else:
        period = _period(q)
    data = kstt.report(scope.agency, period)
    if q.format != "json":
        body = (kstt.xlsx if q.format == "xlsx" else kstt.pdf)(data, scope_label=str(scope.label))
        ctype = ("application/pdf" if q.format == "pdf"
                 else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response = HttpResponse(body, content_type=ctype)
        response["Content-Disposition"] = f'attachment; filename="bao-cao-kstt.{q.format}"'
        return response
    return {"form": data["form"], "title": data["title"],
            "scope": {"agency_id": scope.agency.pk if scope.agency else None,
                      "agency_code": scope.agency.code if scope.agency else None, "label": str(scope.label)},
            "period": {"date_from": period.first_day, "date_to": period.last_day, "label": period.label},
            "rows": data["rows"], "by_level": data["by_level"], "totals": data["totals"]}
