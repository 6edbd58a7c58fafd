"""Producers, products, certifications, shop links, photos, codes and batches:
allowed for the department's specialist, refused elsewhere, bad input refused."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.farmproducts import actions
from tinhso.farmproducts.models import Batch, GrowingArea, Product, ShopLink
from tinhso.farmproducts.queries import programme_figures
from tinhso.farmproducts.tests.conftest import png_bytes, unit

pytestmark = pytest.mark.django_db


def test_the_departments_specialist_records_a_product_with_ocop_and_a_shop(product):
    assert product.ocop_stars == 4 and product.shop_links.count() == 1 and product.certifications.count() == 1
    assert AuditEvent.objects.filter(action="farmproducts.product.created", object_id=str(product.pk)).exists()


def test_a_specialist_of_another_department_is_refused_and_nothing_is_saved(outsider, household):
    with pytest.raises(PermissionDenied):
        actions.save_product(acting_user=outsider, producer_id=household.pk, name="Bưởi", category="fruit")
    with pytest.raises(PermissionDenied):
        actions.register_producer(acting_user=outsider, name="HTX", kind="cooperative", unit_id=household.unit_id,
                                  agency_id=household.agency_id)
    assert not Product.objects.exists()


@pytest.mark.parametrize("changes, field", [
    ({"ocop_stars": 6, "ocop_certificate_no": "1", "ocop_certified_on": "2024-01-01"}, "ocop_stars"),
    ({"ocop_stars": 2, "ocop_certificate_no": "1", "ocop_certified_on": "2024-01-01"}, "ocop_stars"),
    ({"ocop_stars": 4}, "ocop_certificate_no"),
    ({"ocop_stars": 4, "ocop_certificate_no": "1", "ocop_certified_on": "2024-01-01",
      "ocop_expires_on": "2023-01-01"}, "ocop_expires_on"),
    ({"ocop_stars": 4, "ocop_certificate_no": "1", "ocop_certified_on": "20/11/2024"}, "ocop_certified_on"),
    ({"category": "gold"}, "category"),
    ({"name": "  "}, "name"),
])
def test_bad_product_input_is_refused(specialist, household, changes, field):
    data = {"producer_id": household.pk, "name": "Bưởi Năm Roi", "category": "fruit", **changes}
    with pytest.raises(InvalidInput) as caught:
        actions.save_product(acting_user=specialist, **data)
    assert caught.value.errors[0]["field"] == field and caught.value.message
    assert not Product.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "shopee.vn/abc", "ftp://shopee.vn/a", "https://localhost/a",
                                 "https://user:pw@shopee.vn/a", "https://shopee.vn/a b", "https://" + "a" * 400 + ".vn",
                                 "https://[::1/", "https://shopee.vn:99999/"])
def test_shop_links_must_be_real_web_addresses(specialist, product, url):
    with pytest.raises(InvalidInput) as caught:
        actions.add_shop_link(acting_user=specialist, product_id=product.pk, platform="Sàn", url=url)
    assert caught.value.errors[0]["field"] == "url"
    assert ShopLink.objects.filter(product=product).count() == 1


def test_photos_are_checked_by_content(specialist, product, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = actions.add_photo(acting_user=specialist, product_id=product.pk,
                              upload=SimpleUploadedFile("dau.png", png_bytes()))
    assert photo.content_type == "image/png"
    with pytest.raises(InvalidInput):
        actions.add_photo(acting_user=specialist, product_id=product.pk,
                          upload=SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image"))
    with pytest.raises(InvalidInput):  # the same photo twice
        actions.add_photo(acting_user=specialist, product_id=product.pk,
                          upload=SimpleUploadedFile("dau2.png", png_bytes()))
    assert product.photos.count() == 1


def test_codes_are_verified_suspended_with_a_reason_and_reinstated(specialist, outsider, snnmt):
    site = actions.register_growing_area(acting_user=specialist, code="vn-ctor-0300", crop="Xoài", area_ha="3",
                                         unit_id=unit("31261").pk, agency_id=snnmt.pk)
    assert site.code == "VN-CTOR-0300" and site.status == "pending"
    with pytest.raises(PermissionDenied):
        actions.change_code_status(acting_user=outsider, kind="area", code=site.code, action="verify")
    actions.change_code_status(acting_user=specialist, kind="area", code=site.code, action="verify")
    with pytest.raises(InvalidInput):  # a reason is required
        actions.change_code_status(acting_user=specialist, kind="area", code=site.code, action="suspend")
    actions.change_code_status(acting_user=specialist, kind="area", code=site.code, action="suspend",
                               reason="Phát hiện dư lượng thuốc bảo vệ thực vật")
    with pytest.raises(InvalidInput):  # cannot verify a suspended code
        actions.change_code_status(acting_user=specialist, kind="area", code=site.code, action="verify")
    assert GrowingArea.objects.get(code=site.code).status == "suspended"
    assert AuditEvent.objects.filter(action="farmproducts.area.suspend").count() == 1


@pytest.mark.parametrize("data, field", [
    ({"code": "ab", "area_ha": "1"}, "code"),
    ({"code": "VN-1", "area_ha": "0"}, "area_ha"),
    ({"code": "VN-1", "area_ha": "nhiều"}, "area_ha"),
    ({"code": "VN-1", "area_ha": "1", "polygon": "[[1,2]]"}, "polygon"),
    ({"code": "VN-1", "area_ha": "1", "lat": "200", "lng": "1"}, "lat"),
])
def test_bad_growing_area_input_is_refused(specialist, snnmt, data, field):
    with pytest.raises(InvalidInput) as caught:
        actions.register_growing_area(acting_user=specialist, crop="Lúa", unit_id=unit("31299").pk,
                                      agency_id=snnmt.pk, **data)
    assert caught.value.errors[0]["field"] == field


def test_batches_get_a_code_per_packing_day_and_bad_dates_are_refused(specialist, product, batch):
    assert batch.code == f"LH{batch.packing_date:%y%m%d}0001"
    today = datetime.date.today()
    with pytest.raises(InvalidInput):
        actions.create_batch(acting_user=specialist, product_id=product.pk, harvest_date=today,
                             packing_date=today - datetime.timedelta(days=3), quantity="1")
    with pytest.raises(InvalidInput):
        actions.create_batch(acting_user=specialist, product_id=product.pk, harvest_date=today, packing_date=today,
                             quantity="-5")
    with pytest.raises(InvalidInput):
        actions.create_batch(acting_user=specialist, product_id=product.pk, harvest_date=today, packing_date=today,
                             quantity="5", growing_area="VN-KHONG-CO")
    assert Batch.objects.count() == 1


def test_programme_figures_count_products_on_ecommerce_and_active_codes(product, area, specialist, household):
    actions.save_product(acting_user=specialist, producer_id=household.pk, name="Không bán online", category="rice")
    figures = {f.key: f for f in programme_figures()}
    assert figures["products_on_ecommerce"].value == 1 and figures["products_on_ecommerce"].unit == "sản phẩm"
    assert figures["growing_area_codes"].value == 1 and figures["growing_area_codes"].unit == "mã"
    actions.change_code_status(acting_user=specialist, kind="area", code=area.code, action="suspend", reason="Kiểm tra")
    assert {f.key: f.value for f in programme_figures()}["growing_area_codes"] == 0
    from tinhso.dashboard import programme

    assert {"products_on_ecommerce", "growing_area_codes"} <= {f.key for f in programme.figures()}
