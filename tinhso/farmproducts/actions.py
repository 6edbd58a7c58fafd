"""State changes of farm products, growing-area and packing-house codes and
batches. Every one is atomic, checks the role in the object's managing agency
(the Department of Agriculture and Environment or an agency above it, and the
system administrator) and writes an audit row.

Verifying and suspending codes (mã số vùng trồng, cơ sở đóng gói) and batches
is for the specialist, head of division or leader of that agency."""

from __future__ import annotations

import datetime
import math
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.agencies.models import Agency
from tinhso.audit.actions import record
from tinhso.core.counters import next_value
from tinhso.core.errors import InvalidInput, NotFound, field_error, is_pk
from tinhso.dossiers.uploads import check_upload
from tinhso.farmproducts.models import (
    Batch, BatchCounter, BatchStatus, Category, Certification, CodeStatus, GrowingArea, PackingHouse, Producer,
    ProducerKind, Product, ProductPhoto, Scheme, ShopLink,
)
from tinhso.units.models import AdministrativeUnit

ROLES = (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER, Role.SYSTEM_ADMIN)
PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png"}
PHOTO_LIMIT = 5 * 1024 * 1024
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{2,38}$")
LAT_RANGE, LNG_RANGE = (8.0, 23.5), (102.0, 110.0)


def _text(value, field, label, limit, required=False) -> str:
    value = " ".join(str(value or "").split())
    if required and not value:
        raise field_error(field, f"Cần nhập {label}.")
    if len(value) > limit:
        raise field_error(field, f"{label[0].upper() + label[1:]} dài quá {limit} ký tự.")
    return value


def _commune(unit_id) -> AdministrativeUnit:
    unit = (AdministrativeUnit.objects.filter(pk=unit_id, level="commune", valid_to__isnull=True).first()
            if is_pk(unit_id) else None)
    if unit is None:
        raise field_error("unit", "Chọn xã, phường hiện hành.", "invalid_unit")
    return unit


def _agency(agency_id) -> Agency:
    agency = Agency.objects.filter(pk=agency_id, is_active=True).first() if is_pk(agency_id) else None
    if agency is None:
        raise field_error("agency", "Chọn cơ quan quản lý.", "invalid_agency")
    return agency


def _require(user, agency: Agency) -> None:
    if user is not None:
        require_role(user, ROLES, agency)


def _date(value, field, label, required=True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise field_error(field, f"Cần nhập {label}.")
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise field_error(field, f"{label[0].upper() + label[1:]} không đúng dạng ngày (YYYY-MM-DD).") from None


def _number(value, field, message) -> Decimal:
    """A number typed by a person or read from a cell: "12,5", "12.5", 12.5.
    NaN and infinity (which Decimal and float accept, and which then break
    every comparison) are refused like any other non-number."""
    if isinstance(value, bool) or value is None:
        raise field_error(field, message)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise field_error(field, message) from None
    if not number.is_finite():
        raise field_error(field, message)
    return number


def _amount(value, field, message, low: Decimal, high: Decimal, range_message) -> Decimal:
    """A positive amount with two decimals, from `low` to below `high`
    (checked again after rounding, so the stored value is in range too)."""
    number = _number(value, field, message)
    if not low <= number < high:
        raise field_error(field, range_message)
    number = number.quantize(Decimal("0.01"))
    if not low <= number < high:
        raise field_error(field, range_message)
    return number


def parse_area(value) -> Decimal:
    """A growing area in hectares: 0.01 to 100,000."""
    return _amount(value, "area_ha", _("Diện tích là số ha, ví dụ 12,5."), Decimal("0.01"), Decimal("100000.01"),
                   _("Diện tích từ 0,01 đến 100.000 ha."))


def parse_stars(value) -> int | None:
    """OCOP stars: empty, or a whole number 3 to 5 (4.0 from a cell is 4)."""
    if value in (None, ""):
        return None
    message = _("Số sao OCOP là số từ 3 đến 5.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        value = value.strip()
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isascii()
                                                                  and value.isdigit() and len(value) < 3)):
        raise field_error("ocop_stars", message)
    if not 3 <= int(value) <= 5:
        raise field_error("ocop_stars", message)
    return int(value)


def _coordinate(value, field, low, high) -> float:
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        raise field_error(field, _("Tọa độ phải là số, ví dụ 10,0342."), "invalid_point") from None
    if not math.isfinite(number):
        raise field_error(field, _("Tọa độ phải là số, ví dụ 10,0342."), "invalid_point")
    if not low <= number <= high:
        raise field_error(field, _("Tọa độ nằm ngoài lãnh thổ Việt Nam."), "invalid_point")
    return round(number, 6)


