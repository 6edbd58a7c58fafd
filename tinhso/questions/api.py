"""/api/v1/questions: the published Q&A (public, never the asker's name) and,
for a citizen signed in with the e-ID (session), their own questions and
asking a new one."""

from __future__ import annotations

import datetime

from ninja import Query, Router, Schema
from ninja.security import django_auth

from tinhso.core.api import ErrorOut
from tinhso.core.errors import InvalidInput, NotFound, PermissionDenied
from tinhso.questions import actions
from tinhso.questions.models import Question

router = Router(tags=["Hỏi đáp"])
PAGE_SIZE = 20


class AgencyOut(Schema):
    id: int
    code: str
    name: str


class PublicQuestionOut(Schema):
    id: int
    agency: AgencyOut
    title: str
    body: str
    answer: str
    asked_on: datetime.date
    answered_at: datetime.datetime | None


class PageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[PublicQuestionOut]


class MyQuestionOut(PublicQuestionOut):
    status: str
    status_label: str
    published: bool


class AskIn(Schema):
    agency_id: int
    title: str
    body: str


def _agency(a) -> dict:
    return {"id": a.pk, "code": a.code, "name": a.name}


def _public(q: Question) -> dict:
    return {"id": q.pk, "agency": _agency(q.agency), "title": q.title, "body": q.body, "answer": q.answer,
            "asked_on": q.created_at.date(), "answered_at": q.answered_at}


def _mine(q: Question) -> dict:
    return {**_public(q), "status": q.status, "status_label": q.get_status_display(),
            "published": q.published_at is not None}


def _citizen(request):
    if not getattr(request.user, "is_citizen", False):
        raise PermissionDenied("Chỉ tài khoản công dân (đăng nhập bằng định danh điện tử).")
    return request.user


@router.get("/agencies", auth=None, response=list[AgencyOut], summary="Cơ quan nhận câu hỏi")
def agencies(request):
    return [_agency(a) for a in actions.askable_agencies()[:500]]


@router.get("", auth=None, response={200: PageOut, 422: ErrorOut}, summary="Hỏi đáp đã công khai")
def published(request, agency: str = "", page: int = Query(1, le=100000)):
    if page < 1:
        raise InvalidInput("Số trang phải từ 1.", code="invalid_page",
                           errors=[{"field": "page", "message": "Số trang phải từ 1."}])
    qs = actions.published()
    if agency:
        qs = qs.filter(agency__code=agency.replace("\x00", "")[:40])
    count = qs.count()
    return {"count": count, "page": page, "pages": max(1, -(-count // PAGE_SIZE)),
            "results": [_public(q) for q in qs[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]}


@router.get("/mine", auth=django_auth, response={200: list[MyQuestionOut], 401: ErrorOut, 403: ErrorOut},
            summary="Câu hỏi của tôi (công dân)")
def mine(request):
    user = _citizen(request)
    return [_mine(q) for q in Question.objects.filter(asker=user).select_related("agency")[:200]]


@router.post("/mine", auth=django_auth, response={201: MyQuestionOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
             summary="Gửi câu hỏi (công dân)")
def ask(request, payload: AskIn):
    question = actions.ask_question(acting_user=_citizen(request), agency_id=payload.agency_id, title=payload.title,
                                    body=payload.body)
    return 201, _mine(question)


@router.get("/{int:question_id}", auth=None, response={200: PublicQuestionOut, 404: ErrorOut},
            summary="Một câu hỏi đã công khai")
def one(request, question_id: int):
    found = actions.published().filter(pk=question_id).first() if 0 < question_id < 2**63 else None
    if found is None:
        raise NotFound("Không có câu hỏi công khai này.", code="question_not_found")
    return _public(found)
