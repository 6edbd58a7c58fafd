"""Factories for tests. Small functions, real rows, no mocks."""

from __future__ import annotations

import datetime

from tinhso.units.models import REFORM_DATE


def make_unit(code: str, name: str, *, level: str = "commune", parent=None, current: bool = True):
    """The unit with this level and code (imported from the real data set when
    the session loaded it), created if missing."""
    from tinhso.units.models import AdministrativeUnit

    unit, _ = AdministrativeUnit.objects.get_or_create(
        level=level, code=code, valid_from=REFORM_DATE if current else None,
        defaults={"name": name, "parent": parent,
                  "valid_to": None if current else REFORM_DATE - datetime.timedelta(days=1)},
    )
    return unit


def make_agency(code: str, name: str, *, unit=None, parent=None, kind: str = "department", short_name: str = ""):
    from tinhso.agencies.models import Agency

    if unit is None:
        unit = parent.unit if parent is not None else make_unit("92", "Thành phố Cần Thơ", level="province")
    existing = Agency.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return Agency.objects.create(code=code, name=name, unit=unit, parent=parent, kind=kind, short_name=short_name)


def make_staff(username: str, *, roles=(), password: str = "Matkhau-2026!", full_name: str = "",
               two_factor: bool | None = None):
    """A staff user holding `roles`, each a (role, agency) pair. A system
    administrator has enrolled an authenticator (two-factor sign-in is required
    for that role by default) unless `two_factor=False`."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tinhso.accounts.models import RoleAssignment, User

    user = User.objects.create_user(username=username, password=password, full_name=full_name or username)
    for role, agency in roles:
        RoleAssignment.objects.create(user=user, agency=agency, role=role)
    if two_factor is None:
        two_factor = any(role == "system_admin" for role, _ in roles)
    if two_factor:
        TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=True)
    return user


def staff_page(chromium, base: str, username: str, password: str = "TinhSo@2026"):
    """A new browser page signed in as a demo staff member (browser tests)."""
    page = chromium.new_context(locale="vi-VN").new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Xin chào").wait_for()
    return page
