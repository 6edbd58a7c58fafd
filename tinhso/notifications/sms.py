"""SMS providers. Vietnamese brandname-SMS gateways each have their own API;
`HttpJsonSmsProvider` speaks a plain JSON-over-HTTPS protocol that a
province's contracted gateway (or an adapter in front of it) accepts, and
`SandboxSmsProvider` keeps messages in the outbox for the demo and tests.
Chosen by TINHSO_SMS_PROVIDER ("sandbox" or "http").

The HTTP provider sends through the integration platform's outbound client
as the consumed service `sms` (`tinhso.integration.outbound.call`: timeout,
circuit breaker, one message-log row per attempt). The log's subject is the
message's reference (`sms:<id>`): the phone number and the text are only in
the body, which the log keeps as a digest. A message is posted once (an SMS
cannot be taken back); the task that delivers it retries later."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tinhso.integration import outbound

SERVICE = "sms"


class SmsError(Exception):
    """The provider did not accept the message (the task will retry)."""


class SandboxSmsProvider:
    name = "sandbox"

    def send(self, to: str, text: str, *, reference: str = "") -> str:
        # The OutgoingMessage row is the sandbox's record; nothing leaves the machine.
        return "sandbox"


class HttpJsonSmsProvider:
    name = "http"

    def __init__(self, url: str, token: str, brandname: str, timeout: float | None = None):
        if not url or not token:
            raise ImproperlyConfigured("TINHSO_SMS_URL and TINHSO_SMS_TOKEN are required for the http SMS provider.")
        self.url, self.token, self.brandname, self.timeout = url, token, brandname, timeout

    def send(self, to: str, text: str, *, reference: str = "") -> str:
        """Post one message; `reference` (e.g. "sms:<id>", never the number) is the message log's subject."""
        try:
            response = outbound.call(SERVICE, "POST", self.url,
                                     json={"to": to, "text": text, "brandname": self.brandname},
                                     headers={"Authorization": f"Bearer {self.token}"},
                                     purpose="Gửi tin nhắn cho công dân", subject=reference, retry=False,
                                     timeout=self.timeout)
        except outbound.Unavailable as exc:
            raise SmsError(f"SMS gateway unreachable: {exc.detail}") from exc
        if response.status_code >= 400:
            raise SmsError(f"SMS gateway refused the message: HTTP {response.status_code} {response.text[:300]}")
        try:
            body = response.json() if response.content else {}
        except ValueError:
            body = None
        if not isinstance(body, dict):
            outbound.record_bad_answer(SERVICE, f"not a JSON object: {response.text[:200]!r}")
            raise SmsError(f"SMS gateway bad answer: {response.text[:300]}")
        if not body.get("id") or body.get("status") not in ("accepted", "queued", "sent"):
            raise SmsError(f"SMS gateway refused the message: {body}")
        return str(body["id"])


def get_provider():
    kind = getattr(settings, "TINHSO_SMS_PROVIDER", "sandbox")
    if kind == "sandbox":
        return SandboxSmsProvider()
    if kind == "http":
        return HttpJsonSmsProvider(settings.TINHSO_SMS_URL, settings.TINHSO_SMS_TOKEN, settings.TINHSO_SMS_BRANDNAME)
    raise ImproperlyConfigured(f"Unknown TINHSO_SMS_PROVIDER {kind!r}")
