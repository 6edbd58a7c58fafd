"""Review findings: numbers that are not numbers (NaN, infinity) answered
with a field error instead of a 500, an unknown batch action refused, and a
batch only from codes in force, its growing area the product's producer's."""

import datetime

import pytest

from tinhso.core.errors import InvalidInput
from tinhso.farmproducts import actions
from tinhso.farmproducts.models import Batch, BatchStatus, GrowingArea, PackingHouse, Product
from tinhso.farmproducts.tests.conftest import unit

pytestmark = pytest.mark.django_db

NOT_NUMBERS = ["NaN", "nan", "inf", "-Infinity", "sNaN", "1e999999", "", "   ", "12,5,3"]


def _area_form(snnmt, **changes):
    return {"code": "VN-CTOR-0900", "crop": "Lúa", "area_ha": "3", "unit": unit("31299").pk, "agency": snnmt.pk,
            **changes}


@pytest.mark.parametrize("value", ["NaN", "inf", "-inf", "Infinity", "sNaN"])
def test_an_area_that_is_not_a_number_gets_a_field_error_and_keeps_what_was_typed(client, specialist, snnmt, value):
    client.force_login(specialist)
    response = client.post("/nong-san/moi/area/", _area_form(snnmt, area_ha=value))
    page = response.content.decode()
    assert response.status_code == 422
    assert "Diện tích là số ha" in page or "Diện tích từ 0,01" in page
    assert f'value="{value}"' in page and 'value="VN-CTOR-0900"' in page
    assert not GrowingArea.objects.exists()


@pytest.mark.parametrize("lat, lng, field", [
    ("nan", "105.7", "lat"), ("10.0", "inf", "lng"), ("-inf", "105.7", "lat"), ("10.0", "", "lng"),
    ("", "105.7", "lat"), ("10,0342", "NaN", "lng"), ("200", "105.7", "lat"),
])
def test_coordinates_that_are_not_numbers_or_only_half_are_refused(client, specialist, snnmt, lat, lng, field):
    with pytest.raises(InvalidInput) as caught:
        actions.register_growing_area(acting_user=specialist, code="VN-CTOR-0901", crop="Lúa", area_ha="3",
                                      unit_id=unit("31299").pk, agency_id=snnmt.pk, lat=lat, lng=lng)
    assert caught.value.errors[0]["field"] == field
    client.force_login(specialist)
    response = client.post("/nong-san/moi/packing/", {"code": "VN-CTPH-0901", "name": "Cơ sở", "lat": lat, "lng": lng,
                                                      "unit": unit("31299").pk, "agency": snnmt.pk})
    page = response.content.decode()
    assert response.status_code == 422
    assert any(text in page for text in ("Tọa độ phải là số", "Tọa độ nằm ngoài", "Nhập cả vĩ độ và kinh độ"))
    assert not GrowingArea.objects.exists() and not PackingHouse.objects.exists()


def test_a_comma_decimal_point_is_still_a_number(specialist, snnmt):
    site = actions.register_growing_area(acting_user=specialist, code="VN-CTOR-0902", crop="Lúa", area_ha="12,5",
                                         unit_id=unit("31299").pk, agency_id=snnmt.pk, lat="10,0342", lng="105,7811")
    assert str(site.area_ha) == "12.50" and (site.lat, site.lng) == (10.0342, 105.7811)


@pytest.mark.parametrize("value", NOT_NUMBERS + ["0", "0.001", "-5", "10000000000", "9999999999.999"])
def test_a_batch_quantity_that_is_not_a_positive_number_is_a_field_error(client, specialist, product, area, value):
    today = datetime.date.today()
    with pytest.raises(InvalidInput) as caught:
        actions.create_batch(acting_user=specialist, product_id=product.pk, growing_area=area.code,
                             harvest_date=today, packing_date=today, quantity=value)
    assert caught.value.errors[0]["field"] == "quantity" and "Số lượng" in caught.value.message
    client.force_login(specialist)
    response = client.post("/nong-san/moi/batch/", {
        "product_id": product.pk, "growing_area": area.code, "harvest_date": today.isoformat(),
        "packing_date": today.isoformat(), "quantity": value, "quantity_unit": "kg"})
    if value.strip():  # an empty quantity is the form's own "required"
        assert "Số lượng" in response.content.decode()
        assert f'value="{value}"' in response.content.decode()
    assert response.status_code == 422
    assert not Batch.objects.exists()


@pytest.mark.parametrize("stars", ["nan", "inf", 4.5, float("nan"), float("inf"), "٤", True, "99999999999999999999"])
def test_ocop_stars_must_be_a_whole_number_from_3_to_5(specialist, household, stars):
    with pytest.raises(InvalidInput) as caught:
        actions.save_product(acting_user=specialist, producer_id=household.pk, name="Bưởi", category="fruit",
                             ocop_stars=stars, ocop_certificate_no="1", ocop_certified_on="2024-01-01")
    assert caught.value.errors[0]["field"] == "ocop_stars"
    assert not Product.objects.exists()


@pytest.mark.parametrize("value", ["²", "99999999999999999999999", "1.5", "-1"])
def test_ids_that_are_not_database_ids_are_refused_not_a_500(specialist, snnmt, value):
    with pytest.raises(InvalidInput):
        actions.register_growing_area(acting_user=specialist, code="VN-CTOR-0903", crop="Lúa", area_ha="3",
                                      unit_id=value, agency_id=snnmt.pk)
    with pytest.raises(InvalidInput):
        actions.register_producer(acting_user=specialist, name="Hộ A", kind="household", unit_id=unit("31299").pk,
                                  agency_id=value)


