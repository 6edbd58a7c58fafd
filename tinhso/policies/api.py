"""Dated rules over the API (/api/v1/policies): system administrators read
them and schedule changes (tinhso/policies/actions.py, audited)."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Router, Schema
from ninja.security import django_auth

from tinhso.accounts.permissions import require_role
from tinhso.core.api import ErrorOut
from tinhso.core.errors import NotFound
from tinhso.policies import actions
from tinhso.policies.registry import REGISTRY
from tinhso.policies.rules import history, load_rows, value

router = Router(tags=["Tham số nghiệp vụ"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ChangeOut(Schema):
    effective_from: datetime.datetime
    value: Any
    note: str
    changed_by: str | None


class PolicyOut(Schema):
    key: str
    label: str
    description: str
    default: Any
    value: Any = Field(..., description="Giá trị đang áp dụng")
    changes: list[ChangeOut]


class ScheduleIn(Schema):
    value: Any
    effective_from: datetime.datetime
    note: str = Field("", max_length=500)


def _out(key: str, rows=None) -> dict:
    spec = REGISTRY[key]
    return {"key": key, "label": spec.label, "description": spec.description, "default": spec.default,
            "value": value(key, rows=rows),
            "changes": [{"effective_from": p.effective_from, "value": p.value, "note": p.note,
                         "changed_by": p.changed_by.username if p.changed_by_id else None} for p in history(key)]}


@router.get("", auth=django_auth, response={200: list[PolicyOut], **ERRORS}, summary="Các tham số nghiệp vụ")
def list_policies(request):
    require_role(request.user, actions.EDIT_ROLES)
    rows = load_rows()
    return [_out(key, rows) for key in sorted(REGISTRY)]


@router.post("/{key}", auth=django_auth, response={201: PolicyOut, **ERRORS}, summary="Lên lịch thay đổi tham số",
             description="Từ thời điểm hiện tại trở đi; không áp dụng ngược.")
def schedule(request, key: str, payload: ScheduleIn):
    if key not in REGISTRY:
        raise NotFound("Không có tham số nghiệp vụ này.")
    actions.schedule(acting_user=request.user, key=key, value=payload.value, effective_from=payload.effective_from,
                     note=payload.note)
    return 201, _out(key)
