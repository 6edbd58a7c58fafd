"""Excel import of growing-area codes, packing-house codes and products (with
their producers), ALL-OR-NOTHING: every row is checked first, and one bad row
means nothing is saved; every bad row is listed with its row number, column
and reason (`core.spreadsheets.ImportRefused`). A good file goes through the
same actions as the forms (an audit row per code, producer and product) and
one `farmproducts.imported` row for the file.

For the officials who verify codes: the specialist, head of division or
leader of the chosen agency (or an agency above it) and the system
administrator. Codes are recorded for that agency; a code marked "Đang hiệu
lực" is verified by the importing official at once (the codes the province
has already issued), a blank state is "Chờ xác minh". Products name their
producer by name and commune: an existing producer is used (the importer must
manage it), a new one is created for the chosen agency the first time it
appears (its kind is then required)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.accounts.permissions import has_role
from tinhso.audit.actions import record
from tinhso.core import spreadsheets
from tinhso.core.errors import DomainError, InvalidInput
from tinhso.core.spreadsheets import ImportRefused, RowErrors, cell_date, cell_text
from tinhso.core.text import fold
from tinhso.farmproducts import actions
from tinhso.farmproducts.models import Category, CodeStatus, GrowingArea, PackingHouse, Producer, ProducerKind, Product
from tinhso.units.models import AdministrativeUnit

MAX_ROWS = 5000

# Column headers, as in the template and the export (the import forgives case, diacritics and punctuation).
H = {
    "area_code": "Mã số vùng trồng", "packing_code": "Mã số cơ sở đóng gói", "crop": "Cây trồng",
    "area_ha": "Diện tích (ha)", "commune": "Xã, phường", "commune_code": "Mã xã, phường",
    "producer": "Chủ thể sản xuất", "lat": "Vĩ độ", "lng": "Kinh độ", "status": "Tình trạng", "house": "Tên cơ sở",
    "kind": "Loại hình", "registration_code": "Mã số thuế / đăng ký", "name": "Tên sản phẩm", "category": "Nhóm",
    "ocop_stars": "Số sao OCOP", "ocop_certificate_no": "Số giấy chứng nhận OCOP",
    "ocop_certified_on": "Ngày chứng nhận OCOP", "ocop_expires_on": "Ngày hết hạn OCOP",
    "shops": "Gian hàng thương mại điện tử", "description": "Mô tả",
}


@dataclass(frozen=True)
class Spec:
    label: object
    sheet: str
    headers: list[str]
    required: list
    example: list
    filename: str

    @property
    def columns(self) -> dict[str, str]:
        keys = {spreadsheets.header_key(text): key for key, text in H.items() if text in self.headers}
        return {**keys, **ALIASES.get(self.sheet, {})}


ALIASES = {
    "Vung trong": {"ma so": "area_code", "dien tich": "area_ha", "chu the": "producer"},
    "Co so dong goi": {"ma so": "packing_code", "ten co so dong goi": "house"},
    "San pham": {"san pham": "name", "chu the": "producer", "nhom san pham": "category", "so sao": "ocop_stars"},
}
SPECS = {
    "area": Spec(gettext_lazy("Mã số vùng trồng"), "Vung trong",
                 [H[k] for k in ("area_code", "crop", "area_ha", "commune", "commune_code", "producer", "lat", "lng",
                                 "status")],
                 ["area_code", "crop", "area_ha", ("commune", "commune_code")],
                 ["VN-CTOR-0101", "Dâu (dâu Hạ Châu)", 18.5, "Xã Phong Điền", "", "Hợp tác xã Dâu Hạ Châu Phong Điền",
                  10.0034, 105.6702, "Đang hiệu lực"], "mau-ma-so-vung-trong.xlsx"),
    "packing": Spec(gettext_lazy("Mã số cơ sở đóng gói"), "Co so dong goi",
                    [H[k] for k in ("packing_code", "house", "commune", "commune_code", "lat", "lng", "status")],
                    ["packing_code", "house", ("commune", "commune_code")],
                    ["VN-CTPH-0012", "Cơ sở đóng gói trái cây Phong Điền", "Xã Phong Điền", "", 10.0051, 105.6689,
                     "Đang hiệu lực"], "mau-ma-so-co-so-dong-goi.xlsx"),
    "product": Spec(gettext_lazy("Sản phẩm và chủ thể sản xuất"), "San pham",
                    [H[k] for k in ("producer", "kind", "commune", "commune_code", "registration_code", "name",
                                    "category", "ocop_stars", "ocop_certificate_no", "ocop_certified_on",
                                    "ocop_expires_on", "shops", "description")],
                    ["producer", ("commune", "commune_code"), "name", "category"],
                    ["Hợp tác xã Dâu Hạ Châu Phong Điền", "Hợp tác xã, tổ hợp tác", "Xã Phong Điền", "", "1801234567",
                     "Dâu Hạ Châu", "Trái cây", 4, "2183/QĐ-UBND", "20/11/2024", "20/11/2027",
                     "Shopee https://shopee.vn/dauhachau.phongdien\nPostmart https://postmart.vn/dau-ha-chau", ""],
                    "mau-san-pham.xlsx"),
}
PRODUCT_FIELDS = {field: H[field] for field in ("name", "category", "ocop_stars", "ocop_certificate_no",
                                                "ocop_certified_on", "ocop_expires_on", "description")}
SITE_FIELDS = {"lat": H["lat"], "lng": H["lng"], "area_ha": H["area_ha"], "crop": H["crop"], "name": H["house"]}
STATES = {"": CodeStatus.PENDING, "cho xac minh": CodeStatus.PENDING, "pending": CodeStatus.PENDING,
          "dang hieu luc": CodeStatus.ACTIVE, "da xac minh": CodeStatus.ACTIVE, "active": CodeStatus.ACTIVE}
SUSPENDED = {"tam dung", "suspended"}
KIND_WORDS = {**{fold(label): value for value, label in ProducerKind.choices}, **{v: v for v in ProducerKind.values},
              "ho": ProducerKind.HOUSEHOLD, "ho gia dinh": ProducerKind.HOUSEHOLD,
              "hop tac xa": ProducerKind.COOPERATIVE, "htx": ProducerKind.COOPERATIVE,
              "to hop tac": ProducerKind.COOPERATIVE, "cong ty": ProducerKind.ENTERPRISE}
CATEGORY_WORDS = {**{fold(label): value for value, label in Category.choices}, **{v: v for v in Category.values}}


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    verified: int = 0
    producers_created: int = 0
    shop_links: int = 0


def template_xlsx(kind: str) -> bytes:
    spec = SPECS[kind]
    return spreadsheets.template_xlsx(spec.sheet, spec.headers, spec.example)


def _read(spec: Spec, upload) -> list[tuple[int, dict]]:
    from tinhso.dossiers.uploads import check_upload

    checked = check_upload(upload, "file", allowed=spreadsheets.XLSX, label="XLSX", limit=spreadsheets.UPLOAD_LIMIT)
    sheet = spreadsheets.read_sheet(checked.data, spec.columns, required=spec.required, headers=spec.headers,
                                    max_rows=MAX_ROWS)
    if sheet.truncated:
        raise spreadsheets.bad_file(_("Tệp quá %(n)s dòng; hãy chia nhỏ.") % {"n": MAX_ROWS})
    if not sheet.rows:
        raise spreadsheets.bad_file(_("Tệp không có dòng dữ liệu nào."))
    return [(number, {key: value if key in ("area_ha", "lat", "lng", "ocop_stars", "ocop_certified_on",
                                            "ocop_expires_on") else cell_text(value)
                      for key, value in values.items()}) for number, values in sheet.rows]


class _Communes:
    """A commune cell: its current 5-digit code (column "Mã xã, phường") or its
    name. A name is first looked for among today's communes of the agency's
    province (diacritics forgiven when only one matches: "Xã Cờ Đỏ" is not
    Hà Nội's "Xã Cổ Đô"), then as any name, old or new form, through the
    address database's recognition. Each text is resolved once per file."""

    def __init__(self, agency):
        from tinhso.addresses.actions import resolve_commune

        self.resolve, self.seen = resolve_commune, {}
        province = agency.unit if agency.unit.level == "province" else agency.unit.parent
        self.local = {}
        for commune in AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True, parent=province):
            self.local.setdefault(commune.name.lower(), []).append(commune)
            self.local.setdefault(fold(commune.name), []).append(commune)

    def _find(self, text: str):
        key = " ".join(text.split())
        for found in (self.local.get(key.lower()), self.local.get(fold(key))):
            if found and len(found) == 1:
                return found[0]
        return self.resolve(text)

    def __call__(self, values: dict):
        text = values.get("commune_code") or values.get("commune") or ""
        if not text:
            raise InvalidInput(_("Cần ghi xã, phường (tên hoặc mã)."))
        if text not in self.seen:
            try:
                self.seen[text] = self._find(text)
            except DomainError as exc:
                self.seen[text] = exc
        if isinstance(self.seen[text], DomainError):
            raise self.seen[text]
        return self.seen[text]