def parse_point(lat, lng):
    """(lat, lng) in Viet Nam, or (None, None) when both are empty."""
    blank_lat, blank_lng = lat in (None, "") or str(lat).isspace(), lng in (None, "") or str(lng).isspace()
    if blank_lat and blank_lng:
        return None, None
    if blank_lat or blank_lng:
        raise field_error("lng" if blank_lng else "lat", _("Nhập cả vĩ độ và kinh độ, hoặc để trống cả hai."),
                          "invalid_point")
    return _coordinate(lat, "lat", *LAT_RANGE), _coordinate(lng, "lng", *LNG_RANGE)


def _save(obj, message: str):
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise InvalidInput(message, code="duplicate") from None
    return obj


@transaction.atomic
def register_producer(*, acting_user, name, kind, unit_id, agency_id, registration_code="", contact_phone="",
                      contact_email="") -> Producer:
    agency = _agency(agency_id)
    _require(acting_user, agency)
    if kind not in ProducerKind.values:
        raise field_error("kind", "Loại hình không hợp lệ.")
    email = _text(contact_email, "contact_email", "thư điện tử", 254)
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise field_error("contact_email", "Thư điện tử không hợp lệ.")
    producer = Producer(name=_text(name, "name", "tên", 200, True), kind=kind, unit=_commune(unit_id), agency=agency,
                        registration_code=_text(registration_code, "registration_code", "mã số", 30),
                        contact_phone=_text(contact_phone, "contact_phone", "điện thoại", 20), contact_email=email)
    _save(producer, "Đã có chủ thể cùng tên ở xã, phường này.")
    record(actor=acting_user, action="farmproducts.producer.registered", obj=producer)
    return producer


def _producer(producer_id) -> Producer:
    producer = Producer.objects.select_related("agency").filter(pk=producer_id).first() if is_pk(
        producer_id) else None
    if producer is None:
        raise field_error("producer", "Chọn chủ thể sản xuất.", "invalid_producer")
    return producer


def product_values(*, name, category, description="", ocop_stars=None, ocop_certificate_no="",
                   ocop_certified_on=None, ocop_expires_on=None) -> dict:
    """A product's own fields, checked (the form, the Excel import). An OCOP
    rating needs 3 to 5 stars, the certificate's number and date; its expiry
    after the date."""
    if category not in Category.values:
        raise field_error("category", "Nhóm sản phẩm không hợp lệ.")
    rating = parse_stars(ocop_stars)
    cert_no = _text(ocop_certificate_no, "ocop_certificate_no", "số giấy chứng nhận OCOP", 60)
    certified = _date(ocop_certified_on, "ocop_certified_on", "ngày chứng nhận OCOP", required=False)
    expires = _date(ocop_expires_on, "ocop_expires_on", "ngày hết hạn OCOP", required=False)
    if rating is not None and not (cert_no and certified):
        raise field_error("ocop_certificate_no", "Sản phẩm OCOP cần số và ngày của giấy chứng nhận.")
    if certified and expires and expires <= certified:
        raise field_error("ocop_expires_on", "Ngày hết hạn OCOP phải sau ngày chứng nhận.")
    return {"name": _text(name, "name", "tên sản phẩm", 200, True), "category": category,
            "description": _text(description, "description", "mô tả", 2000), "ocop_stars": rating,
            "ocop_certificate_no": cert_no if rating else "", "ocop_certified_on": certified if rating else None,
            "ocop_expires_on": expires if rating else None}


@transaction.atomic
def save_product(*, acting_user, producer_id, name, category, description="", ocop_stars=None,
                 ocop_certificate_no="", ocop_certified_on=None, ocop_expires_on=None, product_id=None) -> Product:
    """Create a product, or update one (`product_id`; its producer stays
    once it has batches, whose growing areas are that producer's)."""
    producer = _producer(producer_id)
    _require(acting_user, producer.agency)
    values = {"producer": producer, **product_values(
        name=name, category=category, description=description, ocop_stars=ocop_stars,
        ocop_certificate_no=ocop_certificate_no, ocop_certified_on=ocop_certified_on,
        ocop_expires_on=ocop_expires_on)}
    stars_ = values["ocop_stars"]
    if product_id:
        product = (Product.objects.select_for_update().filter(pk=product_id).first() if is_pk(product_id)
                   else None)
        if product is None:
            raise NotFound("Không tìm thấy sản phẩm.")
        _require(acting_user, product.producer.agency)
        if product.producer_id != producer.pk and product.batches.exists():
            raise field_error("producer_id", _("Sản phẩm đã có lô hàng nên không đổi được chủ thể sản xuất; "
                                               "hãy tạo sản phẩm mới cho chủ thể kia."), "producer_locked")
        for key, value in values.items():
            setattr(product, key, value)
        action = "farmproducts.product.updated"
    else:
        product = Product(**values)
        action = "farmproducts.product.created"
    _save(product, "Chủ thể đã có sản phẩm cùng tên.")
    record(actor=acting_user, action=action, obj=product, changes={"ocop_stars": stars_})
    return product


