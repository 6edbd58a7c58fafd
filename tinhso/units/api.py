from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.security import django_auth
from pydantic import Field

from tinhso.core.api import ErrorOut
from tinhso.core.errors import NotFound
from tinhso.units import actions
from tinhso.units.models import AdministrativeUnit, UnitSuccession
from tinhso.units.schemas import SuccessionOut, SuccessionPatch, UnitDetailOut, UnitOut
from tinhso.units.services import attach_now_part_of, describe_now_part_of, predecessors_of, search_units

router = Router(tags=["Đơn vị hành chính"])


class UnitQuery(Schema):
    q: str = Field(..., min_length=1, max_length=100, description="Tên hoặc mã, có dấu hoặc không dấu")
    level: Literal["province", "commune"] | None = Field(None, description="Cấp: province | commune")
    current: bool | None = Field(None, description="true: chỉ đơn vị hiện hành; false: chỉ đơn vị cũ")
    province: str | None = Field(None, max_length=2, description="Mã tỉnh (2 số) của đơn vị cha")
    limit: int = Field(20, ge=1, le=100)


def _ref(unit):
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "level": unit.level,
            "province": unit.parent.name if unit.parent_id else None}


def _out(unit) -> dict:
    return {
        "id": unit.pk, "code": unit.code, "name": unit.name, "level": unit.level, "is_current": unit.is_current,
        "valid_from": unit.valid_from, "valid_to": unit.valid_to,
        "parent": _ref(unit.parent) if unit.parent_id else None,
        "now_part_of": [{**_ref(s), "kind": kind} for s, kind in unit.now_part_of],
        "note": describe_now_part_of(unit),
    }


@router.get("", response=list[UnitOut], summary="Tìm đơn vị hành chính",
            description="Tìm theo tên (có hoặc không dấu) hoặc mã. Đơn vị cũ (trước 1/7/2025) cho biết nay thuộc "
                        "đơn vị nào, ví dụ `q=Hau Giang`.")
def list_units(request, filters: Query[UnitQuery]):
    units = search_units(filters.q, level=filters.level, current=filters.current, province=filters.province,
                         limit=filters.limit)
    return [_out(u) for u in units]


@router.get("/{int:unit_id}", response={200: UnitDetailOut, 404: ErrorOut}, summary="Chi tiết đơn vị hành chính")
def get_unit(request, unit_id: int):
    unit = AdministrativeUnit.objects.select_related("parent").filter(pk=unit_id).first()
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị hành chính.")
    attach_now_part_of([unit])
    data = _out(unit)
    data["predecessors"] = [{**_ref(r.predecessor), "kind": r.kind} for r in predecessors_of(unit)]
    return data


@router.patch("/successions/{int:succession_id}", auth=django_auth,
              response={200: SuccessionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
              summary="Hiệu chỉnh một dòng kế thừa (quản trị hệ thống)")
def patch_succession(request, succession_id: int, payload: SuccessionPatch):
    row = get_object_or_404(UnitSuccession.objects.select_related("predecessor__parent", "successor__parent"),
                            pk=succession_id)
    successor = None
    if payload.successor_id is not None:
        successor = AdministrativeUnit.objects.filter(pk=payload.successor_id).first()
        if successor is None:
            raise NotFound("Không tìm thấy đơn vị mới.")
    row = actions.correct_succession(acting_user=request.user, succession=row, kind=payload.kind,
                                     successor=successor, note=payload.note)
    return {"id": row.pk, "predecessor": _ref(row.predecessor), "successor": _ref(row.successor),
            "kind": row.kind, "corrected": row.corrected, "note": row.note}
