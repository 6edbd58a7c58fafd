"""Failed staff sign-ins lock the account name (not the whole office's address),
two-factor sign-in is required per role as dated data, and the administrator
can unlock."""

import datetime

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.accounts import actions
from tinhso.accounts.models import Role, SignInThrottle, TwoFactorRule
from tinhso.accounts.signin import roles_requiring_two_factor
from tinhso.audit.models import AuditEvent
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.testing import make_staff

PASSWORD = "Matkhau-2026!"
LOCKED = "Đăng nhập tạm bị khóa"


@pytest.fixture
def clerk(agency):
    return make_staff("motcua", roles=[(Role.CLERK, agency)])


def _login(client, username, password, address="10.1.1.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(client, clerk, settings):
    settings.TINHSO_SIGNIN_MAX_FAILURES = 5
    for _ in range(4):
        assert LOCKED not in _login(client, "motcua", "sai").content.decode()
    response = _login(client, "MotCua", "sai")  # names are counted case-insensitively
    assert LOCKED in response.content.decode()
    response = _login(client, "motcua", PASSWORD)
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert client.get("/").status_code == 302  # not signed in
    event = AuditEvent.objects.get(action="accounts.signin.locked")
    assert event.object_id == str(clerk.pk) and event.changes["failures"] == 5


@pytest.mark.django_db
def test_an_unknown_name_is_locked_the_same_way(client, settings):
    settings.TINHSO_SIGNIN_MAX_FAILURES = 3
    for _ in range(3):
        _login(client, "khong-co", "sai")
    response = _login(client, "khong-co", "sai")
    assert response.status_code == 429 and LOCKED in response.content.decode()


@pytest.mark.django_db
def test_one_office_address_does_not_lock_out_its_colleagues(client, agency, settings):
    settings.TINHSO_SIGNIN_MAX_FAILURES = 3
    settings.TINHSO_SIGNIN_ADDRESS_MAX_FAILURES = 50
    make_staff("dongnghiep", roles=[(Role.CLERK, agency)])
    for _ in range(3):
        _login(client, "motcua-go-sai", "sai", address="203.0.113.5")
    response = _login(client, "dongnghiep", PASSWORD, address="203.0.113.5")
    assert response.status_code == 302 and client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_guessing_run_from_one_address_stops_at_the_address_limit(client, clerk, settings):
    settings.TINHSO_SIGNIN_MAX_FAILURES = 100
    settings.TINHSO_SIGNIN_ADDRESS_MAX_FAILURES = 6
    for i in range(6):
        _login(client, f"ten-{i}", "sai", address="198.51.100.7")
    assert _login(client, "motcua", PASSWORD, address="198.51.100.7").status_code == 429
    assert _login(client, "motcua", PASSWORD, address="198.51.100.8").status_code == 302


@pytest.mark.django_db
def test_the_lock_ends_after_its_time_and_success_resets_the_count(client, clerk, settings):
    settings.TINHSO_SIGNIN_MAX_FAILURES = 3
    for _ in range(3):
        _login(client, "motcua", "sai")
    SignInThrottle.objects.update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    assert _login(client, "motcua", PASSWORD).status_code == 302
    assert not SignInThrottle.objects.filter(scope="account").exists()


@pytest.mark.django_db
def test_wrong_two_factor_codes_count_too(client, clerk, settings):
    settings.TINHSO_SIGNIN_MAX_FAILURES = 3
    device = TOTPDevice.objects.create(user=clerk, name="app", confirmed=True)
    right = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(2):
        assert _login(client, "motcua", PASSWORD).status_code == 302
        client.post("/accounts/login/otp/", {"token": wrong})
    assert _login(client, "motcua", PASSWORD).status_code == 302
    response = client.post("/accounts/login/otp/", {"token": wrong}, follow=True)
    assert LOCKED in response.content.decode()
    assert _login(client, "motcua", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_the_administrator_unlocks_and_it_is_audited(client, clerk, admin_user, settings):
    settings.TINHSO_SIGNIN_MAX_FAILURES = 2
    for _ in range(2):
        _login(client, "motcua", "sai")
    with pytest.raises(PermissionDenied):
        actions.unlock_sign_in(acting_user=clerk, user=clerk)
    client.force_login(admin_user)  # enrolled (make_staff), as administrators must be
    page = client.get(f"/accounts/staff/{clerk.pk}/").content.decode()
    assert "Mở khóa đăng nhập" in page
    client.post(f"/accounts/staff/{clerk.pk}/", {"op": "unlock"})
    assert AuditEvent.objects.filter(action="accounts.signin.unlocked", object_id=str(clerk.pk)).exists()
    client.logout()
    assert _login(client, "motcua", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_django_admin_signs_in_through_the_staff_sign_in(client):
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_administrators_must_enrol_two_factor_by_default(client, agency, clerk, settings):
    settings.TINHSO_REQUIRE_2FA = False
    assert roles_requiring_two_factor() == {Role.SYSTEM_ADMIN}
    new_admin = make_staff("quantri-moi", roles=[(Role.SYSTEM_ADMIN, agency)], two_factor=False)
    client.force_login(new_admin)
    response = client.get("/catalogue/")
    assert response.status_code == 302 and response["Location"] == "/accounts/security/"
    client.force_login(clerk)
    assert client.get("/catalogue/").status_code == 200


@pytest.mark.django_db
def test_a_province_requires_two_factor_for_a_role_from_a_date(client, admin_user, clerk, settings):
    settings.TINHSO_REQUIRE_2FA = False
    today = timezone.localdate()
    actions.set_two_factor_rule(acting_user=None, role=Role.CLERK, required=True,
                                effective_from=today + datetime.timedelta(days=1))
    client.force_login(clerk)
    assert client.get("/catalogue/").status_code == 200  # not yet in force
    assert Role.CLERK in roles_requiring_two_factor(today + datetime.timedelta(days=1))
    actions.set_two_factor_rule(acting_user=None, role=Role.CLERK, required=True, effective_from=today)
    assert client.get("/catalogue/").status_code == 302
    assert client.get("/api/v1/dossiers/", HTTP_ACCEPT="application/json").status_code == 403


@pytest.mark.django_db
def test_the_rules_page_schedules_and_refuses_a_past_date(client, admin_user, settings):
    client.force_login(admin_user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post("/accounts/two-factor/", {"role": Role.LEADER, "required": "1",
                                                     "effective_from": tomorrow.isoformat()})
    assert response.status_code == 302
    rule = TwoFactorRule.objects.get(role=Role.LEADER)
    assert rule.required and rule.changed_by == admin_user
    assert AuditEvent.objects.filter(action="accounts.2fa_rule.set").exists()
    response = client.post("/accounts/two-factor/", {"role": Role.LEADER, "required": "0",
                                                     "effective_from": "2020-01-01"})
    assert "Ngày hiệu lực không được ở trong quá khứ." in response.content.decode()
    with pytest.raises(InvalidInput):
        actions.set_two_factor_rule(acting_user=admin_user, role="nobody", required=True, effective_from=tomorrow)
