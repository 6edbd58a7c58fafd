"""State changes of accounts and roles. Each function is one transition:
atomic, permission-checked, audited."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.accounts.models import Role, RoleAssignment, User
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