def _word(value: str, words: dict, message: str, **names):
    """A word of a list (kind, category, state), forgiving case and diacritics."""
    found = words.get(fold(value))
    if found is None:
        raise InvalidInput(message % {"value": value, **names})
    return found


def _status(value: str) -> str:
    key = fold(value)
    if key in SUSPENDED:
        raise InvalidInput(_("Không nhập mã đang tạm dừng: nhập với tình trạng “Đang hiệu lực” rồi tạm dừng kèm lý "
                             "do trên trang mã số."))
    return _word(value, STATES, _("Tình trạng “%(value)s” không hợp lệ (Chờ xác minh, Đang hiệu lực)."))


def _producer_lookup():
    """A producer cell of the growing-area file: a registration code or a name
    (one producer only)."""
    by_code, by_name = {}, {}
    for producer in Producer.objects.all():
        if producer.registration_code:
            by_code.setdefault(producer.registration_code, []).append(producer)
        by_name.setdefault(fold(producer.name), []).append(producer)

    def find(text: str) -> Producer | None:
        if not text:
            return None
        found = by_code.get(text) or by_name.get(fold(text)) or []
        if not found:
            raise InvalidInput(_("Không có chủ thể sản xuất “%(name)s”; nhập sản phẩm và chủ thể trước.")
                               % {"name": text})
        if len(found) > 1:
            raise InvalidInput(_("Có %(n)s chủ thể tên “%(name)s”; ghi mã số thuế / đăng ký.")
                               % {"n": len(found), "name": text})
        return found[0]

    return find


