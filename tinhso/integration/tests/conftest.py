import pytest

from tinhso.integration import outbound
from tinhso.testing import DjangoTestClientAdapter, make_staff


@pytest.fixture
def wire(settings, monkeypatch):
    """National systems reached through the test client (no sockets); no backoff sleeps."""
    settings.TINHSO_BASE_URL = "http://testserver"
    adapter = DjangoTestClientAdapter()
    monkeypatch.setitem(outbound.TRANSPORT_MOUNTS, "http://testserver/", adapter)
    monkeypatch.setattr(outbound, "BACKOFF", 0)
    return adapter


@pytest.fixture
def clerk(agency):
    return make_staff("motcua.tinh", roles=[("clerk", agency)])


@pytest.fixture
def system(db, clerk):
    """A sector system granted `dossiers`, acting as a clerk of the provincial centre."""
    from tinhso.integration import actions

    client = actions.register_client(acting_user=None, name="Hệ thống một cửa ngành đất đai", code="so-nnmt-dat-dai")
    actions.grant_services(acting_user=None, client=client, codes=["dossiers"])
    actions.update_client(acting_user=None, client=client, service_user=clerk)
    return client