def _product(product_id) -> Product:
    product = Product.objects.select_related("producer__agency").filter(pk=product_id).first() if is_pk(
        product_id) else None
    if product is None:
        raise NotFound("Không tìm thấy sản phẩm.", code="product_not_found")
    return product


@transaction.atomic
def add_certification(*, acting_user, product_id, scheme, number="", issued_by="", expires_on=None) -> Certification:
    product = _product(product_id)
    _require(acting_user, product.producer.agency)
    if scheme not in Scheme.values:
        raise field_error("scheme", "Loại chứng nhận không hợp lệ.")
    cert = Certification(product=product, scheme=scheme, number=_text(number, "number", "số chứng nhận", 60),
                         issued_by=_text(issued_by, "issued_by", "tổ chức chứng nhận", 200),
                         expires_on=_date(expires_on, "expires_on", "ngày hết hạn", required=False))
    _save(cert, "Sản phẩm đã có chứng nhận này.")
    record(actor=acting_user, action="farmproducts.certification.added", obj=product,
           changes={"scheme": scheme, "number": cert.number})
    return cert


def check_shop_url(url: str) -> str:
    """An e-commerce shop address: https (or http), a real host name with a
    dot, no user name or password in it, at most 400 characters."""
    url = (url or "").strip()
    if len(url) > 400:
        raise field_error("url", "Đường dẫn dài quá 400 ký tự.", "invalid_url")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        raise field_error("url", "Đường dẫn gian hàng không hợp lệ.", "invalid_url") from None
    if (parts.scheme not in ("https", "http") or "." not in host or parts.username or parts.password or not port_ok
            or not re.match(r"^[a-z0-9.-]+$", host) or host.startswith(".") or host.endswith(".")
            or any(ch.isspace() for ch in url)):
        raise field_error("url", "Đường dẫn gian hàng phải là địa chỉ web đầy đủ, ví dụ https://shopee.vn/….",
                   "invalid_url")
    return url


@transaction.atomic
def add_shop_link(*, acting_user, product_id, platform, url) -> ShopLink:
    product = _product(product_id)
    _require(acting_user, product.producer.agency)
    link = ShopLink(product=product, platform=_text(platform, "platform", "tên sàn", 60, True), url=check_shop_url(url))
    _save(link, "Sản phẩm đã có đường dẫn này.")
    record(actor=acting_user, action="farmproducts.shop_link.added", obj=product,
           changes={"platform": link.platform, "url": link.url})
    return link


@transaction.atomic
def add_photo(*, acting_user, product_id, upload) -> ProductPhoto:
    """A product photo: JPEG or PNG by content, at most 5 MB (check_upload)."""
    product = _product(product_id)
    _require(acting_user, product.producer.agency)
    checked = check_upload(upload, "photo", allowed=PHOTO_TYPES, label="JPG, PNG", limit=PHOTO_LIMIT)
    if ProductPhoto.objects.filter(product=product, sha256=checked.sha256).exists():
        raise field_error("photo", "Ảnh này đã có.", "duplicate")
    photo = ProductPhoto(product=product, content_type=checked.content_type, sha256=checked.sha256)
    photo.file.save(f"sp{product.pk}-{checked.sha256[:12]}.{PHOTO_TYPES[checked.content_type]}", checked.content(),
                    save=False)
    photo.save()
    record(actor=acting_user, action="farmproducts.photo.added", obj=product, changes={"sha256": checked.sha256})
    return photo


def _code(value, field="code") -> str:
    code = "".join(str(value or "").split()).upper()
    if not CODE_RE.match(code):
        raise field_error(field, "Mã số gồm 3–39 chữ cái không dấu, chữ số, dấu chấm hoặc gạch ngang, ví dụ VN-CTOR-0012.",
                   "invalid_code")
    return code