@transaction.atomic
def import_file(*, acting_user, kind: str, agency_id, upload) -> ImportResult:
    """Import a file of `kind` ("area", "packing" or "product") for the agency."""
    spec = SPECS.get(kind)
    if spec is None:
        raise InvalidInput(_("Loại dữ liệu nhập không hợp lệ."), code="invalid_kind",
                           errors=[{"field": "kind", "message": _("Loại dữ liệu nhập không hợp lệ.")}])
    agency = actions._agency(agency_id)
    actions._require(acting_user, agency)
    rows = _read(spec, upload)
    result = _import_products(acting_user, agency, rows) if kind == "product" else \
        _import_sites(acting_user, agency, kind, rows)
    record(actor=acting_user, action="farmproducts.imported", note=str(getattr(upload, "name", ""))[:200],
           changes={"kind": kind, "agency": agency.code, "created": result.created, "verified": result.verified,
                    "producers_created": result.producers_created, "shop_links": result.shop_links})
    return result


def _import_sites(acting_user, agency, kind: str, rows) -> ImportResult:
    model, code_key = (GrowingArea, "area_code") if kind == "area" else (PackingHouse, "packing_code")
    errors, communes = RowErrors(), _Communes(agency)
    find_producer = _producer_lookup() if kind == "area" else None
    existing, seen, good = set(model.objects.values_list("code", flat=True)), {}, []
    for number, v in rows:
        code = errors.check(number, H[code_key], actions._code, v.get(code_key))
        if code is not None:
            if code in seen:
                errors.add(number, H[code_key], _("Trùng mã %(code)s với dòng %(n)s.") % {"code": code, "n": seen[code]})
            elif code in existing:
                errors.add(number, H[code_key], _("Mã số %(code)s đã có trong hệ thống.") % {"code": code})
            seen.setdefault(code, number)
        if kind == "area":
            fields = {"crop": errors.check(number, H["crop"], actions._text, v.get("crop"), "crop", _("cây trồng"), 120,
                                           True, fields=SITE_FIELDS),
                      "area_ha": errors.check(number, H["area_ha"], actions.parse_area, v.get("area_ha"),
                                              fields=SITE_FIELDS),
                      "producer": errors.check(number, H["producer"], find_producer, v.get("producer", ""))}
        else:
            fields = {"name": errors.check(number, H["house"], actions._text, v.get("house"), "name",
                                           _("tên cơ sở"), 200, True, fields=SITE_FIELDS)}
        unit = errors.check(number, H["commune_code"] if v.get("commune_code") else H["commune"], communes, v)
        point = errors.check(number, H["lat"], actions.parse_point, v.get("lat"), v.get("lng"), fields=SITE_FIELDS)
        status = errors.check(number, H["status"], _status, v.get("status", ""))
        if not errors.count(number):
            good.append((number, code, unit, point, status, fields))
    errors.refuse()
    result = ImportResult(kind)
    for number, code, unit, (lat, lng), status, fields in good:
        try:
            if kind == "area":
                producer = fields["producer"]
                actions.register_growing_area(acting_user=acting_user, code=code, crop=fields["crop"],
                                              area_ha=fields["area_ha"], unit_id=unit.pk, agency_id=agency.pk,
                                              producer_id=producer.pk if producer else None, lat=lat, lng=lng)
            else:
                actions.register_packing_house(acting_user=acting_user, code=code, name=fields["name"],
                                               unit_id=unit.pk, agency_id=agency.pk, lat=lat, lng=lng)
            result.created += 1
            if status == CodeStatus.ACTIVE:
                actions.change_code_status(acting_user=acting_user, kind=kind, code=code, action="verify")
                result.verified += 1
        except DomainError as exc:  # changed since the check (another import at the same time)
            raise ImportRefused([{"row": number, "column": "", "message": exc.message}]) from None
    return result


