"""/api/v1/field-reports: the same capabilities as the pages, for the
citizen app and other clients. Public reads show no personal data; a
citizen signed in with the e-ID sends, follows, rates and reopens; staff act
on reports through /actions/{action} (the same actions layer)."""

from __future__ import annotations

import datetime

from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from tinhso.integration.gateway import machine_or_person
from tinhso.core.api import ErrorOut
from tinhso.core.errors import NotFound, PermissionDenied
from tinhso.fieldreports import actions, geo
from tinhso.fieldreports.actions.submit import categories_in_force, communes
from tinhso.fieldreports.models import Channel, FieldReport, Status
from tinhso.fieldreports.queries import can_see, nearby_open, public_page
from tinhso.fieldreports.actions.dispatch import ACTIONS

router = Router(tags=["Phản ánh hiện trường"])
# People (session) and client systems (OAuth token or API key granted "field-reports"; docs/integration.md).
MACHINE_OR_PERSON = machine_or_person("field-reports")
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CategoryOut(Schema):
    code: str
    name: str
    group: str
    keywords: str
    is_public: bool
    requires_evidence: bool


class CommuneOut(Schema):
    id: int
    code: str
    name: str


class MediaOut(Schema):
    id: int
    role: str
    kind: str
    url: str


class EventOut(Schema):
    at: datetime.datetime
    action: str
    to_status: str
    note: str


class ReportOut(Schema):
    code: str
    category_code: str
    category_name: str
    description: str
    status: str
    status_name: str
    unit_id: int
    unit_name: str
    address: str
    lat: float | None
    lng: float | None
    created_at: datetime.datetime
    stage_due_at: datetime.datetime | None
    agency_name: str | None
    answer: str
    published_at: datetime.datetime | None
    rating: str
    photos: list[MediaOut]
    timeline: list[EventOut]
    duplicate_of: str | None
    distance_m: int | None = None


def _out(report, *, timeline: bool = True, own: bool = False) -> dict:
    from django.urls import reverse

    lat, lng = geo.rounded(report.lat, report.lng) if report.hide_location and not own else (report.lat, report.lng)
    media = [{"id": m.pk, "role": m.role, "kind": m.kind,
              "url": reverse("fieldreports:public_media", args=[report.code, m.pk])}
             for m in report.media.all() if m.is_public]
    return {"code": report.code, "category_code": report.category.code, "category_name": report.category.name,
            "description": report.description, "status": report.status, "status_name": report.get_status_display(),
            "unit_id": report.unit_id, "unit_name": report.unit.name,
            "address": "" if report.hide_location and not own else report.address, "lat": lat, "lng": lng,
            "created_at": report.created_at, "stage_due_at": report.stage_due_at if report.is_open else None,
            "agency_name": report.agency.name if report.agency_id else None,
            "answer": report.published_answer, "published_at": report.published_at,
            "rating": report.rating, "photos": media,
            "timeline": [{"at": e.at, "action": e.action, "to_status": e.to_status,
                          "note": e.note if e.action in ("publish", "rate", "merge") else ""}
                         for e in report.events.all() if e.public] if timeline else [],
            "duplicate_of": report.duplicate_of.code if report.duplicate_of_id else None,
            "distance_m": getattr(report, "distance", None)}


def _citizen(request):
    if not getattr(request.user, "is_citizen", False):
        raise PermissionDenied("Cần đăng nhập bằng định danh điện tử.", code="citizen_only")
    return request.user


@router.get("/categories", response=list[CategoryOut], summary="Lĩnh vực phản ánh đang áp dụng")
def categories(request):
    return list(categories_in_force())


@router.get("/communes", response=list[CommuneOut], summary="Xã, phường của tỉnh (đơn vị hành chính hiện hành)")
def commune_list(request):
    return list(communes())


@router.get("", response=list[ReportOut], summary="Phản ánh công khai",
            description="Lọc theo `category`, `unit`, `state` (open, done hoặc một trạng thái), `from`, `to` "
                        "(YYYY-MM-DD); 50 mỗi trang (`page`). Không có thông tin cá nhân.")
def public_list(request, category: str = "", unit: str = "", state: str = "", page: int = 1):
    params = {"category": category, "unit": unit, "state": state, **{k: request.GET.get(k, "") for k in ("from", "to")}}
    listed, _, _ = public_page(params, page, 50)
    rows = (FieldReport.objects.select_related("category", "unit", "agency", "duplicate_of").prefetch_related("media")
            .in_bulk([r.pk for r in listed]))
    return [_out(rows[r.pk], timeline=False) for r in listed]


@router.get("/nearby", response=list[ReportOut], summary="Phản ánh đang mở gần một điểm",
            description="Tối đa 5 phản ánh đang mở cùng lĩnh vực hoặc cùng nhóm trong bán kính gợi ý (mặc định 250 m), "
                        "gần nhất trước: dùng trước khi gửi để theo dõi phản ánh có sẵn thay vì gửi trùng.")
