"""State changes of accounts and roles. Each function is one transition:
atomic, permission-checked, audited."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.accounts.models import Role, RoleAssignment, SignInThrottle, TwoFactorRule, User
from tinhso.accounts.permissions import forget_roles, require_role
from tinhso.audit.actions import record
from tinhso.core.errors import Conflict, InvalidInput


@transaction.atomic
def create_staff(*, acting_user, username: str, full_name: str, password: str, email: str = "",
                 phone: str = "", job_title: str = "") -> User:
    if acting_user is not None:
        require_role(acting_user, Role.SYSTEM_ADMIN)
    if User.objects.filter(username=username).exists():
        raise Conflict(f"Tên đăng nhập “{username}” đã được dùng.", code="username_taken")
    user = User(username=username, full_name=full_name, email=email, phone=phone, job_title=job_title)
    user.set_password(password)
    user.save()
    record(actor=acting_user, action="accounts.user.created", obj=user, changes={"username": username})
    return user


@transaction.atomic
def assign_role(*, acting_user, user: User, agency, role: str, valid_from: datetime.date | None = None,
                valid_to: datetime.date | None = None) -> RoleAssignment:
    if acting_user is not None:
        require_role(acting_user, Role.SYSTEM_ADMIN)
    if role not in Role.values:
        raise InvalidInput("Vai trò không hợp lệ.", code="invalid_role")
    if valid_from and valid_to and valid_to < valid_from:
        raise InvalidInput("Ngày kết thúc phải sau ngày bắt đầu.", code="invalid_period")
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(user=user, agency=agency, role=role,
                                                       valid_from=valid_from, valid_to=valid_to)
    except IntegrityError:
        raise Conflict("Cán bộ đã có vai trò này tại cơ quan này.", code="role_exists") from None
    forget_roles(user)
    record(actor=acting_user, action="accounts.role.assigned", obj=user,
           changes={"role": role, "agency": agency.code})
    return assignment


@transaction.atomic
def revoke_role(*, acting_user, assignment: RoleAssignment) -> None:
    require_role(acting_user, Role.SYSTEM_ADMIN)
    user = assignment.user
    record(actor=acting_user, action="accounts.role.revoked", obj=user,
           changes={"role": assignment.role, "agency": assignment.agency.code})
    assignment.delete()
    forget_roles(user)


@transaction.atomic
def start_totp_enrolment(*, acting_user) -> TOTPDevice:
    """An unconfirmed TOTP device; it counts only after `confirm_totp`."""
    TOTPDevice.objects.filter(user=acting_user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=acting_user, name="Ứng dụng xác thực", confirmed=False)


@transaction.atomic
def confirm_totp(*, acting_user, device: TOTPDevice, token: str) -> None:
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=acting_user)
    if not device.verify_token((token or "").strip()):
        raise InvalidInput("Mã xác thực không đúng hoặc đã hết hạn.", code="invalid_otp")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(actor=acting_user, action="accounts.2fa.enabled", obj=acting_user)


@transaction.atomic
def disable_totp(*, acting_user, token: str) -> None:
    devices = list(TOTPDevice.objects.select_for_update().filter(user=acting_user, confirmed=True))
    if not any(d.verify_token((token or "").strip()) for d in devices):
        raise InvalidInput("Mã xác thực không đúng hoặc đã hết hạn.", code="invalid_otp")
    TOTPDevice.objects.filter(user=acting_user).delete()
    record(actor=acting_user, action="accounts.2fa.disabled", obj=acting_user)


@transaction.atomic
def set_two_factor_rule(*, acting_user, role: str, required: bool, effective_from: datetime.date,
                        note: str = "") -> TwoFactorRule:
    """Schedule whether holders of `role` must use two-factor sign-in from a day
    on (today or later: a past day would rewrite what was in force)."""
    if acting_user is not None:
        require_role(acting_user, Role.SYSTEM_ADMIN)
    if role not in Role.values:
        raise InvalidInput("Vai trò không hợp lệ.", code="invalid_role")
    if acting_user is not None and effective_from < timezone.localdate():
        raise InvalidInput("Ngày hiệu lực không được ở trong quá khứ.", code="effective_date_past")
    rule, created = TwoFactorRule.objects.update_or_create(
        role=role, effective_from=effective_from,
        defaults={"required": bool(required), "note": note[:300],
                  "changed_by": acting_user if getattr(acting_user, "is_authenticated", False) else None})
    record(actor=acting_user, action="accounts.2fa_rule.set", obj=rule,
           changes={"role": role, "required": bool(required), "effective_from": effective_from.isoformat(),
                    "replaced": not created})
    return rule


@transaction.atomic
def unlock_sign_in(*, acting_user, user: User) -> bool:
    """Lift the lock on an account's sign-in (after failed attempts)."""
    require_role(acting_user, Role.SYSTEM_ADMIN)
    from tinhso.accounts.signin import normalise

    deleted, _ = SignInThrottle.objects.filter(scope=SignInThrottle.Scope.ACCOUNT,
                                               key=normalise(user.username)).delete()
    record(actor=acting_user, action="accounts.signin.unlocked", obj=user, changes={"had_lock": bool(deleted)})
    return bool(deleted)