def _shop_links(text: str) -> list[tuple[str, str]]:
    """One link a line (or separated by ";"): "Shopee https://…" or just the
    address (the platform is then the site's name)."""
    links, urls = [], set()
    for piece in text.replace(";", "\n").splitlines():
        piece = piece.strip()
        if not piece:
            continue
        at = piece.find("http")
        platform, url = (piece[:at].strip(" :-–|"), piece[at:].strip()) if at >= 0 else ("", piece)
        url = actions.check_shop_url(url)
        if not platform:
            host = url.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0].removeprefix("www.")
            platform = host.split(".", 1)[0].capitalize()
        platform = actions._text(platform, "platform", _("tên sàn"), 60, True)
        if url not in urls:
            urls.add(url)
            links.append((platform, url))
    return links


def _date_cell(value):
    try:
        return cell_date(value)
    except ValueError:
        raise InvalidInput(_("Ngày “%(value)s” không đúng dạng dd/mm/yyyy.") % {"value": cell_text(value)}) from None


def _import_products(acting_user, agency, rows) -> ImportResult:
    errors, communes = RowErrors(), _Communes(agency)
    producers = {(fold(p.name), p.unit_id): p for p in Producer.objects.select_related("agency")}
    existing = {(pid, fold(name)) for pid, name in Product.objects.values_list("producer_id", "name")}
    new_producers, seen, good = {}, {}, []
    for number, v in rows:
        name = errors.check(number, H["producer"], actions._text, v.get("producer"), "producer",
                            _("tên chủ thể sản xuất"), 200, True)
        unit = errors.check(number, H["commune_code"] if v.get("commune_code") else H["commune"], communes, v)
        key = producer = None
        if name and unit:
            key = (fold(name), unit.pk)
            producer = producers.get(key)
            if producer is not None and acting_user is not None and not has_role(acting_user, actions.ROLES,
                                                                                 producer.agency):
                errors.add(number, H["producer"], _("Bạn không quản lý chủ thể %(name)s (cơ quan quản lý: %(agency)s).")
                           % {"name": producer.name, "agency": producer.agency.name})
            elif producer is None and key not in new_producers:
                kind = errors.check(number, H["kind"], _word, v.get("kind", ""), KIND_WORDS,
                                    _("Chủ thể mới cần loại hình: hộ sản xuất, hợp tác xã hoặc doanh nghiệp "
                                      "(đang ghi “%(value)s”)."))
                code = errors.check(number, H["registration_code"], actions._text, v.get("registration_code"),
                                    "registration_code", _("mã số thuế / đăng ký"), 30)
                if kind and code is not None:
                    new_producers[key] = {"name": name, "kind": kind, "unit_id": unit.pk, "registration_code": code}
        before = errors.count(number)
        certified = errors.check(number, H["ocop_certified_on"], _date_cell, v.get("ocop_certified_on"))
        expires = errors.check(number, H["ocop_expires_on"], _date_cell, v.get("ocop_expires_on"))
        stars = v.get("ocop_stars")
        if errors.count(number) > before:  # a bad date: the OCOP rating is checked again once it is mended
            errors.check(number, H["ocop_stars"], actions.parse_stars, stars)
            stars = None
        category = errors.check(number, H["category"], _word, v.get("category", ""), CATEGORY_WORDS,
                                _("Nhóm “%(value)s” không có; dùng một trong: %(names)s."),
                                names=", ".join(str(label) for _value, label in Category.choices))
        values = errors.check(number, H["name"], actions.product_values, fields=PRODUCT_FIELDS, name=v.get("name"),
                              category=category or Category.OTHER, description=v.get("description", ""),
                              ocop_stars=stars, ocop_certificate_no=v.get("ocop_certificate_no", ""),
                              ocop_certified_on=certified, ocop_expires_on=expires)
        links = errors.check(number, H["shops"], _shop_links, v.get("shops", ""))
        if key and values:
            product_key = (key, fold(values["name"]))
            if product_key in seen:
                errors.add(number, H["name"], _("Trùng với dòng %(n)s (cùng chủ thể, cùng tên sản phẩm).")
                           % {"n": seen[product_key]})
            elif producer is not None and (producer.pk, fold(values["name"])) in existing:
                errors.add(number, H["name"], _("%(producer)s đã có sản phẩm “%(name)s”.")
                           % {"producer": producer.name, "name": values["name"]})
            seen.setdefault(product_key, number)
        if not errors.count(number):
            good.append((number, key, values, links))
    errors.refuse()
    result = ImportResult("product")
    for number, key, values, links in good:
        try:
            if key not in producers:
                producers[key] = actions.register_producer(acting_user=acting_user, agency_id=agency.pk,
                                                           **new_producers[key])
                result.producers_created += 1
            product = actions.save_product(acting_user=acting_user, producer_id=producers[key].pk, **values)
            result.created += 1
            for platform, url in links:
                actions.add_shop_link(acting_user=acting_user, product_id=product.pk, platform=platform, url=url)
                result.shop_links += 1
        except DomainError as exc:  # changed since the check (another import at the same time)
            raise ImportRefused([{"row": number, "column": "", "message": exc.message}]) from None
    return result
