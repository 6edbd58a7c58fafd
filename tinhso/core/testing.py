"""Factories for tests. Small functions, real rows, no mocks."""

from __future__ import annotations

import datetime

from tinhso.units.models import REFORM_DATE


def make_unit(code: str, name: str, *, level: str = "commune", parent=None, current: bool = True):
    from tinhso.units.models import AdministrativeUnit

    return AdministrativeUnit.objects.create(
        code=code, name=name, level=level, parent=parent,
        valid_from=REFORM_DATE if current else None,
        valid_to=None if current else REFORM_DATE - datetime.timedelta(days=1),
    )


def make_agency(code: str, name: str, *, unit=None, parent=None, kind: str = "department", short_name: str = ""):
    from tinhso.agencies.models import Agency

    if unit is None:
        unit = parent.unit if parent is not None else make_unit("92", "Thành phố Cần Thơ", level="province")
    return Agency.objects.create(code=code, name=name, unit=unit, parent=parent, kind=kind, short_name=short_name)


def make_staff(username: str, *, roles=(), password: str = "Matkhau-2026!", full_name: str = ""):
    """A staff user holding `roles`, each a (role, agency) pair."""
    from tinhso.accounts.models import RoleAssignment, User

    user = User.objects.create_user(username=username, password=password, full_name=full_name or username)
    for role, agency in roles:
        RoleAssignment.objects.create(user=user, agency=agency, role=role)
    return user