@pytest.mark.parametrize("action", ["bat-ky", "reinstate2", "SUSPEND", "xoa"])
def test_an_unknown_batch_action_is_refused_and_changes_nothing(client, specialist, batch, action):
    actions.set_batch_status(acting_user=specialist, code=batch.code, suspend=True, reason="Thu hồi")
    client.force_login(specialist)
    response = client.post(f"/nong-san/lo-hang/{batch.code}/{action}/", {"reason": ""})
    assert response.status_code == 400
    assert "không hợp lệ" in response.content.decode() and "Lô hàng không thay đổi" in response.content.decode()
    assert Batch.objects.get(pk=batch.pk).status == BatchStatus.SUSPENDED
    response = client.post(f"/nong-san/lo-hang/{batch.code}/reinstate/", {})
    assert response.status_code == 302 and Batch.objects.get(pk=batch.pk).status == BatchStatus.ACTIVE


def test_an_unknown_code_action_changes_nothing(client, specialist, area):
    client.force_login(specialist)
    client.post(f"/nong-san/ma-so/area/{area.code}/bat-ky/", {"reason": "x"})
    assert GrowingArea.objects.get(pk=area.pk).status == "active"


# A batch from codes in force, its growing area the product's producer's -------------------------------------------

@pytest.fixture
def cooperative(specialist, snnmt):
    return actions.register_producer(acting_user=specialist, name="Hợp tác xã Xoài Cờ Đỏ", kind="cooperative",
                                     unit_id=unit("31261").pk, agency_id=snnmt.pk)


def _site(specialist, snnmt, code, producer=None, status="active", kind="area"):
    if kind == "area":
        actions.register_growing_area(acting_user=specialist, code=code, crop="Xoài", area_ha="5",
                                      unit_id=unit("31261").pk, agency_id=snnmt.pk,
                                      producer_id=producer.pk if producer else None)
    else:
        actions.register_packing_house(acting_user=specialist, code=code, name="Cơ sở " + code,
                                       unit_id=unit("31261").pk, agency_id=snnmt.pk)
    if status != "pending":
        actions.change_code_status(acting_user=specialist, kind=kind, code=code, action="verify")
    if status == "suspended":
        actions.change_code_status(acting_user=specialist, kind=kind, code=code, action="suspend", reason="Kiểm tra")
    return code


def _batch(specialist, product, **sites):
    today = datetime.date.today()
    return actions.create_batch(acting_user=specialist, product_id=product.pk, harvest_date=today,
                                packing_date=today, quantity="10", **sites)


def test_a_batch_from_another_producers_growing_area_is_refused(client, specialist, snnmt, product, cooperative):
    other = _site(specialist, snnmt, "VN-CTOR-0315", cooperative)
    with pytest.raises(InvalidInput) as caught:
        _batch(specialist, product, growing_area=other)
    assert caught.value.errors[0]["field"] == "growing_area"
    assert caught.value.message == ("Vùng trồng VN-CTOR-0315 không thuộc Hộ Nguyễn Văn Tư, chủ thể của sản phẩm "
                                    "Dâu Hạ Châu.")
    client.force_login(specialist)
    today = datetime.date.today().isoformat()
    response = client.post("/nong-san/moi/batch/", {"product_id": product.pk, "growing_area": other,
                                                    "harvest_date": today, "packing_date": today, "quantity": "10",
                                                    "quantity_unit": "kg"})
    assert response.status_code == 422 and "không thuộc Hộ Nguyễn Văn Tư" in response.content.decode()
    assert not Batch.objects.exists()


def test_a_growing_area_without_a_producer_is_refused(specialist, snnmt, product):
    code = _site(specialist, snnmt, "VN-CTOR-0316", None)
    with pytest.raises(InvalidInput, match="chưa ghi chủ thể sản xuất"):
        _batch(specialist, product, growing_area=code)
    assert not Batch.objects.exists()


@pytest.mark.parametrize("kind, status, words", [
    ("area", "pending", "chưa được xác minh"), ("area", "suspended", "đang bị tạm dừng"),
    ("packing", "pending", "chưa được xác minh"), ("packing", "suspended", "đang bị tạm dừng"),
])
def test_a_batch_only_from_codes_in_force(specialist, snnmt, product, household, kind, status, words):
    code = _site(specialist, snnmt, "VN-CTXX-0400", household, status=status, kind=kind)
    field = "growing_area" if kind == "area" else "packing_house"
    with pytest.raises(InvalidInput) as caught:
        _batch(specialist, product, **{field: code})
    assert caught.value.errors[0]["field"] == field and words in caught.value.message and code in caught.value.message
    assert not Batch.objects.exists()


def test_a_packing_house_in_force_packs_for_any_producer(specialist, snnmt, product, area):
    house = _site(specialist, snnmt, "VN-CTPH-0025", kind="packing")
    batch = _batch(specialist, product, growing_area=area.code, packing_house=house.lower())
    assert batch.packing_house.code == "VN-CTPH-0025" and batch.growing_area == area


def test_a_products_producer_stays_once_it_has_batches(specialist, product, batch, cooperative, household):
    with pytest.raises(InvalidInput) as caught:
        actions.save_product(acting_user=specialist, producer_id=cooperative.pk, name=product.name,
                             category="fruit", product_id=product.pk)
    assert caught.value.errors[0]["field"] == "producer_id"
    assert Product.objects.get(pk=product.pk).producer == household
    fresh = actions.save_product(acting_user=specialist, producer_id=household.pk, name="Bưởi", category="fruit")
    moved = actions.save_product(acting_user=specialist, producer_id=cooperative.pk, name="Bưởi", category="fruit",
                                 product_id=fresh.pk)
    assert moved.producer == cooperative  # no batch yet: may still move
