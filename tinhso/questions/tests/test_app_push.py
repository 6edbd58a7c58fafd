"""The asker of a question is told of the answer on their phone too: a Web
Push on the citizen app's "questions" topic (citizenapp.push), alongside the
portal notification, once per answer, only after commit."""

import pytest

from tinhso.citizenapp import actions as app_actions
from tinhso.citizenapp.models import PushMessage
from tinhso.citizenapp.tests.conftest import push_service, vapid  # noqa: F401 - reused fixtures
from tinhso.citizenapp.tests.pushservice import Browser
from tinhso.notifications.models import Notification
from tinhso.questions import actions

pytestmark = pytest.mark.django_db


def _phone(user, service, name, topics):
    browser = Browser()
    app_actions.subscribe(acting_user=user, endpoint=service.endpoint(name), p256dh=browser.p256dh,
                          auth=browser.auth_b64, topics=topics)
    return browser


def test_the_answer_is_pushed_to_the_askers_phone_once_per_answer(question, citizen, specialist, vapid, push_service,
                                                                  django_capture_on_commit_callbacks):
    phone = _phone(citizen, push_service, "hoa", ["questions"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.answer_question(acting_user=specialist, question_id=question.pk, answer="Tại UBND xã nơi cư trú.")
    assert push_service.for_path("hoa") == []  # nothing leaves before the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    got = push_service.for_path("hoa")
    assert len(got) == 1
    message = phone.decrypt(got[0]["body"])
    assert message["url"] == f"/app/#cau-hoi/{question.pk}" and message["body"] == "Tại UBND xã nơi cư trú."
    assert "Sở Tư pháp đã trả lời" in message["title"]
    assert Notification.objects.filter(recipient=citizen, kind="questions.answered").count() == 1
    with django_capture_on_commit_callbacks(execute=True):  # the same text again changes nothing
        actions.answer_question(acting_user=specialist, question_id=question.pk, answer="Tại UBND xã nơi cư trú.")
    assert len(push_service.for_path("hoa")) == 1
    with django_capture_on_commit_callbacks(execute=True):  # a corrected answer is news: pushed again
        actions.answer_question(acting_user=specialist, question_id=question.pk, answer="Tại UBND phường.")
    assert [phone.decrypt(m["body"])["body"] for m in push_service.for_path("hoa")][-1] == "Tại UBND phường."
    assert PushMessage.objects.filter(user=citizen, topic="questions").count() == 2


def test_no_push_without_the_questions_topic(question, citizen, specialist, vapid, push_service,
                                             django_capture_on_commit_callbacks):
    _phone(citizen, push_service, "hoa", ["dossiers", "reports"])
    with django_capture_on_commit_callbacks(execute=True):
        actions.answer_question(acting_user=specialist, question_id=question.pk, answer="Tại UBND xã.")
    assert push_service.for_path("hoa") == [] and not PushMessage.objects.exists()
    assert Notification.objects.filter(recipient=citizen, kind="questions.answered").exists()
