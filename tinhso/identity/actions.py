"""State changes of the citizen sign-in: find or create the citizen account
from verified e-ID claims, and audit it."""

from __future__ import annotations

import datetime
import re

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from tinhso.audit.actions import diff, record
from tinhso.identity import conf
from tinhso.identity.errors import IdentityError, StaffAccountRefused

PROFILE_FIELDS = ["full_name", "birth_date", "address", "phone", "email", "eid_level"]
ID_NUMBER_RE = re.compile(r"^[0-9A-Za-z]{6,20}$")


def profile_from_claims(claims: dict) -> dict:
    """{field: value} for the citizen fields present in the claims (mapping from settings)."""
    names = conf.claim_names()
    raw_id = claims.get(names["id_number"])
    id_number = str(raw_id).strip() if raw_id is not None else ""
    if not ID_NUMBER_RE.match(id_number):
        raise IdentityError("Cổng định danh không trả về số định danh cá nhân hợp lệ.", code="missing_id_number")
    profile: dict = {"id_number": id_number}
    for field in PROFILE_FIELDS:
        if names.get(field) not in claims:
            continue
        value = claims[names[field]]
        if field == "birth_date":
            value = _date(value)
            if value is None:
                continue
        elif field == "address" and isinstance(value, dict):  # OIDC address claim: {"formatted": ...}
            value = value.get("formatted") or ""
        if value is None:
            continue
        value = str(value).strip() if not isinstance(value, datetime.date) else value
        limit = {"full_name": 200, "address": 300, "phone": 30, "email": 254, "eid_level": 20}.get(field)
        profile[field] = value[:limit] if limit and isinstance(value, str) else value
    return profile


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def is_citizen_account(user) -> bool:
    """Only a pure citizen account may be signed into by an e-ID claim."""
    return bool(user.is_citizen and not user.is_staff and not user.is_superuser
                and not user.role_assignments.exists())


@transaction.atomic
def sign_in_citizen(*, claims: dict):
    """Find or create the citizen keyed by the personal identification number,
    refresh the profile from the claims, and audit `identity.login`.

    A staff account holding the same id_number is never taken over."""
    User = get_user_model()
    profile = profile_from_claims(claims)
    id_number = profile.pop("id_number")
    user = User.objects.select_for_update().filter(id_number=id_number).first()
    created = False
    if user is None:
        username = f"cccd-{id_number}"
        if User.objects.filter(username=username).exists():
            raise IdentityError(code="username_taken")
        try:
            with transaction.atomic():
                user = User(username=username, id_number=id_number, is_citizen=True)
                user.set_unusable_password()
                user.save()
                created = True
        except IntegrityError:  # the same citizen signing in twice at once
            user = User.objects.select_for_update().get(id_number=id_number)
    if not is_citizen_account(user):
        raise StaffAccountRefused(user)
    changes = diff(user, PROFILE_FIELDS, profile)
    for field, value in profile.items():
        setattr(user, field, value)
    if not user.is_active:
        raise IdentityError("Tài khoản công dân này đã bị khóa. Vui lòng liên hệ cơ quan quản lý.",
                            code="inactive", status=403)
    if user.has_usable_password():
        user.set_unusable_password()
    user.save()
    if created:
        changes = {"created": [False, True], **changes}
    record(actor=user, action="identity.login", obj=user, changes=changes, personal_data=True)
    return user


@transaction.atomic
def record_refused_login(*, user, reason: str) -> None:
    """Audit an e-ID sign-in refused for an existing account (e.g. a staff account)."""
    record(actor=None, action="identity.login_refused", obj=user, note=reason, personal_data=True)