def nearby(request, lat: float = Query(..., ge=-90, le=90), lng: float = Query(..., ge=-180, le=180),
           category: str = ""):
    chosen = categories_in_force().filter(code=category).first() if category else None
    found = nearby_open(lat, lng, chosen)
    rows = (FieldReport.objects.select_related("category", "unit", "agency", "duplicate_of").prefetch_related("media")
            .in_bulk([n.pk for n in found]))
    out = []
    for near in found:
        rows[near.pk].distance = near.distance
        out.append(_out(rows[near.pk], timeline=False))
    return out


@router.get("/mine", auth=MACHINE_OR_PERSON, response={200: list[ReportOut], **ERRORS}, summary="Phản ánh của tôi")
def mine(request):
    user = _citizen(request)
    rows = FieldReport.objects.filter(reporter=user).select_related("category", "unit", "agency", "duplicate_of")
    return 200, [_out(r, own=True) for r in rows.prefetch_related("media", "events")]


@router.get("/{code}", response={200: ReportOut, **ERRORS}, summary="Một phản ánh")
def detail(request, code: str):
    report = (FieldReport.objects.select_related("category", "unit", "agency", "duplicate_of")
              .prefetch_related("media", "events").filter(code=code).first())
    own = report is not None and request.user.is_authenticated and report.reporter_id == request.user.pk
    if report is None or not (report.is_public or own or (request.user.is_authenticated and
                                                           can_see(request.user, report))):
        raise NotFound("Không tìm thấy phản ánh.", code="report_not_found")
    return 200, _out(report, own=own)


@router.post("", auth=MACHINE_OR_PERSON, response={201: ReportOut, **ERRORS}, summary="Gửi phản ánh",
             description="Công dân đăng nhập bằng định danh điện tử. Gửi kèm `submit_key` (duy nhất cho mỗi lần "
                         "gửi): gọi lại với cùng khóa trả đúng phản ánh đã tạo. Lỗi 422 liệt kê từng trường.")
def submit(request, category: str = Form(...), description: str = Form(...), unit_id: int = Form(...),
           lat: float | None = Form(None), lng: float | None = Form(None), address: str = Form(""),
           hide_location: bool = Form(False), anonymous: bool = Form(False), submit_key: str = Form(""),
           photos: list[UploadedFile] = File(None)):
    user = _citizen(request)
    report = actions.submit_report(
        acting_user=user, category_code=category, description=description, unit_id=unit_id, lat=lat, lng=lng,
        address=address, files=photos or [], channel=Channel.MOBILE, hide_location=hide_location,
        anonymous=anonymous, submit_key=f"api:{user.pk}:{submit_key}" if submit_key else None)
    return 201, _out(report, own=True)


class RateIn(Schema):
    rating: str
    comment: str = ""


class ReopenIn(Schema):
    comment: str


@router.post("/{code}/rating", auth=MACHINE_OR_PERSON, response={200: ReportOut, **ERRORS}, summary="Đánh giá kết quả")
def rate(request, code: str, payload: RateIn):
    return 200, _out(actions.rate(acting_user=request.user, code=code, rating=payload.rating,
                                  comment=payload.comment), own=True)


@router.post("/{code}/reopen", auth=MACHINE_OR_PERSON, response={200: ReportOut, **ERRORS}, summary="Mở lại phản ánh")
def reopen(request, code: str, payload: ReopenIn):
    return 200, _out(actions.reopen(acting_user=request.user, code=code, comment=payload.comment), own=True)


@router.post("/{code}/follow", auth=MACHINE_OR_PERSON, response={204: None, **ERRORS}, summary="Theo dõi phản ánh")
def follow(request, code: str):
    actions.follow(acting_user=_citizen(request), code=code)
    return 204, None


@router.post("/{code}/actions/{action}", auth=MACHINE_OR_PERSON, response={200: ReportOut, **ERRORS},
             summary="Cán bộ thực hiện một bước xử lý",
             description="`action`: confirm, reject, assign, transfer, accept, return, start, answer, send_back, "
                         "publish, merge, hide, unhide. Tham số dạng form như trang xử lý (ví dụ `reject-reason`, "
                         "`agency`, `answer`, tệp `evidence`).")
def act(request, code: str, action: str):
    report = FieldReport.objects.select_related("category").filter(code=code).first()
    if report is None or not can_see(request.user, report):
        raise NotFound("Không tìm thấy phản ánh.", code="report_not_found")
    handler = ACTIONS.get(action)
    if handler is None:
        raise NotFound("Không có thao tác này.", code="unknown_action")
    handler(code, request.POST, request.FILES, request.user)
    report = (FieldReport.objects.select_related("category", "unit", "agency", "duplicate_of")
              .prefetch_related("media", "events").get(code=code))
    return 200, _out(report, own=True)
