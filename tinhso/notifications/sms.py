"""SMS providers. Vietnamese brandname-SMS gateways each have their own API;
`HttpJsonSmsProvider` speaks a plain JSON-over-HTTPS protocol that a
province's contracted gateway (or an adapter in front of it) accepts, and
`SandboxSmsProvider` keeps messages in the outbox for the demo and tests.
Chosen by TINHSO_SMS_PROVIDER ("sandbox" or "http")."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class SmsError(Exception):
    """The provider did not accept the message (the task will retry)."""


class SandboxSmsProvider:
    name = "sandbox"

    def send(self, to: str, text: str) -> str:
        # The OutgoingMessage row is the sandbox's record; nothing leaves the machine.
        return "sandbox"


class HttpJsonSmsProvider:
    name = "http"

    def __init__(self, url: str, token: str, brandname: str, timeout: float = 10):
        if not url or not token:
            raise ImproperlyConfigured("TINHSO_SMS_URL and TINHSO_SMS_TOKEN are required for the http SMS provider.")
        self.url, self.token, self.brandname, self.timeout = url, token, brandname, timeout

    def send(self, to: str, text: str) -> str:
        payload = json.dumps({"to": to, "text": text, "brandname": self.brandname}).encode("utf-8")
        request = urllib.request.Request(self.url, data=payload, method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = json.loads(response.read() or b"{}")
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise SmsError(f"SMS gateway unreachable or bad answer: {exc}") from exc
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
