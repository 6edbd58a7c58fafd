"""Web Push end to end against a local push service: VAPID signature checked,
the aes128gcm payload decrypted with the subscription's key; the
subscription lifecycle (validation, topics, 404/410 clean-up, failures,
unsubscribe, sign-out everywhere); dossier notifications also go by push;
warnings reach the subscribers of the communes concerned only."""

import datetime
import json
import os

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.audit.models import AuditEvent
from tinhso.citizenapp import actions
from tinhso.citizenapp.models import PushMessage, PushSubscription
from tinhso.citizenapp.push import queue, send
from tinhso.citizenapp.tests.pushservice import Browser, check_vapid
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.dossiers import actions as dossier_actions
from tinhso.dossiers.tests.conftest import receive, world  # noqa: F401 - reused fixture
from tinhso.notifications.models import MessageTemplate


def _subscribe(user, service, name, topics=("dossiers", "reports", "warnings"), commune=None):
    browser = Browser()
    actions.subscribe(acting_user=user, endpoint=service.endpoint(name), p256dh=browser.p256dh,
                      auth=browser.auth_b64, topics=list(topics), commune_id=commune.pk if commune else None)
    return browser


def test_a_push_is_encrypted_for_the_browser_and_signed_with_vapid(citizen, vapid, push_service,
                                                                   django_capture_on_commit_callbacks):
    browser = _subscribe(citizen, push_service, "phone")
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(citizen, "dossiers", "Hồ sơ H13.01", "Mời bổ sung giấy tờ.", "test:1")
    got = push_service.for_path("phone")
    assert len(got) == 1
    headers = got[0]["headers"]
    assert headers["content-encoding"] == "aes128gcm" and int(headers["ttl"]) > 0
    vapid_header = check_vapid(headers["authorization"], push_service.origin)
    assert vapid_header["k"] == vapid["public_key"]
    assert browser.decrypt(got[0]["body"]) == {"title": "Hồ sơ H13.01", "body": "Mời bổ sung giấy tờ.",
                                               "url": "/app/", "tag": "test:1"}
    message.refresh_from_db()
    assert (message.sent, message.failed) == (1, 0)
    assert queue(citizen, "dossiers", "again", "again", "test:1") is None  # once per dedupe key
    assert queue(citizen, "announcements", "x", "y", "test:2") is None  # a topic not chosen: nothing


def test_gone_subscriptions_are_removed_and_failures_counted(citizen, vapid, push_service):
    _subscribe(citizen, push_service, "gone")
    _subscribe(citizen, push_service, "expired")
    _subscribe(citizen, push_service, "flaky")
    _subscribe(citizen, push_service, "fine")
    push_service.status.update({"/push/gone": 410, "/push/expired": 404, "/push/flaky": 500})
    message = PushMessage.objects.create(user=citizen, topic="dossiers", title="t", body="b", dedupe_key="k")
    assert send(message) == (1, 3)
    left = {s.endpoint.rsplit("/", 1)[1]: s.failures for s in PushSubscription.objects.all()}
    assert left == {"flaky": 1, "fine": 0}
    for _ in range(4):
        send(message)
    assert set(PushSubscription.objects.values_list("endpoint", flat=True)) == {push_service.endpoint("fine")}


def test_every_delivery_attempt_is_in_the_integration_message_log(citizen, vapid, push_service):
    """Web Push is an outgoing exchange like any other: one chained log row per
    attempt, the push service's origin only (the endpoint's path names the
    phone), the payload as a digest, the outcome; the chain still verifies."""
    from tinhso.integration import log as message_log
    from tinhso.integration.models import MessageLog, Service

    _subscribe(citizen, push_service, "phone-ok")
    _subscribe(citizen, push_service, "phone-gone")
    push_service.status.update({"/push/phone-gone": 410})
    message = PushMessage.objects.create(user=citizen, topic="dossiers", title="Hồ sơ", body="Nguyễn Văn An",
                                         dedupe_key="dossier:H13.1")
    before = MessageLog.objects.count()
    assert send(message) == (1, 1)
    rows = list(MessageLog.objects.order_by("seq")[before:])
    assert sorted((r.service, r.direction, r.status, r.outcome) for r in rows) == [
        ("web-push", "out", 201, "ok"), ("web-push", "out", 410, "invalid")]
    for row in rows:
        assert row.operation == f"POST {push_service.origin}" and "phone" not in row.operation
        assert row.purpose == "push dossiers" and row.subject == "dossier:H13.1" and len(row.request_digest) == 64
        assert "Nguyễn" not in f"{row.operation}{row.purpose}{row.subject}"
    assert Service.objects.get(code="web-push").last_ok_at is not None
    assert message_log.verify()[1] == []


