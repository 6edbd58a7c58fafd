"""The whole sign-in through the sandbox provider: browser side with Django's
test client, back channel through requests (tinhso.testing.DjangoTestClientAdapter)."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from tinhso.audit.models import AuditEvent
from tinhso.testing import make_staff
from tinhso.identity.tests.conftest import ISSUER, Flow, query

User = get_user_model()
AN = "092085001234"


def logged_in_user(client):
    from django.contrib.auth import SESSION_KEY
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


def test_full_code_flow_with_pkce(flow, client, transport):
    authorize_url = flow.start("/dvc/")
    params = query(authorize_url)
    assert params["response_type"] == "code"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert params["state"] and params["nonce"]
    assert params["scope"] == "openid profile"
    assert params["redirect_uri"] == "http://testserver/dinh-danh/callback/"

    callback_url = flow.authorize(AN)
    back = query(callback_url)
    assert back["state"] == params["state"] and back["code"] and back["iss"] == ISSUER

    response = flow.callback()
    assert response.status_code == 302 and response["Location"] == "/dvc/"
    user = logged_in_user(client)
    assert user is not None and user.is_citizen and user.id_number == AN
    assert user.full_name == "Nguyễn Văn An"
    assert user.birth_date == datetime.date(1985, 3, 12)
    assert "Phường Ninh Kiều" in user.address
    assert user.phone == "0901234567" and user.email == "nguyenvanan@example.com"
    assert user.eid_level == "2"
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(action="identity.login")
    assert event.personal_data and event.object_id == str(user.pk)
    # back channel really went over the requests transport
    paths = [p for _, p, _ in transport.calls]
    assert "/sandbox/idp/.well-known/openid-configuration" in paths
    assert "/sandbox/idp/token" in paths and "/sandbox/idp/jwks" in paths and "/sandbox/idp/userinfo" in paths
    # the portal now shows the citizen as signed in
    home = client.get("/dvc/")
    assert "Nguyễn Văn An" in home.content.decode()


def test_second_login_updates_same_account(flow, client):
    flow.sign_in(AN)
    user = User.objects.get(id_number=AN)
    User.objects.filter(pk=user.pk).update(full_name="Tên cũ", phone="000")
    client.logout()
    flow.sign_in(AN)
    assert User.objects.filter(id_number=AN).count() == 1
    user.refresh_from_db()
    assert user.full_name == "Nguyễn Văn An" and user.phone == "0901234567"
    assert logged_in_user(client).pk == user.pk
    assert AuditEvent.objects.filter(action="identity.login").count() == 2


def test_client_secret_post_also_works(flow, client, settings):
    settings.TINHSO_OIDC_TOKEN_AUTH_METHOD = "client_secret_post"
    response = flow.sign_in("093078006789")
    assert response.status_code == 302
    assert logged_in_user(client).id_number == "093078006789"


def test_one_time_code_instead_of_password(flow, client):
    from tinhso.identity import sandbox
    flow.start()
    flow.authorize("094301003456", secret=sandbox.one_time_code("094301003456"))
    assert flow.callback().status_code == 302
    assert logged_in_user(client).full_name == "Thạch Thị Sa Rinh"


def test_wrong_password_stays_on_sandbox_page(flow, client):
    url = flow.start()
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    response = client.post(parts.path + "?" + parts.query, {"citizen": AN, "secret": "sai", "login": "1"})
    assert response.status_code == 400
    assert "không đúng" in response.content.decode()


def test_cancel_shows_error_page_and_no_session(flow, client):
    flow.start()
    callback_url = flow.authorize(AN, cancel=True)
    assert query(callback_url)["error"] == "access_denied"
    response = flow.callback()
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bạn đã hủy đăng nhập" in html and "thử lại" in html
    assert logged_in_user(client) is None
    assert not User.objects.filter(id_number=AN).exists()


def test_state_mismatch_rejected(flow, client):
    flow.start()
    callback_url = flow.authorize(AN)
    params = query(callback_url)
    response = client.get("/dinh-danh/callback/", {"code": params["code"], "state": "forged-state"})
    assert response.status_code == 400
    assert "state" in response.content.decode()
    assert logged_in_user(client) is None


def test_callback_in_another_browser_rejected(flow, client):
    """A code delivered to a browser that did not start the login (login CSRF) fails."""
    from django.test import Client
    flow.start()
    callback_url = flow.authorize(AN)
    other = Flow(Client())
    response = other.callback(callback_url)
    assert response.status_code == 400
    assert not User.objects.filter(id_number=AN).exists()


def test_next_to_another_host_ignored(flow, client):
    response = flow.sign_in(AN, next_url="https://evil.example.com/steal")
    assert response.status_code == 302 and response["Location"] == "/dvc/"
    client.logout()
    response = flow.sign_in(AN, next_url="//evil.example.com/")
    assert response["Location"] == "/dvc/"


def test_next_on_same_host_kept(flow, client):
    response = flow.sign_in(AN, next_url="/dvc/ho-so-cua-toi/?trang=2")
    assert response["Location"] == "/dvc/ho-so-cua-toi/?trang=2"


@pytest.mark.parametrize("kind", ["roles", "not_citizen"])
def test_staff_account_not_taken_over(flow, client, agency, kind):
    if kind == "roles":
        staff = make_staff("canbo", roles=[("clerk", agency)])
        staff.is_citizen = True  # even if someone ticked the box
    else:
        staff = User.objects.create_user("nguoidung", password="mat-khau-rat-dai-123")
    staff.id_number = AN
    staff.save()
    response = flow.sign_in(AN)
    assert response.status_code == 403
    assert "tài khoản cán bộ" in response.content.decode()
    assert logged_in_user(client) is None
    staff.refresh_from_db()
    assert staff.full_name != "Nguyễn Văn An"
    assert staff.has_usable_password() or kind == "roles"
    assert AuditEvent.objects.filter(action="identity.login_refused", object_id=str(staff.pk)).exists()
    assert not AuditEvent.objects.filter(action="identity.login").exists()


def test_provider_unreachable_is_an_error_page(client, db, settings):
    settings.TINHSO_OIDC_ISSUER = "http://127.0.0.1:9/idp"  # nothing listens on the discard port
    settings.TINHSO_OIDC_CLIENT_SECRET = "s3cret-from-the-provider"
    settings.TINHSO_OIDC_TIMEOUT = 2
    response = client.get("/dinh-danh/login/", {"next": "/dvc/"})
    assert response.status_code == 502
    assert "Không kết nối được" in response.content.decode()
    assert "/dinh-danh/login/?next=%2Fdvc%2F" in response.content.decode()


def test_not_configured_in_production_like_settings(client, db, settings):
    settings.TINHSO_OIDC_ISSUER = ""
    settings.TINHSO_OIDC_SANDBOX = False
    response = client.get("/dinh-danh/login/")
    assert response.status_code == 503
    assert "Chưa cấu hình" in response.content.decode()
    assert client.get("/sandbox/idp/.well-known/openid-configuration").status_code == 404


def test_real_issuer_without_client_secret_is_not_configured(client, db, settings):
    settings.TINHSO_OIDC_ISSUER = "https://id.example.gov.vn"
    settings.TINHSO_OIDC_CLIENT_SECRET = ""
    response = client.get("/dinh-danh/login/")
    assert response.status_code == 503 and "TINHSO_OIDC_CLIENT_SECRET" in response.content.decode()


def test_start_page_when_asked(client, db):
    response = client.get("/dinh-danh/login/", {"start": "0", "next": "/dvc/"})
    assert response.status_code == 200
    assert "Tiếp tục đến cổng định danh điện tử" in response.content.decode()


def test_logout_ends_session_and_provider_session(flow, client):
    flow.sign_in(AN)
    assert client.get("/dinh-danh/logout/").status_code == 405
    response = client.post("/dinh-danh/logout/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{ISSUER}/logout?")
    params = query(response["Location"])
    assert params["id_token_hint"] and params["post_logout_redirect_uri"] == "http://testserver/dvc/"
    assert logged_in_user(client) is None
    from tinhso.identity.models import SandboxAccessToken
    from urllib.parse import urlsplit
    parts = urlsplit(response["Location"])
    back = client.get(parts.path + "?" + parts.query)
    assert back.status_code == 302 and back["Location"].startswith("http://testserver/dvc/")
    assert not SandboxAccessToken.objects.filter(revoked=False).exists()


def test_pkce_verifier_mismatch_through_the_relying_party(flow, client):
    """If the verifier kept in the session does not match the challenge sent, the provider refuses the code."""
    flow.start()
    session = client.session
    key = next(k for k in session.keys() if k.startswith("_state_tinhso_eid_"))
    data = session[key]
    data["data"]["code_verifier"] = "x" * 64
    session[key] = data
    session.save()
    flow.authorize(AN)
    response = flow.callback()
    assert response.status_code == 400
    assert "từ chối mã đăng nhập" in response.content.decode()
    assert logged_in_user(client) is None


def test_forged_id_token_rejected_in_flow(flow, client, monkeypatch):
    """The provider's token response carries an ID token signed with another key (same kid)."""
    from joserfc.jwk import RSAKey

    from tinhso.identity import sandbox
    real_sign = sandbox.sign

    def forge(claims, key=None):
        genuine = sandbox.signing_key()
        impostor = RSAKey.generate_key(2048, private=True, parameters={"kid": genuine.kid})
        return real_sign({**claims, "id_number": "092999999999"}, key=impostor)

    monkeypatch.setattr(sandbox, "sign", forge)
    response = flow.sign_in(AN)
    assert response.status_code == 400
    assert "không hợp lệ" in response.content.decode()
    assert logged_in_user(client) is None
    assert not User.objects.filter(id_number__in=[AN, "092999999999"]).exists()


def test_issuer_in_authorization_response_checked(flow, client):
    flow.start()
    callback_url = flow.authorize(AN)
    response = flow.callback(callback_url.replace("iss=http", "iss=https"))
    assert response.status_code == 400
    assert logged_in_user(client) is None
