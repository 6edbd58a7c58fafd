"""Announcements reach the citizen app's "announcements" subscribers as one
Web Push per article: when published at once, and when a scheduled one's
time comes (the periodic job), never twice however often the job runs."""

import datetime

import pytest
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.audit.models import AuditEvent
from tinhso.citizenapp import actions as app_actions
from tinhso.citizenapp.models import PushMessage
from tinhso.citizenapp.tests.conftest import push_service, vapid  # noqa: F401 - reused fixtures
from tinhso.citizenapp.tests.pushservice import Browser
from tinhso.news import actions
from tinhso.news.models import Article
from tinhso.news.tasks import announce_due_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def phones(push_service, province):
    """Three citizens' phones: two chose announcements (one for a commune only), one did not."""
    from tinhso.testing import make_unit

    def citizen(number):
        return User.objects.create_user(username=f"cccd-{number}", is_citizen=True, id_number=number)

    commune = make_unit("31135", "Phường Ninh Kiều", level="commune", parent=province)
    made = {}
    for name, number, topics, unit in (("all", "092085000001", ["announcements"], None),
                                       ("ninhkieu", "092085000002", ["announcements"], commune),
                                       ("none", "092085000003", ["dossiers"], None)):
        browser = Browser()
        app_actions.subscribe(acting_user=citizen(number), endpoint=push_service.endpoint(name), p256dh=browser.p256dh,
                              auth=browser.auth_b64, topics=topics, commune_id=unit.pk if unit else None)
        made[name] = browser
    made["commune"] = commune
    return made


def _save(editor, office, **values):
    data = {"acting_user": editor, "agency_id": office.pk, "title": "Lịch tiếp công dân tháng 12",
            "summary": "Chủ tịch tiếp công dân ngày 15.", "body": "Nội dung.", "kind": "announcement",
            "published_at": timezone.now()}
    data.update(values)
    return actions.save_article(**data)


def test_publishing_an_announcement_pushes_it_once(editor, office, vapid, push_service, phones,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = _save(editor, office)
    got = phones["all"].decrypt(push_service.for_path("all")[0]["body"])
    assert got == {"title": "Lịch tiếp công dân tháng 12", "body": "Chủ tịch tiếp công dân ngày 15.",
                   "url": f"/app/#tin-tuc/{article.pk}", "tag": f"announce:news:{article.pk}"}
    assert len(push_service.for_path("ninhkieu")) == 1 and push_service.for_path("none") == []
    with django_capture_on_commit_callbacks(execute=True):  # edited, and the job runs: no second push
        _save(editor, office, article_id=article.pk, title="Lịch tiếp công dân tháng 12 (sửa)")
        assert actions.announce_due() == 0
        announce_due_task.call_local()
    assert len(push_service.for_path("all")) == 1 and PushMessage.objects.count() == 2
    assert AuditEvent.objects.filter(action="news.article.announced", object_id=str(article.pk)).count() == 1


def test_news_and_back_dated_announcements_are_not_pushed(editor, office, vapid, push_service, phones,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _save(editor, office, kind="news")
        _save(editor, office, published_at=timezone.now() - datetime.timedelta(days=30))
        _save(editor, office, published_at=None)  # a draft
        assert actions.announce_due() == 0
    assert push_service.received == [] and not PushMessage.objects.exists()


def test_a_scheduled_announcement_is_pushed_by_the_job_when_its_time_comes_and_only_once(
        editor, office, vapid, push_service, phones, django_capture_on_commit_callbacks):
    at = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        article = _save(editor, office, published_at=at, target_commune_ids=[phones["commune"].pk])
        assert actions.announce_due() == 0  # not yet
    assert not PushMessage.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.announce_due(at + datetime.timedelta(minutes=1)) == 1
    with django_capture_on_commit_callbacks(execute=True):  # the job again (another worker, a retry): nothing
        assert actions.announce_due(at + datetime.timedelta(minutes=2)) == 0
    assert push_service.for_path("all") == []  # the announcement names Ninh Kiều only
    assert len(push_service.for_path("ninhkieu")) == 1
    assert Article.objects.get(pk=article.pk).announced_at == at + datetime.timedelta(minutes=1)


def test_a_scheduled_announcement_withdrawn_before_its_time_is_never_pushed(editor, office, vapid, push_service,
                                                                            phones):
    at = timezone.now() + datetime.timedelta(hours=2)
    article = _save(editor, office, published_at=at)
    actions.withdraw_article(acting_user=editor, article_id=article.pk)
    assert actions.announce_due(at + datetime.timedelta(minutes=1)) == 0 and not PushMessage.objects.exists()
