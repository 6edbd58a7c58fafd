"""Demo farm products of Cần Thơ: dâu Hạ Châu and bưởi Năm Roi of Phong
Điền, xoài cát Hòa Lộc of Cờ Đỏ, gạo ST25 of the former Sóc Trăng, khóm Cầu
Đúc of Vị Thanh (former Hậu Giang); growing-area and packing-house codes and
batches. Certificate numbers, tax codes and codes are SAMPLES. Idempotent:
nothing is added when the first producer is there."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tinhso.agencies.models import Agency
from tinhso.farmproducts import actions
from tinhso.farmproducts.models import Producer
from tinhso.units.models import AdministrativeUnit

SNNMT = "000.00.12.H13"

# (name, kind, commune code, registration code)
PRODUCERS = [
    ("Hợp tác xã Dâu Hạ Châu Phong Điền", "cooperative", "31299", "1801234567"),
    ("Hộ Nguyễn Văn Tư", "household", "31315", ""),
    ("Hợp tác xã Xoài Cờ Đỏ", "cooperative", "31261", "1801345678"),
    ("Công ty TNHH Lúa gạo Mỹ Xuyên", "enterprise", "31684", "2200123456"),
    ("Hợp tác xã Khóm Cầu Đúc", "cooperative", "31321", "6300123456"),
]
# (producer index, name, category, OCOP stars, certificate, [(scheme, number)], [(platform, url)])
PRODUCTS = [
    (0, "Dâu Hạ Châu", "fruit", 4, "2183/QĐ-UBND", [("vietgap", "VietGAP-TT-12-34-0001")],
     [("Shopee", "https://shopee.vn/dauhachau.phongdien"), ("Postmart", "https://postmart.vn/dau-ha-chau")]),
    (0, "Bưởi Năm Roi Phong Điền", "fruit", 3, "2183/QĐ-UBND", [("vietgap", "VietGAP-TT-12-34-0002")],
     [("Voso", "https://voso.vn/buoi-nam-roi-phong-dien")]),
    (1, "Bưởi Năm Roi nhà vườn Nhơn Ái", "fruit", None, "", [], []),
    (2, "Xoài cát Hòa Lộc Cờ Đỏ", "fruit", 4, "1576/QĐ-UBND", [("globalgap", "GGN 4063061234567")],
     [("Shopee", "https://shopee.vn/xoaicodo"), ("Lazada", "https://www.lazada.vn/shop/xoai-cat-hoa-loc-co-do")]),
    (3, "Gạo ST25 Mỹ Xuyên", "rice", 5, "3120/QĐ-UBND", [("organic", "HC-2025-0412")],
     [("Tiki", "https://tiki.vn/gao-st25-my-xuyen"), ("Shopee", "https://shopee.vn/gaost25.myxuyen")]),
    (4, "Khóm Cầu Đúc", "fruit", 3, "1876/QĐ-UBND", [("vietgap", "VietGAP-TT-12-34-0107")],
     [("Postmart", "https://postmart.vn/khom-cau-duc")]),
]
# (code, crop, ha, commune, producer index, lat, lng, verified)
AREAS = [
    ("VN-CTOR-0101", "Dâu (dâu Hạ Châu)", "18.50", "31299", 0, 10.0034, 105.6702, True),
    ("VN-CTOR-0102", "Bưởi Năm Roi", "12.00", "31299", 0, 10.0102, 105.6655, True),
    ("VN-CTOR-0207", "Bưởi Năm Roi", "2.30", "31315", 1, 10.0151, 105.7049, False),
    ("VN-CTOR-0315", "Xoài cát Hòa Lộc", "35.20", "31261", 2, 10.0975, 105.4330, True),
    ("VN-CTOR-0422", "Lúa ST25", "120.00", "31684", 3, 9.5640, 105.9880, True),
    ("VN-CTOR-0530", "Khóm (dứa) Cầu Đúc", "45.00", "31321", 4, 9.7730, 105.4420, True),
]
# (code, name, commune, lat, lng)
HOUSES = [
    ("VN-CTPH-0012", "Cơ sở đóng gói trái cây Phong Điền", "31299", 10.0051, 105.6689),
    ("VN-CTPH-0025", "Cơ sở đóng gói xoài Cờ Đỏ", "31261", 10.0931, 105.4391),
]
# (product index, area code, house code, days ago packed, kg)
BATCHES = [
    (0, "VN-CTOR-0101", "VN-CTPH-0012", 3, "850"),
    (0, "VN-CTOR-0101", "VN-CTPH-0012", 10, "1200"),
    (1, "VN-CTOR-0102", "VN-CTPH-0012", 5, "3000"),
    (3, "VN-CTOR-0315", "VN-CTPH-0025", 2, "5400"),
    (4, "VN-CTOR-0422", None, 20, "25000"),
    (5, "VN-CTOR-0530", None, 7, "8000"),
]


def seed_farm_products() -> bool:
    agency = Agency.objects.filter(code=SNNMT).first()
    if agency is None or Producer.objects.filter(name=PRODUCERS[0][0]).exists():
        return False
    units = {u.code: u.pk for u in AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True,
                                                                      parent__code="92")}
    today = timezone.localdate()
    with transaction.atomic():
        producers = [actions.register_producer(acting_user=None, name=name, kind=kind, unit_id=units[code],
                                               agency_id=agency.pk, registration_code=reg)
                     for name, kind, code, reg in PRODUCERS]
        products = []
        for index, name, category, stars, cert, schemes, shops in PRODUCTS:
            product = actions.save_product(
                acting_user=None, producer_id=producers[index].pk, name=name, category=category, ocop_stars=stars,
                ocop_certificate_no=cert if stars else "",
                ocop_certified_on=datetime.date(2024, 11, 20) if stars else None,
                ocop_expires_on=datetime.date(2027, 11, 20) if stars else None)
            for scheme, number in schemes:
                actions.add_certification(acting_user=None, product_id=product.pk, scheme=scheme, number=number,
                                          expires_on=datetime.date(2027, 6, 30))
            for platform, url in shops:
                actions.add_shop_link(acting_user=None, product_id=product.pk, platform=platform, url=url)
            products.append(product)
        for code, crop, ha, commune, producer, lat, lng, verified in AREAS:
            actions.register_growing_area(acting_user=None, code=code, crop=crop, area_ha=Decimal(ha),
                                          unit_id=units[commune], agency_id=agency.pk,
                                          producer_id=producers[producer].pk, lat=lat, lng=lng)
            if verified:
                actions.change_code_status(acting_user=None, kind="area", code=code, action="verify")
        for code, name, commune, lat, lng in HOUSES:
            actions.register_packing_house(acting_user=None, code=code, name=name, unit_id=units[commune],
                                           agency_id=agency.pk, lat=lat, lng=lng)
            actions.change_code_status(acting_user=None, kind="packing", code=code, action="verify")
        for index, area, house, days, kg in BATCHES:
            packed = today - datetime.timedelta(days=days)
            actions.create_batch(acting_user=None, product_id=products[index].pk, growing_area=area,
                                 packing_house=house, harvest_date=packed - datetime.timedelta(days=1),
                                 packing_date=packed, quantity=kg)
    return True