def _polygon(value):
    if value in (None, "", []):
        return None
    if isinstance(value, str):
        import json

        try:
            value = json.loads(value)
        except ValueError:
            raise field_error("polygon", "Ranh giới phải là danh sách điểm [kinh độ, vĩ độ] (JSON).") from None
    ok = isinstance(value, list) and 3 <= len(value) <= 500 and all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(c, (int, float)) for c in p) for p in value)
    if not ok or not all(LNG_RANGE[0] <= p[0] <= LNG_RANGE[1] and LAT_RANGE[0] <= p[1] <= LAT_RANGE[1]
                         for p in value):
        raise field_error("polygon", "Ranh giới cần 3–500 điểm [kinh độ, vĩ độ] trong lãnh thổ Việt Nam.")
    return value


@transaction.atomic
def register_growing_area(*, acting_user, code, crop, area_ha, unit_id, agency_id, producer_id=None, lat=None,
                          lng=None, polygon=None) -> GrowingArea:
    """Record a growing-area code (pending until verified)."""
    agency = _agency(agency_id)
    _require(acting_user, agency)
    area = parse_area(area_ha)
    lat, lng = parse_point(lat, lng)
    site = GrowingArea(code=_code(code), crop=_text(crop, "crop", "cây trồng", 120, True), area_ha=area,
                       unit=_commune(unit_id), agency=agency, lat=lat, lng=lng, polygon=_polygon(polygon),
                       producer=_producer(producer_id) if producer_id else None)
    _save(site, "Mã số vùng trồng này đã có.")
    record(actor=acting_user, action="farmproducts.growing_area.registered", obj=site)
    return site


@transaction.atomic
def register_packing_house(*, acting_user, code, name, unit_id, agency_id, lat=None, lng=None) -> PackingHouse:
    agency = _agency(agency_id)
    _require(acting_user, agency)
    lat, lng = parse_point(lat, lng)
    site = PackingHouse(code=_code(code), name=_text(name, "name", "tên cơ sở", 200, True), unit=_commune(unit_id),
                        agency=agency, lat=lat, lng=lng)
    _save(site, "Mã số cơ sở đóng gói này đã có.")
    record(actor=acting_user, action="farmproducts.packing_house.registered", obj=site)
    return site


SITES = {"area": GrowingArea, "packing": PackingHouse}
TRANSITIONS = {"verify": ({CodeStatus.PENDING}, CodeStatus.ACTIVE),
               "suspend": ({CodeStatus.PENDING, CodeStatus.ACTIVE}, CodeStatus.SUSPENDED),
               "reinstate": ({CodeStatus.SUSPENDED}, CodeStatus.ACTIVE)}


@transaction.atomic
def change_code_status(*, acting_user, kind: str, code: str, action: str, reason: str = ""):
    """Verify a pending code, suspend one (with a reason; the public page of
    every batch from it then warns) or reinstate a suspended one."""
    model = SITES.get(kind)
    if model is None or action not in TRANSITIONS:
        raise InvalidInput("Thao tác không hợp lệ.", code="invalid_action")
    site = model.objects.select_for_update().select_related("agency").filter(code=code).first()
    if site is None:
        raise NotFound("Không tìm thấy mã số.", code="code_not_found")
    _require(acting_user, site.agency)
    allowed, target = TRANSITIONS[action]
    if site.status not in allowed:
        raise InvalidInput(f"Mã số đang ở tình trạng “{site.get_status_display()}”, không thể thực hiện.",
                           code="invalid_state")
    reason = _text(reason, "reason", "lý do", 300, required=action == "suspend")
    old = site.status
    site.status, site.status_reason, site.status_at = target, reason if action == "suspend" else "", timezone.now()
    site.save(update_fields=["status", "status_reason", "status_at"])
    record(actor=acting_user, action=f"farmproducts.{kind}.{action}", obj=site, changes={"status": [old, target]},
           note=reason)
    return site


def _site(model, value, field, missing, pending, suspended):
    """The code (or id) typed for a batch, locked so that it is not suspended
    while the batch is made; it must be in force (verified, not suspended)."""
    if value in (None, "") or str(value).isspace():
        return None
    found = model.objects.select_for_update()
    site = found.filter(code=str(value).strip().upper()).first() or (
        found.filter(pk=value).first() if is_pk(value) else None)
    if site is None:
        raise field_error(field, missing % {"code": str(value).strip()[:40]}, "code_not_found")
    if site.status != CodeStatus.ACTIVE:
        raise field_error(field, (pending if site.status == CodeStatus.PENDING else suspended) % {"code": site.code},
                          "code_not_active")
    return site


