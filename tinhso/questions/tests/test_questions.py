import json

import pytest
from django.core import mail

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.notifications.models import Notification
from tinhso.questions import actions
from tinhso.questions.models import Question, QuestionStatus

pytestmark = pytest.mark.django_db


def test_staff_answer_and_the_citizen_is_notified_on_commit(specialist, citizen, stp,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = actions.ask_question(acting_user=citizen, agency_id=stp.pk, title="Trích lục khai sinh bản sao",
                                        body="Tôi cần xin bản sao trích lục khai sinh ở đâu?")
    assert Notification.objects.filter(recipient=specialist, kind="questions.asked").count() == 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.answer_question(acting_user=specialist, question_id=question.pk,
                                answer="Ông/bà đến UBND xã, phường nơi đã đăng ký khai sinh hoặc nộp trực tuyến.")
    assert not Notification.objects.filter(recipient=citizen).exists()  # nothing before the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED and question.answered_by == specialist
    note = Notification.objects.get(recipient=citizen, kind="questions.answered")
    assert "Sở Tư pháp đã trả lời" in note.title and note.url == f"/hoi-dap/cua-toi/{question.pk}/"
    assert any("hoa@example.vn" in m.to for m in mail.outbox)
    assert AuditEvent.objects.filter(action="questions.answered", actor=specialist).count() == 1


def test_others_are_refused_and_nothing_changes(question, outsider, citizen, stp):
    with pytest.raises(PermissionDenied):
        actions.answer_question(acting_user=outsider, question_id=question.pk, answer="x")
    with pytest.raises(PermissionDenied):
        actions.answer_question(acting_user=citizen, question_id=question.pk, answer="x")
    with pytest.raises(PermissionDenied):
        actions.ask_question(acting_user=outsider, agency_id=stp.pk, title="x", body="y")
    with pytest.raises(PermissionDenied):
        actions.set_published(acting_user=outsider, question_id=question.pk, published=True)
    assert Question.objects.get().status == QuestionStatus.WAITING
    assert not Notification.objects.filter(recipient=citizen).exists()


@pytest.mark.parametrize("changes, field", [({"title": " "}, "title"), ({"body": ""}, "body"),
                                            ({"agency_id": "x"}, "agency"), ({"title": "x" * 201}, "title")])
def test_bad_questions_are_refused_in_vietnamese(citizen, stp, changes, field):
    values = {"agency_id": stp.pk, "title": "Hỏi", "body": "Nội dung"}
    values.update(changes)
    with pytest.raises(InvalidInput) as exc:
        actions.ask_question(acting_user=citizen, **values)
    assert exc.value.errors[0]["field"] == field and not Question.objects.exists()


def test_published_questions_never_show_the_askers_name(question, specialist, citizen, client):
    with pytest.raises(InvalidInput):
        actions.set_published(acting_user=specialist, question_id=question.pk, published=True)
    actions.answer_question(acting_user=specialist, question_id=question.pk, answer="Nộp tại UBND xã.")
    actions.set_published(acting_user=specialist, question_id=question.pk, published=True)
    listing = client.get("/hoi-dap/").content.decode()
    detail = client.get(f"/hoi-dap/{question.pk}/").content.decode()
    api = json.dumps(client.get("/api/v1/questions").json(), ensure_ascii=False)
    for text in (listing, detail, api):
        assert "Trích lục khai sinh" in text and "Nguyễn Thị Hoa" not in text and "092085000011" not in text
    actions.set_published(acting_user=specialist, question_id=question.pk, published=False)
    assert client.get(f"/hoi-dap/{question.pk}/").status_code == 404
    assert client.get(f"/api/v1/questions/{question.pk}").status_code == 404


def test_the_citizen_asks_and_reads_their_own_through_pages_and_api(citizen, stp, specialist, client):
    assert client.get("/hoi-dap/gui/").status_code == 302
    assert client.get("/api/v1/questions/mine").status_code == 401
    client.force_login(citizen)
    bad = client.post("/hoi-dap/gui/", {"agency": stp.pk, "title": "", "body": ""})
    assert bad.status_code == 200 or bad.status_code == 422
    ok = client.post("/hoi-dap/gui/", {"agency": stp.pk, "title": "Chứng thực bản sao", "body": "Ở đâu?"})
    question = Question.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/hoi-dap/cua-toi/{question.pk}/"
    asked = client.post("/api/v1/questions/mine", {"agency_id": stp.pk, "title": "Hỏi qua ứng dụng", "body": "?"},
                        content_type="application/json")
    assert asked.status_code == 201 and asked.json()["status"] == "waiting"
    bad_api = client.post("/api/v1/questions/mine", {"agency_id": stp.pk, "title": "", "body": "?"},
                          content_type="application/json")
    assert bad_api.status_code == 422 and bad_api.json()["errors"][0]["field"] == "title"
    assert {q["title"] for q in client.get("/api/v1/questions/mine").json()} == {"Chứng thực bản sao",
                                                                                 "Hỏi qua ứng dụng"}
    client.force_login(specialist)
    assert "Chứng thực bản sao" in client.get("/hoi-dap/quan-ly/").content.decode()
    assert client.get("/api/v1/questions/mine").status_code == 403
    assert client.get(f"/hoi-dap/cua-toi/{question.pk}/").status_code == 302
    page = client.post(f"/hoi-dap/quan-ly/{question.pk}/", {"answer": "Tại UBND xã."})
    assert page.status_code == 302 and Question.objects.get(pk=question.pk).answer == "Tại UBND xã."
