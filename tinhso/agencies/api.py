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


# --- changes (system administrators; through tinhso/agencies/actions.py, audited) ---------------------------------

from ninja.security import django_auth  # noqa: E402

from tinhso.agencies import actions  # noqa: E402
from tinhso.agencies.models import AgencyKind  # noqa: E402
from tinhso.core.api import ErrorOut  # noqa: E402
from tinhso.core.errors import InvalidInput, NotFound  # noqa: E402

CHANGE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class AgencyIn(Schema):
    code: str = Field(..., min_length=1, max_length=50, description="Mã định danh điện tử của cơ quan")
    name: str = Field(..., min_length=1, max_length=300)
    short_name: str = Field("", max_length=100)
    kind: AgencyKind
    unit_code: str = Field(..., min_length=1, max_length=10, description="Mã đơn vị hành chính hiện hành")
    parent_code: str | None = Field(None, max_length=50)
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=50)
    email: str = Field("", max_length=254)
    is_active: bool = True


class AgencyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=300)
    short_name: str | None = Field(None, max_length=100)
    kind: AgencyKind | None = None
    unit_code: str | None = Field(None, min_length=1, max_length=10)
    parent_code: str | None = Field(None, max_length=50)
    address: str | None = Field(None, max_length=300)
    phone: str | None = Field(None, max_length=50)
    email: str | None = Field(None, max_length=254)
    is_active: bool | None = None


def _values(data: dict) -> dict:
    from tinhso.units.models import AdministrativeUnit

    values = {k: v for k, v in data.items() if v is not None and k not in ("unit_code", "parent_code")}
    if "kind" in values:
        values["kind"] = values["kind"].value if hasattr(values["kind"], "value") else values["kind"]
    if data.get("unit_code"):
        unit = (AdministrativeUnit.objects.filter(code=data["unit_code"].strip(), valid_to__isnull=True)
                .exclude(level="district").first())
        if unit is None:
            raise InvalidInput("Không có đơn vị hành chính hiện hành mang mã này.", code="unknown_unit",
                               errors=[{"field": "unit_code", "message": "Mã đơn vị không hợp lệ."}])
        values["unit"] = unit
    if data.get("parent_code"):
        parent = Agency.objects.filter(code=data["parent_code"].strip()).first()
        if parent is None:
            raise InvalidInput("Không có cơ quan cấp trên mang mã này.", code="unknown_parent",
                               errors=[{"field": "parent_code", "message": "Mã cơ quan không tồn tại."}])
        values["parent"] = parent
    return values


def _one(agency: Agency) -> dict:
    agency = Agency.objects.select_related("parent", "unit").get(pk=agency.pk)
    return {"id": agency.pk, "code": agency.code, "name": agency.name, "short_name": agency.short_name,
            "kind": agency.kind, "parent_code": agency.parent.code if agency.parent_id else None,
            "unit_code": agency.unit.code, "unit_name": agency.unit.name, "depth": agency.depth}


@router.post("", auth=django_auth, response={201: AgencyOut, **CHANGE_ERRORS}, summary="Thêm cơ quan, đơn vị",
             description="Quản trị hệ thống.")
def create_agency(request, payload: AgencyIn):
    from tinhso.accounts.models import Role
    from tinhso.accounts.permissions import require_role

    require_role(request.user, Role.SYSTEM_ADMIN)
    return 201, _one(actions.create_agency(acting_user=request.user, **_values(payload.dict())))


@router.patch("/{code}", auth=django_auth, response={200: AgencyOut, **CHANGE_ERRORS}, summary="Sửa cơ quan, đơn vị",
              description="Quản trị hệ thống (của cơ quan đó hoặc cấp trên).")
def update_agency(request, code: str, payload: AgencyPatch):
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise NotFound("Không có cơ quan mang mã này.")
    return _one(actions.update_agency(acting_user=request.user, agency=agency,
                                      **_values(payload.dict(exclude_unset=True))))
