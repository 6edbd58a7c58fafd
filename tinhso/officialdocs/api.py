"""/api/v1/documents: the official documents of the user's agencies, their
registers and the exchange statuses, with the same actions as the pages;
the issuing profiles (abbreviation, place) of the agencies the user issues for.
Every object is checked against `queries.visible` (a secret document only for
those involved, its agency's leaders and clerical office)."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from tinhso.agencies.models import Agency
from tinhso.integration.gateway import machine_or_person
from tinhso.core.api import ErrorOut
from tinhso.core.errors import NotFound
from tinhso.core.text import fold
from tinhso.officialdocs import actions, registers
from tinhso.officialdocs.actions.dispatch import ACTIONS
from tinhso.officialdocs.actions.profiles import profile
from tinhso.officialdocs.models import IssuingProfile, Register
from tinhso.officialdocs.queries import TABS, my_agencies, profile_agencies, tab, visible

router = Router(tags=["Văn bản đi, đến"], auth=machine_or_person("documents"))
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RecipientOut(Schema):
    organ_id: str
    name: str
    status_code: str
    status_at: datetime.datetime | None
    status_note: str


class EventOut(Schema):
    at: datetime.datetime
    action: str
    to_status: str
    actor_name: str
    note: str


class FileOut(Schema):
    id: int
    role: str
    name: str
    content_type: str
    sha256: str


class DocumentOut(Schema):
    id: int
    direction: str
    agency_code: str
    type: str
    reference: str
    number: int | None
    issued_on: datetime.date | None
    summary: str
    status: str
    status_name: str
    urgency: str
    secrecy: str
    sender_name: str
    signer_name: str
    received_at: datetime.datetime | None


class DocumentDetail(DocumentOut):
    recipients: list[RecipientOut]
    events: list[EventOut]
    files: list[FileOut]


class ProfileOut(Schema):
    agency_id: int
    agency_code: str
    agency_name: str
    abbreviation: str
    place: str
    saved: bool


class ProfileIn(Schema):
    abbreviation: str
    place: str


def _profile_out(agency, row) -> dict:
    return {"agency_id": agency.pk, "agency_code": agency.code, "agency_name": agency.name,
            "abbreviation": row.abbreviation, "place": row.place, "saved": row.pk is not None}


def _out(doc) -> dict:
    return {"id": doc.pk, "direction": doc.direction, "agency_code": doc.agency.code, "type": doc.doc_type.name,
            "reference": doc.reference, "number": doc.number, "issued_on": doc.issued_on, "summary": doc.summary,
            "status": doc.status, "status_name": doc.get_status_display(), "urgency": doc.urgency,
            "secrecy": doc.secrecy, "sender_name": doc.sender_name, "signer_name": doc.signer_name,
            "received_at": doc.received_at}


def _detail(doc) -> dict:
    return {**_out(doc),
            "recipients": [{"organ_id": r.organ_id, "name": r.name, "status_code": r.status_code,
                            "status_at": r.status_at, "status_note": r.status_note} for r in doc.recipients.all()],
            "events": [{"at": e.at, "action": e.action, "to_status": e.to_status, "actor_name": e.actor_name,
                        "note": e.note} for e in doc.events.all()],
            "files": [{"id": f.pk, "role": f.role, "name": f.original_name, "content_type": f.content_type,
                       "sha256": f.sha256} for f in doc.files.all()]}


def _get(request, pk: int):
    doc = visible(request.user).select_related("agency", "doc_type").filter(pk=pk).first()
    if doc is None:
        raise NotFound("Không tìm thấy văn bản.", code="document_not_found")
    return doc


@router.get("", response={200: list[DocumentOut], **ERRORS}, summary="Danh sách văn bản theo việc",
            description=f"`tab`: {', '.join(TABS)}; `q` tìm trong trích yếu, số ký hiệu, nội dung OCR, không cần dấu.")
def list_documents(request, tab_name: str = "incoming", q: str = ""):
    qs = tab(request.user, tab_name if tab_name in TABS else "incoming")
    for word in fold(q).split()[:10]:
        qs = qs.filter(search_text__contains=word)
    return 200, [_out(d) for d in qs[:200]]


@router.get("/registers", response={200: list[dict], **ERRORS}, summary="Sổ văn bản của các cơ quan của tôi")
def list_registers(request):
    return 200, [{"id": r.pk, "agency": r.agency.name, "year": r.year, "direction": r.direction, "series": r.series}
                 for r in Register.objects.filter(agency__in=my_agencies(request.user)).select_related("agency")]


@router.get("/registers/{register_id}", summary="Một sổ: các dòng (JSON), hoặc `format=xlsx|pdf`",
            response={200: dict, **ERRORS})
def get_register(request, register_id: int, format: str = "json"):
    register = Register.objects.filter(pk=register_id, agency__in=my_agencies(request.user)).first()
    if register is None:
        raise NotFound("Không có sổ này.", code="register_not_found")
    if format == "xlsx":
        return HttpResponse(registers.xlsx(register),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if format == "pdf":
        return HttpResponse(registers.pdf(register), content_type="application/pdf")
    columns = registers.INCOMING if register.direction == "in" else registers.OUTGOING
    return 200, {"title": registers.title(register), "columns": columns, "rows": registers.rows(register)}


@router.get("/profiles", response={200: list[ProfileOut], **ERRORS}, summary="Thông tin ban hành của các cơ quan",
            description="Chữ viết tắt tên cơ quan (trong số, ký hiệu) và địa danh của các cơ quan mà người dùng làm "
                        "văn thư (quản trị hệ thống: mọi cơ quan); `saved` false: giá trị mặc định, chưa lưu.")
def list_profiles(request):
    agencies = profile_agencies(request.user)
    saved = {p.agency_id: p for p in IssuingProfile.objects.filter(agency__in=agencies)}
    return 200, [_profile_out(a, saved.get(a.pk) or profile(a)) for a in agencies]


@router.put("/profiles/{agency_id}", response={200: ProfileOut, **ERRORS},
            summary="Lưu thông tin ban hành của một cơ quan", description="Văn thư của cơ quan hoặc quản trị hệ thống. Văn bản đã phát hành giữ số, ký hiệu cũ.")
def put_profile(request, agency_id: int, payload: ProfileIn):
    agency = Agency.objects.filter(pk=agency_id, is_active=True).first()
    if agency is None:
        raise NotFound("Không có cơ quan này.", code="agency_not_found")
    row = actions.update_profile(acting_user=request.user, agency=agency, abbreviation=payload.abbreviation,
                                 place=payload.place)
    return 200, _profile_out(agency, row)


@router.get("/{pk}", response={200: DocumentDetail, **ERRORS}, summary="Một văn bản với quá trình, tệp và trạng thái")
def get_document(request, pk: int):
    return 200, _detail(_get(request, pk))


@router.post("", response={201: DocumentDetail, **ERRORS}, summary="Soạn dự thảo văn bản đi")
def create(request, agency_id: int = Form(...), doc_type_id: int = Form(...), summary: str = Form(...),
           recipient_ids: list[int] = Form([]), urgency: str = Form("normal"), secrecy: str = Form("none"),
           body: UploadedFile = File(None)):
    agency = next((a for a in my_agencies(request.user) if a.pk == agency_id), None)
    if agency is None:
        raise NotFound("Không có cơ quan này trong phạm vi của bạn.", code="agency_not_found")
    doc = actions.create_draft(acting_user=request.user, agency=agency, doc_type_id=doc_type_id, summary=summary,
                               body=body, recipient_ids=recipient_ids, urgency=urgency, secrecy=secrecy)
    return 201, _detail(doc)


@router.post("/{pk}/actions/{action}", response={200: DocumentDetail, **ERRORS}, summary="Một bước xử lý",
             description="`action`: submit, approve, send_back, sign, issue, register, return, assign, start, complete "
                         "(tham số dạng form như trang văn bản: note, reason, unit, person, direction_note, days).")
def act(request, pk: int, action: str):
    _get(request, pk)
    handler = ACTIONS.get(action)
    if handler is None:
        raise NotFound("Không có thao tác này.", code="unknown_action")
    handler(request.user, pk, request.POST)
    return 200, _detail(_get(request, pk))
