"""Read-side queries: public traceability data and the programme figures."""

from __future__ import annotations

import re

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from tinhso.farmproducts.models import Batch, CodeStatus, GrowingArea, Product


def programme_figures():
    from tinhso.dashboard.programme import Figure

    return [
        Figure("products_on_ecommerce", _("Sản phẩm nông nghiệp trên sàn thương mại điện tử"),
               Product.objects.filter(shop_links__isnull=False).distinct().count(), "sản phẩm",
               url=reverse("farmproducts:index")),
        Figure("ocop_on_ecommerce", _("Sản phẩm OCOP trên sàn thương mại điện tử"),
               Product.objects.filter(ocop_stars__isnull=False, shop_links__isnull=False).distinct().count(),
               "sản phẩm", url=reverse("farmproducts:index")),
        Figure("growing_area_codes", _("Mã số vùng trồng đang hiệu lực"),
               GrowingArea.objects.filter(status=CodeStatus.ACTIVE).count(), "mã",
               url=reverse("farmproducts:areas")),
    ]


def public_batch(code: str) -> Batch | None:
    """The batch with this code (any case), with everything its public page
    shows; None for an unknown or malformed code."""
    if not re.fullmatch(r"[A-Za-z0-9]{1,30}", (code or "").strip()):
        return None
    return (Batch.objects.select_related("product__producer__unit__parent", "growing_area__unit__parent",
                                         "packing_house__unit__parent")
            .prefetch_related("product__certifications", "product__shop_links", "product__photos")
            .filter(code=code.strip().upper()).first())


def export_xlsx(agencies) -> bytes:
    """Producers, products, growing areas and packing houses of `agencies`
    (the user's scope) with their codes and states, one sheet each. The
    product, growing-area and packing-house sheets have the import's columns
    (a sheet saved alone imports back); text goes through the formula guard
    (`core.spreadsheets`). No contact details, and no registration code of a
household (a person's tax code), as on the public pages."""
    from tinhso.core.spreadsheets import workbook_bytes
    from tinhso.farmproducts.importer import H, SPECS
    from tinhso.farmproducts.models import PackingHouse, Producer, ProducerKind

    producers = (Producer.objects.filter(agency__in=agencies).select_related("unit", "agency")
                 .annotate(product_count=Count("products")).order_by("name", "unit__name"))
    products = (Product.objects.filter(producer__agency__in=agencies).select_related("producer__unit")
                .prefetch_related("shop_links").order_by("producer__name", "name"))
    areas = (GrowingArea.objects.filter(agency__in=agencies).select_related("unit", "producer", "agency")
             .order_by("code"))
    houses = PackingHouse.objects.filter(agency__in=agencies).select_related("unit", "agency").order_by("code")
    def registration(producer) -> str:  # a household's code is a person's tax code: not exported
        return "" if producer.kind == ProducerKind.HOUSEHOLD else producer.registration_code

    producer_rows = ([p.name, p.get_kind_display(), p.unit.name, p.unit.code, registration(p), p.agency.name,
                      p.product_count] for p in producers)
    product_rows = ([p.producer.name, p.producer.get_kind_display(), p.producer.unit.name, p.producer.unit.code,
                     registration(p.producer), p.name, p.get_category_display(), p.ocop_stars,
                     p.ocop_certificate_no, p.ocop_certified_on, p.ocop_expires_on,
                     "\n".join(f"{link.platform} {link.url}" for link in p.shop_links.all()), p.description]
                    for p in products)
    area_rows = ([a.code, a.crop, a.area_ha, a.unit.name, a.unit.code, a.producer.name if a.producer else "",
                  a.lat, a.lng, a.get_status_display(), a.status_reason, a.agency.name] for a in areas)
    house_rows = ([h.code, h.name, h.unit.name, h.unit.code, h.lat, h.lng, h.get_status_display(), h.status_reason,
                   h.agency.name] for h in houses)
    tail = [_("Lý do tạm dừng"), _("Cơ quan cấp mã")]
    return workbook_bytes([
        ("Chu the san xuat", [H["producer"], H["kind"], H["commune"], H["commune_code"], H["registration_code"],
                              _("Cơ quan quản lý"), _("Số sản phẩm")], producer_rows),
        (SPECS["product"].sheet, SPECS["product"].headers, product_rows),
        (SPECS["area"].sheet, SPECS["area"].headers + tail, area_rows),
        (SPECS["packing"].sheet, SPECS["packing"].headers + tail, house_rows),
    ])
