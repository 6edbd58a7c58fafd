"""Staff accounts and roles over the API (/api/v1/staff), as the pages
/accounts/staff/: system administrators only; every change through
tinhso/accounts/actions.py (audited). No passwords or second-factor secrets
are ever returned."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from tinhso.accounts import actions
from tinhso.accounts.models import Role, RoleAssignment, User
from tinhso.accounts.permissions import require_role
from tinhso.core.api import ErrorOut
from tinhso.core.errors import InvalidInput

router = Router(tags=["Cán bộ, phân quyền"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RoleOut(Schema):
    id: int
    role: str
    role_label: str
    agency_code: str
    agency_name: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class StaffOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    job_title: str
    is_active: bool
    two_factor: bool
    roles: list[RoleOut]


class StaffQuery(Schema):
    q: str | None = Field(None, max_length=150, description="Tên đăng nhập hoặc họ tên (một phần)")
    role: Role | None = None
    agency: str | None = Field(None, max_length=50, description="Mã định danh cơ quan")
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(100, ge=1, le=500)


class StaffPage(Schema):
    count: int
    items: list[StaffOut]


class StaffIn(Schema):
    username: str = Field(..., min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")
    full_name: str = Field(..., min_length=1, max_length=200)
    password: str = Field(..., min_length=10, max_length=128)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    job_title: str = Field("", max_length=200)


class RoleIn(Schema):
    role: Role
    agency: str = Field(..., min_length=1, max_length=50, description="Mã định danh cơ quan")
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


def _out(user: User) -> dict:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return {"id": user.pk, "username": user.username, "full_name": user.full_name, "email": user.email,
            "job_title": user.job_title, "is_active": user.is_active,
            "two_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "roles": [{"id": a.pk, "role": a.role, "role_label": a.get_role_display(), "agency_code": a.agency.code,
                       "agency_name": a.agency.name, "valid_from": a.valid_from, "valid_to": a.valid_to}
                      for a in user.role_assignments.select_related("agency")]}


def _staff():
    return User.objects.filter(is_citizen=False)


@router.get("", auth=django_auth, response={200: StaffPage, **ERRORS}, summary="Danh sách cán bộ")
def list_staff(request, filters: Query[StaffQuery]):
    require_role(request.user, Role.SYSTEM_ADMIN)
    qs = _staff().order_by("username")
    if filters.q:
        from django.db.models import Q

        qs = qs.filter(Q(username__icontains=filters.q) | Q(full_name__icontains=filters.q))
    if filters.role:
        qs = qs.filter(role_assignments__role=filters.role.value).distinct()
    if filters.agency:
        qs = qs.filter(role_assignments__agency__code=filters.agency).distinct()
    return {"count": qs.count(), "items": [_out(u) for u in qs[filters.offset:filters.offset + filters.limit]]}


@router.get("/{user_id}", auth=django_auth, response={200: StaffOut, **ERRORS}, summary="Một cán bộ")
def get_staff(request, user_id: int):
    require_role(request.user, Role.SYSTEM_ADMIN)
    return _out(get_object_or_404(_staff(), pk=user_id))


@router.post("", auth=django_auth, response={201: StaffOut, **ERRORS}, summary="Tạo tài khoản cán bộ")
def create_staff(request, payload: StaffIn):
    user = actions.create_staff(acting_user=request.user, **payload.dict())
    return 201, _out(user)


@router.post("/{user_id}/roles", auth=django_auth, response={201: StaffOut, **ERRORS}, summary="Giao vai trò")
def assign_role(request, user_id: int, payload: RoleIn):
    from tinhso.agencies.models import Agency

    require_role(request.user, Role.SYSTEM_ADMIN)
    user = get_object_or_404(_staff(), pk=user_id)
    agency = Agency.objects.filter(code=payload.agency, is_active=True).first()
    if agency is None:
        raise InvalidInput("Không có cơ quan đang hoạt động mang mã này.", code="unknown_agency",
                           errors=[{"field": "agency", "message": "Mã cơ quan không tồn tại."}])
    actions.assign_role(acting_user=request.user, user=user, agency=agency, role=payload.role.value,
                        valid_from=payload.valid_from, valid_to=payload.valid_to)
    return 201, _out(user)


@router.delete("/{user_id}/roles/{assignment_id}", auth=django_auth, response={200: StaffOut, **ERRORS},
               summary="Thu hồi vai trò")
def revoke_role(request, user_id: int, assignment_id: int):
    require_role(request.user, Role.SYSTEM_ADMIN)
    user = get_object_or_404(_staff(), pk=user_id)
    actions.revoke_role(acting_user=request.user, assignment=get_object_or_404(RoleAssignment, pk=assignment_id,
                                                                                user=user))
    return _out(user)


@router.post("/{user_id}/unlock", auth=django_auth, response={200: StaffOut, **ERRORS},
             summary="Mở khóa đăng nhập", description="Sau khi tài khoản bị khóa do nhập sai nhiều lần.")
def unlock(request, user_id: int):
    user = get_object_or_404(_staff(), pk=user_id)
    actions.unlock_sign_in(acting_user=request.user, user=user)
    return _out(user)
