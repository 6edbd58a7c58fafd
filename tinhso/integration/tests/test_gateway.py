"""The gateway: credentials, scopes, rate limits, OAuth 2.0 client
credentials (proved with Authlib's client, which we did not write) and the
log row of every call."""

from __future__ import annotations

import datetime

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from django.utils import timezone

from tinhso.integration import actions
from tinhso.integration.models import AccessToken, ApiKey, MessageLog
from tinhso.dossiers.tests.conftest import receive, world  # noqa: F401

DOSSIERS = "/api/v1/dossiers"


def _get(client, key=None, token=None, path=DOSSIERS):
    headers = {}
    if key:
        headers["X-API-Key"] = key
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.get(path, headers=headers)


@pytest.mark.django_db
def test_a_granted_key_calls_and_an_ungranted_one_is_refused(client, system):
    _row, key = actions.issue_key(acting_user=None, client=system, scopes=["dossiers"])
    response = _get(client, key)
    assert response.status_code == 200, response.content
    other = actions.register_client(acting_user=None, name="Ứng dụng phản ánh của xã")
    _row, other_key = actions.issue_key(acting_user=None, client=other, scopes=["open311"])
    response = _get(client, other_key)
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "scope_not_granted" and "dossiers" in body["message"]
    assert _get(client, "ts_not-a-key").json()["code"] == "credential_invalid"
    assert _get(client).status_code == 401  # neither a key nor a session
    rows = list(MessageLog.objects.filter(direction="in", service="dossiers").order_by("seq"))
    assert [(r.client_id, r.status, r.outcome) for r in rows] == [
        (system.pk, 200, "ok"), (other.pk, 403, "refused"), (None, 401, "refused")]
    assert rows[0].response_digest and rows[0].operation == "GET /api/v1/dossiers"


@pytest.mark.django_db
def test_the_caller_acts_as_its_service_account_within_its_agency(client, world):
    """Object access of a machine caller is its service account's: its unit and roles."""
    dossier = receive(world)
    system = actions.register_client(acting_user=None, name="Hệ thống một cửa của phường")
    actions.grant_services(acting_user=None, client=system, codes=["dossiers"])
    _row, key = actions.issue_key(acting_user=None, client=system, scopes=["dossiers"])
    actions.update_client(acting_user=None, client=system, service_user=world.clerk)
    assert [d["code"] for d in _get(client, key).json()["items"]] == [dossier.code]
    assert _get(client, key, path=f"{DOSSIERS}/{dossier.code}").status_code == 200
    assert MessageLog.objects.order_by("-seq").first().subject == dossier.code
    actions.update_client(acting_user=None, client=system, service_user=world.outsider)  # another ward's clerk
    assert _get(client, key).json()["items"] == []
    assert _get(client, key, path=f"{DOSSIERS}/{dossier.code}").status_code == 404
    actions.update_client(acting_user=None, client=system, clear_service_user=True)
    assert _get(client, key).json()["items"] == []


@pytest.mark.django_db
def test_taking_a_service_away_strips_it_from_keys_and_tokens_at_once(client, system):
    _row, key = actions.issue_key(acting_user=None, client=system, scopes=["dossiers"])
    assert _get(client, key).status_code == 200
    actions.grant_services(acting_user=None, client=system, codes=[])
    assert _get(client, key).status_code == 403
    with pytest.raises(Exception) as info:
        actions.issue_key(acting_user=_admin(system), client=system, scopes=["dossiers"])
    assert "Phạm vi không hợp lệ" in str(info.value)


def _admin(system):
    from tinhso.testing import make_agency, make_staff

    return make_staff("quantri.tichhop", roles=[("system_admin", make_agency("000.00.02.H13", "TTPVHCC"))])


