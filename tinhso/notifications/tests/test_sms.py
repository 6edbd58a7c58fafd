"""The HTTP SMS provider through the integration platform: one message-log row
per message under the consumed service `sms` (the message's reference as
subject, never the phone number or the text), an SMS posted once, and the
breaker stopping the sends when the gateway keeps failing."""

import hashlib
import json

import pytest
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from tinhso.integration import log as message_log
from tinhso.integration import outbound
from tinhso.integration.models import Breaker, MessageLog, Service
from tinhso.notifications.citizen import deliver
from tinhso.notifications.models import OutgoingMessage
from tinhso.notifications.sms import SmsError

URL = "https://sms.example/api/v1/send"
PHONE = "0912345678"


class FakeGateway(BaseAdapter):
    """The SMS gateway: answers (status, body) in turn, the last one again and again."""

    def __init__(self, *answers):
        super().__init__()
        self.answers, self.received = list(answers), []

    def send(self, request, **kwargs):
        self.received.append(request)
        status, body = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        response = requests.Response()
        response.status_code, response._content, response.url, response.request = status, body, request.url, request
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json"})
        return response

    def close(self):
        pass


@pytest.fixture
def gateway(settings, monkeypatch):
    settings.TINHSO_SMS_PROVIDER = "http"
    settings.TINHSO_SMS_URL, settings.TINHSO_SMS_TOKEN = URL, "token-bi-mat"
    monkeypatch.setattr(outbound, "BACKOFF", 0)

    def mount(*answers):
        adapter = FakeGateway(*answers)
        monkeypatch.setitem(outbound.TRANSPORT_MOUNTS, "https://sms.example/", adapter)
        return adapter

    return mount


def message(n=1):
    return OutgoingMessage.objects.create(channel="sms", event="received", recipient=PHONE,
                                          body=f"Ho so 000.00.01.H13-260302-000{n} da duoc tiep nhan.",
                                          dedupe_key=f"test:{n}")


def test_a_message_is_one_row_of_the_message_log_without_the_number_or_the_text(db, gateway):
    sms_gateway = gateway((200, b'{"id": "MSG-1", "status": "accepted"}'))
    sms = message()
    deliver(sms)
    sms.refresh_from_db()
    assert sms.status == "sent" and sms.provider_reference == "MSG-1"
    sent, = sms_gateway.received
    assert json.loads(sent.body)["to"] == PHONE and sent.headers["Authorization"] == "Bearer token-bi-mat"
    row = MessageLog.objects.get(service="sms")
    assert (row.direction, row.operation, row.status, row.outcome) == ("out", f"POST {URL}", 200, "ok")
    assert row.subject == f"sms:{sms.pk}" and row.purpose == "Gửi tin nhắn cho công dân"
    assert row.request_digest == message_log.digest(sent.body) != hashlib.sha256(sent.body).hexdigest()  # keyed
    for text in (row.operation, row.purpose, row.subject):
        assert PHONE not in text and "tiep nhan" not in text


def test_a_refusal_is_an_error_but_not_an_outage(db, gateway):
    gateway((400, b'{"error": "invalid number"}'))
    with pytest.raises(SmsError, match="refused"):
        deliver(message())
    assert MessageLog.objects.get(service="sms").outcome == "invalid"
    assert Service.objects.get(code="sms").failures == 0


def test_an_sms_is_posted_once_and_the_breaker_opens_after_repeated_failures(db, gateway):
    Service.objects.filter(code="sms").update(max_retries=2, failure_threshold=2, cooldown_seconds=600)
    sms_gateway = gateway((503, b"busy"))
    first, second = message(1), message(2)
    for sms in (first, second):
        with pytest.raises(SmsError, match="unreachable"):
            deliver(sms)
    assert len(sms_gateway.received) == 2  # not retried: an SMS cannot be taken back
    assert Service.objects.get(code="sms").breaker == Breaker.OPEN

    third = message(3)
    with pytest.raises(SmsError, match="unreachable"):
        deliver(third)
    assert len(sms_gateway.received) == 2  # refused at once: the gateway was not called
    assert list(MessageLog.objects.filter(service="sms").order_by("seq").values_list("outcome", "subject")) == [
        ("error", f"sms:{first.pk}"), ("error", f"sms:{second.pk}"), ("circuit_open", f"sms:{third.pk}")]
