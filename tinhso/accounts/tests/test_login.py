import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.accounts.models import Role
from tinhso.audit.models import AuditEvent
from tinhso.testing import make_staff

PASSWORD = "Matkhau-2026!"


def _code(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


@pytest.fixture
def clerk(agency):
    return make_staff("motcua", roles=[(Role.CLERK, agency)], full_name="Trần Văn Minh")


@pytest.mark.django_db
def test_staff_sign_in_reaches_the_back_office_with_role_navigation(client, clerk):
    response = client.post("/accounts/login/", {"username": "motcua", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    html = response.content.decode()
    assert "Xin chào, Trần Văn Minh" in html
    assert "Cán bộ một cửa" in html
    assert "Nhật ký hệ thống" not in html  # admin-only menu entry


@pytest.mark.django_db
def test_wrong_password_gets_a_vietnamese_message_and_no_session(client, clerk):
    response = client.post("/accounts/login/", {"username": "motcua", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_back_office_pages_require_sign_in(client):
    for url in ["/", "/units/", "/agencies/", "/audit/", "/accounts/staff/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


@pytest.mark.django_db
def test_admin_pages_are_refused_to_other_roles(client, clerk):
    client.force_login(clerk)
    assert client.get("/audit/").status_code == 403
    assert client.get("/accounts/staff/").status_code == 403


@pytest.mark.django_db
def test_totp_enrolment_then_login_needs_the_second_factor(client, clerk):
    client.force_login(clerk)
    client.post("/accounts/security/", {"op": "start"})
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    response = client.post("/accounts/security/", {"op": "confirm", "token": "000000" if _code(device) != "000000" else "111111"})
    assert "Mã xác thực không đúng" in response.content.decode()
    client.post("/accounts/security/", {"op": "confirm", "token": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="accounts.2fa.enabled", actor=clerk).exists()

    client.logout()
    response = client.post("/accounts/login/", {"username": "motcua", "password": PASSWORD})
    assert response["Location"] == "/accounts/login/otp/"
    assert client.get("/").status_code == 302  # password alone is not a session
    response = client.post("/accounts/login/otp/", {"token": "12345x"})
    assert "Mã xác thực" in response.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    # The enrolment code's time step is spent (no replay); the next step's code is accepted.
    response = client.post("/accounts/login/otp/", {"token": _code(device, offset=1)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_required_two_factor_sends_unenrolled_staff_to_enrolment(client, clerk, settings):
    settings.TINHSO_REQUIRE_2FA = True
    client.force_login(clerk)
    response = client.get("/units/")
    assert response.status_code == 302 and response["Location"] == "/accounts/security/"


@pytest.mark.django_db
def test_required_two_factor_closes_the_staff_api_to_unenrolled_sessions(client, clerk, settings):
    settings.TINHSO_REQUIRE_2FA = True
    client.force_login(clerk)
    response = client.get("/api/v1/dossiers")
    assert response.status_code == 403 and response.json()["code"] == "two_factor_required"
    assert client.get("/api/v1/units", {"q": "Vi Thanh"}).status_code == 200


@pytest.mark.django_db
def test_english_is_available(client, clerk):
    client.force_login(clerk)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert 'lang="en"' in html


@pytest.mark.django_db
def test_the_english_catalogue_translates_the_back_office(client, clerk):
    client.force_login(clerk)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/catalogue/").content.decode()
    assert "Administrative procedures" in html and "Thủ tục hành chính" not in html
    client.logout()  # the test client forgets every cookie: choose English again
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in" in html and "Đăng nhập hệ thống" not in html


@pytest.mark.django_db
def test_required_two_factor_does_not_apply_to_citizens(client, settings):
    from tinhso.accounts.models import User

    settings.TINHSO_REQUIRE_2FA = True
    citizen = User.objects.create_user(username="cd-1", is_citizen=True, id_number="092085001234")
    client.force_login(citizen)
    assert client.get("/dvc/ho-so/").status_code == 200
