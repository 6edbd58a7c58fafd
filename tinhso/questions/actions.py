"""State changes of the Q&A box. A citizen (signed in with the e-ID) asks an
agency; the specialist, head of division, leader or clerical office of that
agency (or an agency above it) and the system administrator answer and decide
what to publish. The asker is told of the answer in the app, the portal and
by e-mail (notifications.actions.notify, on commit)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tinhso.accounts.models import Role, RoleAssignment
from tinhso.accounts.permissions import require_role
from tinhso.agencies.models import Agency, AgencyKind
from tinhso.audit.actions import record
from tinhso.citizenapp.models import Topic
from tinhso.citizenapp.push import queue as queue_push
from tinhso.core.errors import InvalidInput, NotFound, PermissionDenied, field_error, is_pk
from tinhso.notifications.actions import notify
from tinhso.questions.models import Question, QuestionStatus

ROLES = (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER, Role.CLERICAL_OFFICE, Role.SYSTEM_ADMIN)
ASKABLE = (AgencyKind.PROVINCIAL_COMMITTEE, AgencyKind.DEPARTMENT, AgencyKind.COMMUNE_COMMITTEE,
           AgencyKind.PROVINCIAL_SERVICE_CENTRE, AgencyKind.COMMUNE_SERVICE_CENTRE)
DAILY_LIMIT = 10


def _text(value, field, label, limit, lines=False) -> str:
    value = str(value or "").replace("\r\n", "\n").strip() if lines else " ".join(str(value or "").split())
    if not value:
        raise field_error(field, f"Cần nhập {label}.")
    if "\x00" in value:
        raise field_error(field, f"{label[0].upper() + label[1:]} có ký tự không hợp lệ.")
    if len(value) > limit:
        raise field_error(field, f"{label[0].upper() + label[1:]} dài quá {limit} ký tự.")
    return value


def askable_agencies():
    return Agency.objects.filter(is_active=True, kind__in=ASKABLE).order_by("path")


@transaction.atomic
def ask_question(*, acting_user, agency_id, title, body) -> Question:
    if not getattr(acting_user, "is_citizen", False):
        raise PermissionDenied("Chỉ công dân đăng nhập bằng định danh điện tử mới gửi được câu hỏi.")
    agency = askable_agencies().filter(pk=agency_id).first() if is_pk(agency_id) else None
    if agency is None:
        raise field_error("agency", "Chọn cơ quan nhận câu hỏi.", "invalid_agency")
    title = _text(title, "title", "tiêu đề", 200)
    body = _text(body, "body", "nội dung câu hỏi", 5000, lines=True)
    since = timezone.now() - datetime.timedelta(days=1)
    if Question.objects.filter(asker=acting_user, created_at__gte=since).count() >= DAILY_LIMIT:
        raise InvalidInput(f"Mỗi người gửi tối đa {DAILY_LIMIT} câu hỏi trong 24 giờ.", code="too_many_questions")
    question = Question.objects.create(asker=acting_user, agency=agency, title=title, body=body)
    record(actor=acting_user, action="questions.asked", obj=question, changes={"agency": agency.code})
    staff = [a.user for a in RoleAssignment.objects.active().filter(
        agency=agency, role__in=[r for r in ROLES if r != Role.SYSTEM_ADMIN]).select_related("user")]
    url = reverse("questions:answer", args=[question.pk])
    transaction.on_commit(lambda: notify(staff, kind="questions.asked", title=f"Câu hỏi mới: {title}", url=url))
    return question


def _question(question_id) -> Question:
    question = Question.objects.select_for_update().select_related("agency", "asker").filter(
        pk=question_id if is_pk(question_id) else None).first()
    if question is None:
        raise NotFound("Không tìm thấy câu hỏi.", code="question_not_found")
    return question


@transaction.atomic
def answer_question(*, acting_user, question_id, answer) -> Question:
    """Answer (or correct the answer of) a question; the asker is notified."""
    question = _question(question_id)
    require_role(acting_user, ROLES, question.agency)
    answer = _text(answer, "answer", "câu trả lời", 10000, lines=True)
    if answer == question.answer:
        return question
    previous = question.answer
    question.answer, question.answered_by, question.answered_at = answer, acting_user, timezone.now()
    question.status = QuestionStatus.ANSWERED
    question.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    record(actor=acting_user, action="questions.answered", obj=question,
           changes={"answer": [previous[:200], answer[:200]]})
    asker, title = question.asker, f"{question.agency.name} đã trả lời câu hỏi “{question.title[:120]}”"
    url = reverse("questions:mine_detail", args=[question.pk])
    transaction.on_commit(lambda: notify([asker], kind="questions.answered", title=title, body=answer[:1000],
                                         url=url))
    # One push per answer (a corrected answer is pushed again), opening the question in the app.
    version = f"{question.answered_at:%Y%m%dT%H%M%S%f}"
    queue_push(asker, Topic.QUESTIONS, title, answer[:500], f"questions.answered:q{question.pk}:{version}",
               f"/app/#cau-hoi/{question.pk}")
    return question


@transaction.atomic
def set_published(*, acting_user, question_id, published: bool) -> Question:
    """Publish an answered question (without the asker's name), or take it down."""
    question = _question(question_id)
    require_role(acting_user, ROLES, question.agency)
    if published and question.status != QuestionStatus.ANSWERED:
        raise InvalidInput("Chỉ công khai câu hỏi đã có câu trả lời.", code="not_answered")
    if bool(question.published_at) == published:
        return question
    question.published_at = timezone.now() if published else None
    question.save(update_fields=["published_at"])
    record(actor=acting_user, action="questions.published" if published else "questions.unpublished", obj=question)
    return question


def published():
    return Question.objects.filter(published_at__isnull=False, status=QuestionStatus.ANSWERED).select_related(
        "agency").order_by("-published_at", "-id")