@pytest.mark.django_db
def test_expired_and_rotated_credentials(client, system):
    row, key = actions.issue_key(acting_user=None, client=system, scopes=["dossiers"], valid_days=30)
    assert row.expires_at > timezone.now() + datetime.timedelta(days=29)
    new, new_key = actions.rotate_key(acting_user=None, key_id=row.pk, grace_hours=2)
    assert _get(client, key).status_code == 200 and _get(client, new_key).status_code == 200  # grace period
    ApiKey.objects.filter(pk=row.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = _get(client, key)
    assert response.status_code == 401 and response.json()["code"] == "credential_expired"
    assert _get(client, new_key).status_code == 200 and new.rotated_from_id == row.pk


@pytest.mark.django_db
def test_rate_limit_answers_429_with_retry_after(client, system):
    actions.update_client(acting_user=None, client=system, rate_limit=2)
    _row, key = actions.issue_key(acting_user=None, client=system, scopes=["dossiers"])
    assert [_get(client, key).status_code for _ in range(2)] == [200, 200]
    response = _get(client, key)
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "2 lượt" in response.json()["message"]
    assert MessageLog.objects.filter(outcome="limited", client=system).count() == 1


@pytest.mark.django_db
def test_oauth_client_credentials_with_authlib(client, system, wire):
    row, secret = actions.issue_key(acting_user=None, client=system, scopes=["dossiers"], kind="oauth")
    session = OAuth2Session(row.prefix, secret, scope="dossiers")
    session.mount("http://testserver/", wire)
    token = session.fetch_token("http://testserver/oauth/token", grant_type="client_credentials")
    assert token["token_type"].lower() == "bearer" and token["scope"] == "dossiers" and token["expires_in"] == 900
    response = session.get(f"http://testserver{DOSSIERS}")  # Authlib sends the bearer token
    assert response.status_code == 200, response.text
    # Basic auth (Authlib's default) and form credentials both work; a wrong secret is invalid_client
    bad = requests.Session()
    bad.mount("http://testserver/", wire)
    answer = bad.post("http://testserver/oauth/token", data={"grant_type": "client_credentials",
                                                             "client_id": row.prefix, "client_secret": "nope"})
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"
    answer = bad.post("http://testserver/oauth/token", data={"grant_type": "password", "client_id": row.prefix,
                                                             "client_secret": secret})
    assert answer.status_code == 400 and answer.json()["error"] == "unsupported_grant_type"
    answer = bad.post("http://testserver/oauth/token", data={"grant_type": "client_credentials", "scope": "open311",
                                                             "client_id": row.prefix, "client_secret": secret})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_scope"
    # an expired token is refused with its own code; a revoked credential kills its tokens
    AccessToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(DOSSIERS, headers={"Authorization": f"Bearer {token['access_token']}"})
    assert response.status_code == 401 and response.json()["code"] == "token_expired"
    token = session.fetch_token("http://testserver/oauth/token", grant_type="client_credentials")
    actions.revoke_key(acting_user=None, key_id=row.pk)
    response = client.get(DOSSIERS, headers={"Authorization": f"Bearer {token['access_token']}"})
    assert response.status_code == 401
    assert MessageLog.objects.filter(service="oauth", outcome="ok").count() == 2
    meta = client.get("/.well-known/oauth-authorization-server").json()
    assert meta["token_endpoint"].endswith("/oauth/token") and "dossiers" in meta["scopes_supported"]


@pytest.mark.django_db(transaction=True)
def test_a_revoked_key_is_refused_at_once_by_another_server_process(live_server, real_units):
    """The live server answers from its own thread and database connection: no
    process keeps a copy of the key, so revoking here refuses the next call there."""
    from tinhso.testing import make_agency, make_staff

    agency = make_agency("000.00.02.H13", "Trung tâm Phục vụ hành chính công")
    client = actions.register_client(acting_user=None, name="Hệ thống ngành")
    actions.grant_services(acting_user=None, client=client, codes=["dossiers"])
    actions.update_client(acting_user=None, client=client,
                          service_user=make_staff("dichvu.nganh", roles=[("clerk", agency)]))
    row, key = actions.issue_key(acting_user=None, client=client, scopes=["dossiers"])
    url = f"{live_server.url}{DOSSIERS}"
    assert requests.get(url, headers={"X-API-Key": key}, timeout=10).status_code == 200
    actions.revoke_key(acting_user=None, key_id=row.pk)
    response = requests.get(url, headers={"X-API-Key": key}, timeout=10)
    assert response.status_code == 401 and response.json()["code"] == "credential_revoked"


@pytest.mark.django_db
def test_the_open311_key_goes_through_the_same_gateway(client, db):
    rogue = actions.register_client(acting_user=None, name="Ứng dụng khác")
    _row, key = actions.issue_key(acting_user=None, client=rogue, scopes=["dossiers"])
    response = client.get("/open311/v2/requests.json", {"api_key": key})
    assert response.status_code == 403  # a key without open311 cannot read Open311 as a client
    row = MessageLog.objects.get(service="open311")
    assert row.client_id == rogue.pk and row.outcome == "refused"


@pytest.mark.django_db
def test_a_retired_service_is_refused_and_a_deprecated_one_says_so(client, system):
    from tinhso.integration.models import Service

    _row, key = actions.issue_key(acting_user=None, client=system, scopes=["dossiers"])
    service = Service.objects.get(code="dossiers")
    actions.update_service(acting_user=None, service=service, status="deprecated")
    response = _get(client, key)
    assert response.status_code == 200 and response["Deprecation"] == "true"
    actions.update_service(acting_user=None, service=service, status="retired")
    response = _get(client, key)
    assert response.status_code == 410 and response.json()["code"] == "service_retired"
    assert "đã ngừng" in response.json()["message"]
    assert MessageLog.objects.order_by("-seq").first().outcome == "refused"
    actions.update_service(acting_user=None, service=service, status="active")
    assert _get(client, key).status_code == 200


@pytest.mark.django_db
def test_wrong_credentials_from_one_address_are_cut_off_and_do_not_flood_the_log(client, settings, system):
    """Past the refusal limit an address is answered 429 at once; one log row
    marks the cut, the rest of the minute writes none (the chained log cannot
    be flooded, keys cannot be guessed at speed); a right key from elsewhere
    still works."""
    settings.TINHSO_GATEWAY_REFUSALS_PER_MINUTE = 5
    for _ in range(5):
        assert _get(client, "ts_guess").status_code == 401
    before = MessageLog.objects.count()
    for _ in range(10):
        response = _get(client, "ts_guess")
        assert response.status_code == 429 and response.json()["code"] == "too_many_refusals"
        assert int(response["Retry-After"]) > 0
    assert MessageLog.objects.count() == before + 1
    assert MessageLog.objects.order_by("-seq").first().outcome == "limited"
    token = client.post("/oauth/token", {"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"})
    assert token.status_code == 429 and token.json()["error"] == "slow_down"
    _row, key = actions.issue_key(acting_user=None, client=system, scopes=["dossiers"])
    assert _get(client, key).status_code == 429  # the same address, this minute
    assert client.get(DOSSIERS, headers={"X-API-Key": key}, REMOTE_ADDR="10.0.0.9").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_revoked_key_is_refused_at_once_by_a_separate_server_process(real_units):
    """A real second process (its own interpreter, connections and in-memory
    cache) serving the same PostgreSQL database: a key it has just accepted is
    refused on its very next call once revoked here. Nothing per process may
    hold a copy of a credential."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    from django.db import connection

    from tinhso.testing import make_agency, make_staff

    if connection.vendor != "postgresql":
        pytest.skip("a second process needs a database it can open: the PostgreSQL pass runs it")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    agency = make_agency("000.00.02.H13", "Trung tâm Phục vụ hành chính công")
    system = actions.register_client(acting_user=None, name="Hệ thống ngành ở tiến trình khác")
    actions.grant_services(acting_user=None, client=system, codes=["dossiers"])
    actions.update_client(acting_user=None, client=system,
                          service_user=make_staff("dichvu.tientrinh", roles=[("clerk", agency)]))
    row, key = actions.issue_key(acting_user=None, client=system, scopes=["dossiers"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TINHSO_", "DATABASE_URL", "DJANGO_"))}
    env.update({"DATABASE_URL": url, "TINHSO_LOG_LEVEL": "WARNING", "TINHSO_TSA_URL": "off"})
    root = Path(__file__).resolve().parents[3]
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=root,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        there = f"http://127.0.0.1:{port}{DOSSIERS}"
        for _ in range(3):  # warm: whatever that process could cache, it has
            assert requests.get(there, headers={"X-API-Key": key}, timeout=10).status_code == 200
        actions.revoke_key(acting_user=None, key_id=row.pk)
        response = requests.get(there, headers={"X-API-Key": key}, timeout=10)
        assert response.status_code == 401 and response.json()["code"] == "credential_revoked"
    finally:
        server.terminate()
        server.wait(timeout=10)
