"""The sandbox provider's endpoints, spoken to directly as a client would."""

import base64
import datetime
import hashlib
import secrets

import pytest
from django.utils import timezone
from joserfc import jwt

from tinhso.identity import conf, sandbox
from tinhso.identity.models import SandboxAuthorizationCode, SandboxSigningKey

REDIRECT = "http://testserver/dinh-danh/callback/"
AN = "092085001234"


@pytest.fixture
def on(db, settings):
    settings.TINHSO_OIDC_SANDBOX = True
    settings.TINHSO_OIDC_ISSUER = ""


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def basic():
    raw = f"{conf.client_id()}:{conf.client_secret()}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def code_for(challenge, nonce="n1"):
    return sandbox.issue_code(client_id=conf.client_id(), redirect_uri=REDIRECT, id_number=AN,
                              scope="openid profile", nonce=nonce, code_challenge=challenge)


def redeem(client, code, verifier, auth=None, **extra):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier,
            **extra}
    headers = {"authorization": auth} if auth else {}
    return client.post("/sandbox/idp/token", data, headers=headers)


def test_discovery_document(client, on):
    doc = client.get("/sandbox/idp/.well-known/openid-configuration").json()
    assert doc["issuer"] == "http://testserver/sandbox/idp"
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert set(doc["token_endpoint_auth_methods_supported"]) == {"client_secret_basic", "client_secret_post"}
    assert doc["end_session_endpoint"].endswith("/sandbox/idp/logout")


def test_token_issued_and_signed(client, on):
    verifier, challenge = pkce()
    response = redeem(client, code_for(challenge), verifier, basic())
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = response.json()
    token = jwt.decode(body["id_token"], sandbox.key_set(), algorithms=["RS256"])
    assert token.header["alg"] == "RS256"
    assert token.claims["iss"] == "http://testserver/sandbox/idp" and token.claims["aud"] == conf.client_id()
    assert token.claims["nonce"] == "n1" and token.claims["id_number"] == AN
    info = client.get("/sandbox/idp/userinfo", headers={"authorization": f"Bearer {body['access_token']}"})
    assert info.status_code == 200 and info.json()["name"] == "Nguyễn Văn An"
    assert info.json()["sub"] == token.claims["sub"]


def test_code_reuse_rejected_and_tokens_revoked(client, on):
    verifier, challenge = pkce()
    code = code_for(challenge)
    first = redeem(client, code, verifier, basic())
    assert first.status_code == 200
    second = redeem(client, code, verifier, basic())
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"
    info = client.get("/sandbox/idp/userinfo", headers={"authorization": f"Bearer {first.json()['access_token']}"})
    assert info.status_code == 401


def test_pkce_verifier_mismatch_rejected(client, on):
    verifier, challenge = pkce()
    code = code_for(challenge)
    wrong, _ = pkce()
    response = redeem(client, code, wrong, basic())
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    assert "PKCE" in response.json()["error_description"]
    # and the code is spent: the right verifier afterwards does not help
    assert redeem(client, code, verifier, basic()).status_code == 400


def test_missing_verifier_rejected(client, on):
    _, challenge = pkce()
    assert redeem(client, code_for(challenge), "", basic()).json()["error"] == "invalid_grant"


def test_expired_code_rejected(client, on):
    verifier, challenge = pkce()
    code = code_for(challenge)
    SandboxAuthorizationCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = redeem(client, code, verifier, basic())
    assert response.status_code == 400 and "expired" in response.json()["error_description"]


def test_codes_expire_after_60_seconds(on):
    _, challenge = pkce()
    code_for(challenge)
    row = SandboxAuthorizationCode.objects.get()
    assert (row.expires_at - row.auth_time).total_seconds() == 60


def test_redirect_uri_must_match(client, on):
    verifier, challenge = pkce()
    response = redeem(client, code_for(challenge), verifier, basic(), redirect_uri="http://testserver/other/")
    assert response.json()["error"] == "invalid_grant"


def test_client_authentication(client, on):
    verifier, challenge = pkce()
    bad = "Basic " + base64.b64encode(f"{conf.client_id()}:wrong".encode()).decode()
    response = redeem(client, code_for(challenge), verifier, bad)
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    response = redeem(client, code_for(challenge), verifier)
    assert response.status_code == 401
    # client_secret_post
    response = redeem(client, code_for(challenge), verifier, client_id=conf.client_id(),
                      client_secret=conf.client_secret())
    assert response.status_code == 200


def test_userinfo_needs_bearer(client, on):
    assert client.get("/sandbox/idp/userinfo").status_code == 401
    assert client.get("/sandbox/idp/userinfo", headers={"authorization": "Bearer nope"}).status_code == 401


def test_authorize_refuses_unknown_redirect_uri_without_redirecting(client, on):
    _, challenge = pkce()
    response = client.get("/sandbox/idp/authorize", {
        "response_type": "code", "client_id": conf.client_id(), "redirect_uri": "https://evil.example.com/cb",
        "scope": "openid profile", "state": "s", "nonce": "n", "code_challenge": challenge,
        "code_challenge_method": "S256"})
    assert response.status_code == 400


def test_authorize_requires_pkce_s256(client, on):
    response = client.get("/sandbox/idp/authorize", {
        "response_type": "code", "client_id": conf.client_id(), "redirect_uri": REDIRECT,
        "scope": "openid profile", "state": "s", "nonce": "n", "code_challenge": "x" * 43,
        "code_challenge_method": "plain"})
    assert response.status_code == 302 and "error=invalid_request" in response["Location"]


def test_signing_key_is_stored_once_and_shared(on):
    first = sandbox.signing_key()
    second = sandbox.signing_key()
    assert first.kid == second.kid and SandboxSigningKey.objects.count() == 1
    assert sandbox.jwks()["keys"][0]["kid"] == first.kid and "d" not in sandbox.jwks()["keys"][0]


def test_demo_citizens(on):
    people = sandbox.citizens()
    assert len(people) >= 4
    for person in people:
        assert len(person["id_number"]) == 12 and person["id_number"][:3] in {"092", "093", "094"}
        assert "Cần Thơ" in person["address"]
        datetime.date.fromisoformat(person["birth_date"])
    assert len({p["id_number"] for p in people}) == len(people)


def test_sandbox_off_is_404(client, db, settings):
    settings.TINHSO_OIDC_SANDBOX = False
    for path in ["/sandbox/idp/.well-known/openid-configuration", "/sandbox/idp/jwks", "/sandbox/idp/authorize"]:
        assert client.get(path).status_code == 404