@transaction.atomic
def create_batch(*, acting_user, product_id, harvest_date, packing_date, quantity, quantity_unit="kg",
                 growing_area=None, packing_house=None) -> Batch:
    """A batch and its code `LH{yymmdd}{NNNN}` (packing day, number that day).
    Its growing area must be the product's producer's and in force, its
    packing house in force (a packing house packs for many producers)."""
    product = _product(product_id)
    _require(acting_user, product.producer.agency)
    harvest = _date(harvest_date, "harvest_date", "ngày thu hoạch")
    packing = _date(packing_date, "packing_date", "ngày đóng gói")
    if packing < harvest:
        raise field_error("packing_date", "Ngày đóng gói không được trước ngày thu hoạch.")
    if packing > timezone.localdate() + datetime.timedelta(days=1):
        raise field_error("packing_date", "Ngày đóng gói không được ở tương lai.")
    amount = _amount(quantity, "quantity", _("Số lượng là một số, ví dụ 850 hoặc 12,5."), Decimal("0.01"),
                     Decimal("10000000000"), _("Số lượng từ 0,01 đến dưới 10 tỷ."))
    area = _site(GrowingArea, growing_area, "growing_area", _("Không tìm thấy mã số vùng trồng %(code)s."),
                 _("Mã số vùng trồng %(code)s chưa được xác minh; chỉ tạo lô hàng từ mã đang hiệu lực."),
                 _("Mã số vùng trồng %(code)s đang bị tạm dừng; không tạo lô hàng từ mã này."))
    if area is not None and area.producer_id is None:
        raise field_error("growing_area", _("Vùng trồng %(code)s chưa ghi chủ thể sản xuất nên chưa dùng được cho "
                                            "lô hàng.") % {"code": area.code}, "area_not_producers")
    if area is not None and area.producer_id != product.producer_id:
        raise field_error("growing_area", _("Vùng trồng %(code)s không thuộc %(producer)s, chủ thể của sản phẩm "
                                            "%(product)s.") % {"code": area.code, "producer": product.producer.name,
                                                               "product": product.name}, "area_not_producers")
    house = _site(PackingHouse, packing_house, "packing_house", _("Không tìm thấy mã số cơ sở đóng gói %(code)s."),
                  _("Mã số cơ sở đóng gói %(code)s chưa được xác minh; chỉ tạo lô hàng từ mã đang hiệu lực."),
                  _("Mã số cơ sở đóng gói %(code)s đang bị tạm dừng; không tạo lô hàng từ mã này."))
    number = next_value(BatchCounter, {"day": packing})
    batch = Batch(code=f"LH{packing:%y%m%d}{number:04d}", product=product, growing_area=area, packing_house=house,
                  harvest_date=harvest, packing_date=packing, quantity=amount,
                  quantity_unit=_text(quantity_unit, "quantity_unit", "đơn vị", 20) or "kg",
                  created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None)
    batch.save()
    record(actor=acting_user, action="farmproducts.batch.created", obj=batch,
           changes={"product": product.name, "quantity": str(batch.quantity)})
    return batch


@transaction.atomic
def set_batch_status(*, acting_user, code: str, suspend: bool, reason: str = "") -> Batch:
    batch = Batch.objects.select_for_update().select_related("product__producer__agency").filter(code=code).first()
    if batch is None:
        raise NotFound("Không tìm thấy lô hàng.", code="batch_not_found")
    _require(acting_user, batch.product.producer.agency)
    target = BatchStatus.SUSPENDED if suspend else BatchStatus.ACTIVE
    if batch.status == target:
        raise InvalidInput("Lô hàng đã ở tình trạng này.", code="invalid_state")
    reason = _text(reason, "reason", "lý do", 300, required=suspend)
    batch.status, batch.status_reason = target, reason if suspend else ""
    batch.save(update_fields=["status", "status_reason"])
    record(actor=acting_user, action="farmproducts.batch." + ("suspended" if suspend else "reinstated"), obj=batch,
           note=reason)
    return batch


def count_scan(batch_id: int) -> None:
    """One more opening of a batch's public page: a single UPDATE, nothing
    about the person kept (not an action: no audit row, no permission)."""
    Batch.objects.filter(pk=batch_id).update(scan_count=F("scan_count") + 1)
