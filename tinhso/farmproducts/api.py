"""/api/v1/farm-products: public traceability of a batch (the same content as
the page the QR label opens, without counting a scan) and the products sold
on e-commerce platforms. No personal data: a household producer is its name
and commune only."""

from __future__ import annotations

import datetime

from ninja import Router, Schema

from tinhso.core.api import ErrorOut
from tinhso.core.errors import NotFound
from tinhso.farmproducts.labels import public_url
from tinhso.farmproducts.models import Product, ProducerKind
from tinhso.farmproducts.queries import public_batch

router = Router(tags=["Truy xuất nguồn gốc nông sản (công khai)"])


class SiteOut(Schema):
    code: str
    status: str
    unit_name: str
    lat: float | None
    lng: float | None


class ProducerOut(Schema):
    name: str
    kind: str
    unit_name: str
    registration_code: str


class ProductOut(Schema):
    id: int
    name: str
    category: str
    ocop_stars: int | None
    ocop_certificate_no: str
    ocop_expires_on: datetime.date | None
    certifications: list[str]
    shops: list[dict]
    producer: ProducerOut


class BatchOut(Schema):
    code: str
    url: str
    status: str
    harvest_date: datetime.date
    packing_date: datetime.date
    quantity: float
    quantity_unit: str
    scan_count: int
    warnings: list[str]
    product: ProductOut
    growing_area: SiteOut | None
    packing_house: SiteOut | None


def _producer(p) -> dict:
    return {"name": p.name, "kind": p.kind, "unit_name": p.unit.name,
            "registration_code": "" if p.kind == ProducerKind.HOUSEHOLD else p.registration_code}


def _product(p: Product) -> dict:
    return {"id": p.pk, "name": p.name, "category": p.category, "ocop_stars": p.ocop_stars,
            "ocop_certificate_no": p.ocop_certificate_no, "ocop_expires_on": p.ocop_expires_on,
            "certifications": [c.get_scheme_display() for c in p.certifications.all()],
            "shops": [{"platform": s.platform, "url": s.url} for s in p.shop_links.all()],
            "producer": _producer(p.producer)}


def _site(s) -> dict | None:
    return None if s is None else {"code": s.code, "status": s.status, "unit_name": s.unit.name, "lat": s.lat,
                                   "lng": s.lng}


@router.get("/batches/{code}", auth=None, response={200: BatchOut, 404: ErrorOut}, summary="Truy xuất một lô hàng")
def batch(request, code: str):
    found = public_batch(code[:30])
    if found is None:
        raise NotFound("Không tìm thấy lô hàng với mã này.", code="batch_not_found")
    return {"code": found.code, "url": public_url(found), "status": found.status, "harvest_date": found.harvest_date,
            "packing_date": found.packing_date, "quantity": float(found.quantity),
            "quantity_unit": found.quantity_unit, "scan_count": found.scan_count, "warnings": found.warnings,
            "product": _product(found.product), "growing_area": _site(found.growing_area),
            "packing_house": _site(found.packing_house)}


@router.get("/products", auth=None, response=list[ProductOut], summary="Sản phẩm trên sàn thương mại điện tử")
def products(request, ocop: bool = False):
    qs = (Product.objects.filter(shop_links__isnull=False).distinct().select_related("producer__unit")
          .prefetch_related("certifications", "shop_links").order_by("name"))
    if ocop:
        qs = qs.filter(ocop_stars__isnull=False)
    return [_product(p) for p in qs[:500]]
