"""/api/v1/addresses: public recognition of a free-text address (old or new
form) and search of the address database. No personal data: an address row
holds no name of anyone."""

from __future__ import annotations

from django.db.models import Q
from ninja import Query, Router, Schema
from pydantic import Field

from tinhso.addresses import limits
from tinhso.addresses.codes import looks_like_code
from tinhso.addresses.models import Address, AddressStatus
from tinhso.addresses.recognition import recognise as recognise_text
from tinhso.core.api import ErrorOut
from tinhso.core.errors import NotFound
from tinhso.core.text import tokens

router = Router(tags=["Địa chỉ số (công khai)"])


class RecogniseIn(Schema):
    text: str = Field(..., min_length=1, max_length=500, description="Địa chỉ viết tự do, trước hoặc sau 2025")


class OldUnitOut(Schema):
    code: str
    name: str
    province: str


class UnitOut(Schema):
    unit_id: int
    code: str
    name: str
    province: str
    confidence: float
    old_unit: OldUnitOut | None
    succession: str


class RecogniseOut(Schema):
    text: str
    house_number: str
    street: str
    hamlet: str
    unit: UnitOut | None
    confidence: float
    accepted: bool
    normalised: str
    alternatives: list[UnitOut]
    notes: list[str]


class AddressOut(Schema):
    code: str
    house_number: str
    street: str
    hamlet: str
    unit_id: int
    unit_code: str
    unit_name: str
    full_text: str
    lat: float | None
    lng: float | None
    status: str


def _out(a: Address) -> dict:
    return {"code": a.code, "house_number": a.house_number, "street": a.street, "hamlet": a.hamlet,
            "unit_id": a.unit_id, "unit_code": a.unit.code, "unit_name": a.unit.name, "full_text": a.full_text,
            "lat": a.lat, "lng": a.lng, "status": a.status}


@router.post("/recognise", auth=None, response={200: RecogniseOut, 422: ErrorOut, 429: ErrorOut},
             summary="Nhận dạng địa chỉ",
             description="Không cần đăng nhập; giới hạn số lần mỗi phút theo địa chỉ máy. Hiểu địa chỉ trước "
                         "01/7/2025 (có huyện, tỉnh cũ) qua bảng kế thừa đơn vị hành chính, không phân biệt dấu. "
                         "Trả xã, phường hiện nay, độ tin cậy và các khả năng khác khi xã cũ tách thành nhiều xã.")
def recognise(request, body: RecogniseIn):
    limits.check(request)
    return recognise_text(body.text).as_dict()


@router.get("/search", auth=None, response=list[AddressOut], summary="Tìm địa chỉ số",
            description="Tìm theo mã hoặc các từ của địa chỉ (không phân biệt dấu); tối đa 50 kết quả.")
def search(request, q: str = Query(..., min_length=1, max_length=200),
           unit_id: int | None = Query(None, ge=1, le=2**31 - 1)):
    qs = Address.objects.select_related("unit").filter(status=AddressStatus.ACTIVE)
    for word in tokens(q)[:8]:
        qs = qs.filter(Q(search_text__startswith=word) | Q(search_text__contains=" " + word))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return [_out(a) for a in qs.order_by("code")[:50]]


@router.get("/{code}", auth=None, response={200: AddressOut, 404: ErrorOut}, summary="Một địa chỉ theo mã")
def detail(request, code: str):
    address = (Address.objects.select_related("unit").filter(code=code.strip()).first()
               if looks_like_code(code.strip()) else None)
    if address is None:
        raise NotFound("Không tìm thấy địa chỉ với mã này.", code="address_not_found")
    return _out(address)
