"""/api/v1/dashboard/programme-targets: the digital-transformation programme's
targets in force on a day, each with its live or entered value, progress and
source document (the page /dashboard/chuong-trinh/ as JSON). Province-wide
dashboard roles only; figures from programme.scorecard. docs/api.md."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.security import django_auth

from tinhso.core.api import ErrorOut
from tinhso.dashboard import programme
from tinhso.dashboard.access import require_province

router = Router(tags=["Bảng điều hành"])


class ProgrammeQuery(Schema):
    day: datetime.date | None = None


class SourceDocumentOut(Schema):
    basis: str
    number: str
    date: datetime.date | None
    issuer: str
    verified: bool


class EnteredOut(Schema):
    period_start: datetime.date
    period_end: datetime.date
    note: str
    entered_at: datetime.datetime


class ProgrammeRowOut(Schema):
    key: str
    label: str
    group: str
    group_label: str | None
    kind: str
    unit: str
    target: Decimal | None
    value: Decimal | None
    source: str | None  # live (counted by an app) | entered (by an official) | null (no value yet)
    progress: float | None
    met: bool | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    document: SourceDocumentOut | None
    entered: EnteredOut | None
    url: str


class ProgrammeOut(Schema):
    day: datetime.date
    targets: list[ProgrammeRowOut]


def _row(r: dict) -> dict:
    target, entered = r["row"], r["entered"]
    return {**{k: r[k] for k in ("key", "label", "group", "group_label", "kind", "unit", "target", "source",
                                 "progress", "met", "url")},
            "group_label": str(r["group_label"]) if r["group_label"] is not None else None,
            "value": Decimal(str(r["value"])) if r["value"] is not None else None,
            "valid_from": target.valid_from if target else None, "valid_to": target.valid_to if target else None,
            "document": {"basis": target.basis, "number": target.source_number, "date": target.source_date,
                         "issuer": target.source_issuer, "verified": target.verified} if target else None,
            "entered": {"period_start": entered.period_start, "period_end": entered.period_end, "note": entered.note,
                        "entered_at": entered.entered_at} if entered else None}


@router.get("/programme-targets", auth=django_auth, response={200: ProgrammeOut, 401: ErrorOut, 403: ErrorOut,
                                                              422: ErrorOut},
            summary="Chỉ tiêu chương trình chuyển đổi số",
            description="Mọi chỉ tiêu có hiệu lực vào ngày `day` (mặc định hôm nay), mỗi chỉ tiêu có giá trị đạt được "
                        "(`source`: live — hệ thống tự đếm, entered — cán bộ nhập, null — chưa có), tiến độ (% chỉ "
                        "tiêu, tối đa 100), đã đạt hay chưa và văn bản căn cứ (số, ngày, cơ quan ban hành, đã đối "
                        "chiếu hay chưa); sau đó các số liệu hệ thống đếm được nhưng chưa có chỉ tiêu. Số liệu toàn "
                        "tỉnh: lãnh đạo tỉnh, trung tâm điều hành, quản trị hệ thống.")
def programme_targets(request, q: Query[ProgrammeQuery]):
    require_province(request.user)
    day = q.day or timezone.localdate()
    return {"day": day, "targets": [_row(r) for r in programme.scorecard(day)]}
