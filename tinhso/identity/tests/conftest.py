from urllib.parse import parse_qs, urlsplit

import pytest

from tinhso.identity import oidc
from tinhso.integration import outbound
from tinhso.testing import DjangoTestClientAdapter

TESTSERVER = "http://testserver"
ISSUER = f"{TESTSERVER}/sandbox/idp"


@pytest.fixture(autouse=True)
def _fresh_clients(monkeypatch):
    oidc.reset_clients()
    monkeypatch.setattr(outbound, "BACKOFF", 0)  # no sleeps between retries of a provider that is down
    yield
    oidc.reset_clients()


@pytest.fixture
def transport(db, settings, monkeypatch):
    """Back-channel HTTP to http://testserver goes (through the integration
    platform's outbound client) to the Django test client."""
    settings.TINHSO_OIDC_ISSUER = ""
    settings.TINHSO_OIDC_SANDBOX = True
    adapter = DjangoTestClientAdapter()
    monkeypatch.setitem(outbound.TRANSPORT_MOUNTS, f"{TESTSERVER}/", adapter)
    return adapter


def query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def sandbox_password() -> str:
    from django.conf import settings
    return settings.TINHSO_OIDC_SANDBOX_PASSWORD


class Flow:
    """Drives the browser side of a sign-in with Django's test client."""

    def __init__(self, client):
        self.client = client

    def start(self, next_url="/dvc/"):
        response = self.client.get("/dinh-danh/login/", {"next": next_url})
        assert response.status_code == 302, response.content[:500]
        self.authorize_url = response["Location"]
        assert self.authorize_url.startswith(f"{ISSUER}/authorize?")
        return self.authorize_url

    def authorize(self, id_number="092085001234", secret=None, cancel=False):
        path = urlsplit(self.authorize_url)
        page = self.client.get(path.path + "?" + path.query)
        assert page.status_code == 200
        assert "Cổng định danh điện tử (môi trường thử nghiệm)" in page.content.decode()
        data = {"citizen": id_number, "secret": secret if secret is not None else sandbox_password()}
        data["cancel" if cancel else "login"] = "1"
        response = self.client.post(path.path + "?" + path.query, data)
        assert response.status_code == 302, response.content[:800]
        self.callback_url = response["Location"]
        return self.callback_url

    def callback(self, url=None):
        path = urlsplit(url or self.callback_url)
        return self.client.get(path.path + "?" + path.query)

    def sign_in(self, id_number="092085001234", next_url="/dvc/"):
        self.start(next_url)
        self.authorize(id_number)
        return self.callback()


@pytest.fixture
def flow(client, transport):
    return Flow(client)
