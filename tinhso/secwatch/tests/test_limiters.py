"""Every limiter's refusal is a "rate limit hit" security event (`api_limited`),
like the integration gateway's refused calls: the public address recognition,
the public dossier look-up's lock, the field-report phone code's resend."""

from __future__ import annotations

import pytest

from tinhso.core.errors import TooManyAttempts
from tinhso.secwatch.models import SecurityEvent

pytestmark = pytest.mark.django_db


def _limited():
    return list(SecurityEvent.objects.filter(kind="api_limited").order_by("id"))


def test_the_address_recognition_limit_emits_an_event_per_refused_call(client, real_units, settings):
    settings.TINHSO_ADDRESS_RECOGNISE_PER_MINUTE = 2
    body = {"text": "phường Ninh Kiều, Cần Thơ"}
    codes = [client.post("/api/v1/addresses/recognise", body, content_type="application/json",
                         REMOTE_ADDR="203.0.113.5").status_code for _ in range(3)]
    assert codes == [200, 200, 429]  # the limiter still refuses as before
    page = client.get("/dia-chi/", {"text": "phường Ninh Kiều"}, REMOTE_ADDR="203.0.113.5")
    assert page.status_code == 429
    events = _limited()
    assert [(e.address, e.severity, e.detail["limiter"]) for e in events] == [
        ("203.0.113.5", "warning", "addresses.recognise")] * 2
    assert events[0].detail["path"] == "/api/v1/addresses/recognise" and events[1].detail["path"] == "/dia-chi/"


def test_a_locked_dossier_code_emits_an_event_per_refused_look_up(client, db, settings):
    settings.TINHSO_LOOKUP_MAX_FAILURES = 2
    url = "/api/v1/public/dossiers/H13-260101-0001"
    assert [client.get(url, {"phone_last4": "1234"}, REMOTE_ADDR="198.51.100.7").status_code
            for _ in range(2)] == [404, 404]
    assert _limited() == []  # wrong digits alone are not a rate-limit event
    assert client.get(url, {"phone_last4": "1234"}, REMOTE_ADDR="198.51.100.7").status_code == 429
    page = client.get("/tra-cuu/", {"ma": "H13-260101-0001", "sdt": "1234"}, REMOTE_ADDR="198.51.100.8")
    assert "quá nhiều lần" in page.content.decode()
    events = _limited()
    assert [(e.address, e.detail["limiter"], e.detail["code"]) for e in events] == [
        ("198.51.100.7", "dossiers.lookup", "H13-260101-0001"), ("198.51.100.8", "dossiers.lookup", "H13-260101-0001")]


def test_a_refused_phone_code_resend_emits_an_event_that_survives_the_rollback(db):
    from tinhso.fieldreports import actions
    from tinhso.fieldreports.models import PhoneConfirmation

    actions.send_phone_code(phone="0912 345 678", address="10.9.8.7")
    with pytest.raises(TooManyAttempts):
        actions.send_phone_code(phone="0912345678", address="10.9.8.7")
    assert PhoneConfirmation.objects.count() == 1
    (event,) = _limited()
    assert event.address == "10.9.8.7" and event.detail["limiter"] == "fieldreports.phone_code"
    assert "0912345678" not in str(event.detail)  # no phone number in the security event


def test_a_failing_watcher_never_turns_a_refusal_into_a_500(client, real_units, settings, monkeypatch):
    from tinhso.secwatch import events

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(events.SecurityEvent.objects, "create", broken)
    settings.TINHSO_ADDRESS_RECOGNISE_PER_MINUTE = 1
    body = {"text": "phường Ninh Kiều"}
    codes = [client.post("/api/v1/addresses/recognise", body, content_type="application/json").status_code
             for _ in range(2)]
    assert codes == [200, 429]