def test_subscription_input_is_checked_with_vietnamese_messages(citizen, push_service):
    browser = Browser()
    with pytest.raises(InvalidInput) as bad_key:
        actions.subscribe(acting_user=citizen, endpoint=push_service.endpoint("a"), p256dh="abc",
                          auth=browser.auth_b64, topics=["dossiers"])
    assert bad_key.value.errors[0]["field"] == "p256dh"
    with pytest.raises(InvalidInput, match="Chủ đề không hợp lệ"):
        actions.subscribe(acting_user=citizen, endpoint=push_service.endpoint("a"), p256dh=browser.p256dh,
                          auth=browser.auth_b64, topics=["spam"])
    with pytest.raises(InvalidInput, match="Địa chỉ dịch vụ đẩy"):
        actions.subscribe(acting_user=citizen, endpoint="ftp://x/y", p256dh=browser.p256dh,
                          auth=browser.auth_b64, topics=[])


def test_subscribe_update_and_unsubscribe_through_the_api(citizen, push_service, vapid):
    client = Client(enforce_csrf_checks=False)
    client.force_login(citizen)
    browser = Browser()
    body = {"endpoint": push_service.endpoint("api"), "p256dh": browser.p256dh, "auth": browser.auth_b64,
            "topics": ["dossiers"]}
    assert client.get("/api/v1/app/push/key").json() == {"public_key": vapid["public_key"]}
    assert client.post("/api/v1/app/push/subscriptions", body, content_type="application/json").status_code == 200
    r = client.post("/api/v1/app/push/subscriptions", {**body, "topics": ["dossiers", "reports"]},
                    content_type="application/json")
    assert r.json()["topics"] == ["dossiers", "reports"] and PushSubscription.objects.count() == 1
    r = client.post("/api/v1/app/push/subscriptions", {**body, "p256dh": "x"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["message"] == "Khóa của trình duyệt không hợp lệ."
    assert client.post("/api/v1/app/push/unsubscribe", {"endpoint": body["endpoint"]},
                       content_type="application/json").status_code == 204
    assert not PushSubscription.objects.exists()
    assert set(AuditEvent.objects.filter(action__startswith="citizenapp.").values_list("action", flat=True)) == {
        "citizenapp.push_subscribed", "citizenapp.push_unsubscribed"}
    anonymous = Client()
    assert anonymous.post("/api/v1/app/push/subscriptions", body, content_type="application/json").status_code == 401


def test_staff_cannot_subscribe(world, push_service):
    browser = Browser()
    with pytest.raises(PermissionDenied):
        actions.subscribe(acting_user=world.clerk, endpoint=push_service.endpoint("s"), p256dh=browser.p256dh,
                          auth=browser.auth_b64, topics=[])


def test_sign_out_everywhere_ends_every_session_and_forgets_devices(citizen, push_service):
    phone, tablet = Client(), Client()
    phone.force_login(citizen)
    tablet.force_login(citizen)
    _subscribe(citizen, push_service, "phone")
    assert phone.get("/api/v1/app/me").json()["signed_in"] is True
    assert tablet.post("/api/v1/app/sign-out-everywhere").status_code == 204
    assert phone.get("/api/v1/app/me").json()["signed_in"] is False
    assert tablet.get("/api/v1/app/me").json()["signed_in"] is False
    assert not PushSubscription.objects.exists()
    assert AuditEvent.objects.filter(action="citizenapp.signed_out_everywhere", actor=citizen).exists()


def test_the_dossier_message_also_goes_by_push(world, citizen, vapid, push_service,
                                              django_capture_on_commit_callbacks):
    browser = _subscribe(citizen, push_service, "an")
    dossier = receive(world)
    type(dossier).objects.filter(pk=dossier.pk).update(citizen=citizen)
    dossier.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        dossier_actions.request_supplement(acting_user=world.clerk, dossier=dossier, reason="Thiếu tờ khai.")
    got = push_service.for_path("an")
    assert len(got) == 1
    payload = browser.decrypt(got[0]["body"])
    sms = MessageTemplate.objects.filter(event="supplement", channel="sms").order_by("-valid_from").first()
    assert payload["title"] == f"Hồ sơ {dossier.code}" and payload["url"] == "/app/#ho-so"
    assert payload["body"].startswith(sms.body.split("{")[0]) and dossier.code in payload["body"]


def test_a_warning_reaches_subscribers_of_its_communes_only(world, citizen, vapid, push_service,
                                                           django_capture_on_commit_callbacks):
    from tinhso.accounts.models import User
    from tinhso.testing import make_staff

    centre = make_staff("dieuhanh.test", roles=[("operations_centre", world.committee)])
    neighbour = User.objects.create_user(username="cccd-092192004567", is_citizen=True, id_number="092192004567")
    here = _subscribe(citizen, push_service, "here", commune=world.commune)
    _subscribe(neighbour, push_service, "there", commune=world.other_committee.unit)
    with django_capture_on_commit_callbacks(execute=True):
        warning = actions.publish_warning(acting_user=centre, title="Triều cường", text="Nước dâng 0,5 m tối nay.",
                                          severity="danger", commune_ids=[world.commune.pk],
                                          valid_until=timezone.now() + datetime.timedelta(hours=12))
    assert here.decrypt(push_service.for_path("here")[0]["body"])["title"] == "⚠ Triều cường"
    assert push_service.for_path("there") == []
    assert AuditEvent.objects.filter(action="citizenapp.warning_published", object_id=str(warning.pk)).exists()
    with pytest.raises(PermissionDenied):
        actions.publish_warning(acting_user=world.clerk, title="x", text="y", severity="info",
                                commune_ids=[world.commune.pk], valid_until=timezone.now())
    with pytest.raises(InvalidInput) as bad:
        actions.publish_warning(acting_user=centre, title="", text="", severity="bão", commune_ids=[],
                                valid_until=timezone.now())
    assert {e["field"] for e in bad.value.errors} == {"title", "text", "severity", "communes", "valid_until"}


def test_vapid_keys_are_created_once_outside_the_repository(settings, tmp_path):
    settings.TINHSO_VAPID_PRIVATE_KEY = settings.TINHSO_VAPID_PUBLIC_KEY = ""
    settings.TINHSO_VAPID_FILE = tmp_path / "var" / "vapid.json"
    call_command("vapid_keys", stdout=open(os.devnull, "w"))
    first = json.loads(settings.TINHSO_VAPID_FILE.read_text())
    assert oct(settings.TINHSO_VAPID_FILE.stat().st_mode & 0o777) == "0o600"
    call_command("vapid_keys", stdout=open(os.devnull, "w"))
    assert json.loads(settings.TINHSO_VAPID_FILE.read_text()) == first
    from py_vapid import Vapid

    assert Vapid.from_string(first["private_key"]).public_key is not None


@pytest.mark.parametrize("endpoint", ["http://[::1/x", "https://push.example/\x00", "", "javascript:alert(1)"])
def test_broken_endpoints_are_refused_not_a_500(citizen, endpoint):
    client = Client()
    client.force_login(citizen)
    browser = Browser()
    r = client.post("/api/v1/app/push/subscriptions", {"endpoint": endpoint, "p256dh": browser.p256dh,
                                                        "auth": browser.auth_b64, "commune_id": 2**70},
                    content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "invalid_push_endpoint"
    assert client.post("/api/v1/app/push/unsubscribe", {"endpoint": endpoint},
                       content_type="application/json").status_code == 422
    assert client.get("/api/v1/app/weather", {"commune_id": 2**70}).status_code in (404, 422)


def test_announcements_go_to_those_who_chose_them(citizen, vapid, push_service, django_capture_on_commit_callbacks):
    from tinhso.citizenapp.push import announce

    wants = _subscribe(citizen, push_service, "wants", topics=["announcements"])
    other = User.objects.create_user(username="cccd-093078006789", is_citizen=True, id_number="093078006789")
    _subscribe(other, push_service, "no-thanks", topics=["dossiers"])
    with django_capture_on_commit_callbacks(execute=True):
        assert announce("Lịch tiếp công dân", "Chủ tịch tiếp công dân ngày 15.", "news:7", "/tin-tuc/7/") == 1
    assert wants.decrypt(push_service.for_path("wants")[0]["body"])["url"] == "/tin-tuc/7/"
    assert push_service.for_path("no-thanks") == []
