import pytest

from tinhso.dossiers.tests.conftest import world  # noqa: F401 - the shared dossier world
from tinhso.integration import outbound
from tinhso.integration.models import Service
from tinhso.integration.registry import ensure
from tinhso.testing import DjangoTestClientAdapter


@pytest.fixture
def post(settings, monkeypatch, db):
    settings.TINHSO_BASE_URL = "http://testserver"
    settings.TINHSO_POSTAL_SANDBOX = True
    settings.TINHSO_POSTAL_URL = ""
    settings.TINHSO_NATIONAL_PORTAL_SANDBOX = False  # the outbox just fills up here
    adapter = DjangoTestClientAdapter()
    monkeypatch.setitem(outbound.TRANSPORT_MOUNTS, "http://testserver/", adapter)
    monkeypatch.setattr(outbound, "BACKOFF", 0)
    ensure()
    Service.objects.filter(code="postal").update(cooldown_seconds=0)
    return adapter
