import threading

import pytest
import requests

from tinhso.dossiers.tests.conftest import world  # noqa: F401 - the shared dossier world
from tinhso.integration import outbound
from tinhso.integration.models import Service
from tinhso.integration.registry import ensure
from tinhso.testing import DjangoTestClientAdapter


class ThreadSafeAdapter(DjangoTestClientAdapter):
    """One Django test client per thread (the concurrency tests send from two threads)."""

    def __init__(self):
        super().__init__()
        self._local = threading.local()

    @property
    def client(self):
        from django.test import Client

        if not hasattr(self._local, "client"):
            self._local.client = Client(enforce_csrf_checks=True)
        return self._local.client

    @client.setter
    def client(self, value):
        pass


class LossyAdapter(ThreadSafeAdapter):
    """Delivers the first `lose` sync messages to the portal, then loses the
    answer on the way back (the acknowledgement never arrives)."""

    def __init__(self, lose: int = 0):
        super().__init__()
        self.lose = lose
        self.garbage = False

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        if request.url.endswith("/DongBoHoSoMC"):
            if self.garbage:
                response._content = b"<html><body>502 Bad Gateway (proxy)</body></html>"
                response.status_code = 200
            elif self.lose > 0:
                self.lose -= 1
                raise requests.ConnectionError("connection reset by peer", request=request)
        return response


@pytest.fixture
def portal(settings, monkeypatch, db):
    settings.TINHSO_BASE_URL = "http://testserver"
    settings.TINHSO_NATIONAL_PORTAL_SANDBOX = True
    settings.TINHSO_NATIONAL_PORTAL_URL = ""
    adapter = LossyAdapter()
    monkeypatch.setitem(outbound.TRANSPORT_MOUNTS, "http://testserver/", adapter)
    monkeypatch.setattr(outbound, "BACKOFF", 0)
    ensure()
    Service.objects.filter(code="national-portal").update(cooldown_seconds=0)
    return adapter
