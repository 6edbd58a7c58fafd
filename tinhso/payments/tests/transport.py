"""A `requests` transport adapter that hands each request to Django's test client.

The payment client's back-channel calls (status query, refund) and the
sandbox gateway's callback to the platform go through the very same
`requests` code as in production; only the last hop — the socket — is
replaced, so a test needs no live server and runs inside the test's database
transaction. Mounted via `gateway.TRANSPORT_MOUNTS` for http://testserver/."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests
from django.test import Client
from requests.structures import CaseInsensitiveDict

HOP_HEADERS = {"content-type", "content-length", "host", "connection", "accept-encoding"}


class DjangoTestClientAdapter(requests.adapters.BaseAdapter):
    def __init__(self):
        super().__init__()
        self.client = Client(enforce_csrf_checks=True)
        self.calls: list[tuple[str, str, int]] = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        parts = urlsplit(request.url)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        django_response = self.client.generic(
            request.method, parts.path + (f"?{parts.query}" if parts.query else ""), data=body,
            content_type=request.headers.get("Content-Type", ""), secure=parts.scheme == "https", headers=headers)
        self.calls.append((request.method, parts.path, django_response.status_code))
        response = requests.Response()
        response.status_code = django_response.status_code
        response.headers = CaseInsensitiveDict(dict(django_response.items()))
        response._content = django_response.content
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass
