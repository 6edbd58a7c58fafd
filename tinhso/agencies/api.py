from ninja import Query, Router, Schema
from pydantic import Field

from tinhso.agencies.models import Agency
from tinhso.core.search import filter_folded

router = Router(tags=["Cơ quan, đơn vị"])


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    parent_code: str | None
    unit_code: str
    unit_name: str
    depth: int


class AgencyQuery(Schema):
    q: str | None = Field(None, max_length=100, description="Tên hoặc mã định danh, có hoặc không dấu")
    kind: str | None = Field(None, description="Loại cơ quan")
    under: str | None = Field(None, description="Mã định danh của cơ quan cấp trên: chỉ lấy cây con")
    limit: int = Field(100, ge=1, le=500)


@router.get("", response=list[AgencyOut], summary="Danh sách cơ quan, đơn vị",
            description="Cây cơ quan (theo thứ tự cây), lọc theo tên, loại hoặc cơ quan cấp trên. Công khai.")
def list_agencies(request, filters: Query[AgencyQuery]):
    qs = Agency.objects.filter(is_active=True).select_related("parent", "unit")
    if filters.q:
        qs = filter_folded(qs, filters.q)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.under:
        root = Agency.objects.filter(code=filters.under).first()
        qs = qs.filter(path__startswith=root.path) if root else qs.none()
    return [{"id": a.pk, "code": a.code, "name": a.name, "short_name": a.short_name, "kind": a.kind,
             "parent_code": a.parent.code if a.parent_id else None, "unit_code": a.unit.code,
             "unit_name": a.unit.name, "depth": a.depth} for a in qs[: filters.limit]]
