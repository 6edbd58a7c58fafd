"""End to end over real HTTP: a `requests` session plays the browser against
pytest-django's live server, and the relying party's back-channel calls
(discovery, token, JWKS, userinfo) are real HTTP requests to the sandbox on
that same server — exactly the demo set-up (TINHSO_OIDC_ISSUER unset)."""

import re
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model

from tinhso.identity.tests.conftest import query

AN = "092192004567"


@pytest.fixture
def live(live_server, settings):
    settings.TINHSO_OIDC_ISSUER = ""
    settings.TINHSO_OIDC_SANDBOX = True
    return live_server.url


def test_code_flow_over_real_http(live):
    browser = requests.Session()
    start = browser.get(f"{live}/dinh-danh/login/", params={"next": "/dvc/"}, allow_redirects=False, timeout=20)
    assert start.status_code == 302
    authorize_url = start.headers["Location"]
    assert authorize_url.startswith(f"{live}/sandbox/idp/authorize?")

    page = browser.get(authorize_url, timeout=20)
    assert page.status_code == 200 and "môi trường thử nghiệm" in page.text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    from django.conf import settings
    chosen = browser.post(authorize_url, data={"csrfmiddlewaretoken": csrf, "citizen": AN, "login": "1",
                                               "secret": settings.TINHSO_OIDC_SANDBOX_PASSWORD},
                          allow_redirects=False, timeout=20)
    assert chosen.status_code == 302
    callback_url = chosen.headers["Location"]
    assert urlsplit(callback_url).path == "/dinh-danh/callback/" and query(callback_url)["code"]

    done = browser.get(callback_url, allow_redirects=False, timeout=30)
    assert done.status_code == 302, done.text[:1000]
    assert done.headers["Location"] == "/dvc/"

    user = get_user_model().objects.get(id_number=AN)
    assert user.is_citizen and user.full_name == "Trần Thị Bích Ngọc" and user.phone == "0912345678"
    home = browser.get(f"{live}/dvc/", timeout=20)
    assert "Trần Thị Bích Ngọc" in home.text

    # the callback cannot be replayed (state is single-use; the code is too, see test_sandbox)
    again = browser.get(callback_url, allow_redirects=False, timeout=30)
    assert again.status_code == 400
