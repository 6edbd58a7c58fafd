"""The public traceability page: scan counting, no personal data of a
household, warnings for suspended codes and batches; the public API."""

import pytest

from tinhso.farmproducts import actions
from tinhso.farmproducts.models import Batch

pytestmark = pytest.mark.django_db


def test_each_opening_of_the_page_counts_one_scan_and_stores_nothing_else(client, batch, django_assert_max_num_queries):
    for _ in range(3):
        assert client.get(f"/truy-xuat/{batch.code}/").status_code == 200
    assert Batch.objects.get(pk=batch.pk).scan_count == 3
    assert client.get(f"/api/v1/farm-products/batches/{batch.code}").json()["scan_count"] == 3  # the API does not count
    assert Batch.objects.get(pk=batch.pk).scan_count == 3


def test_the_page_shows_product_certifications_area_and_dates_but_no_household_contact(client, batch):
    page = client.get(f"/truy-xuat/{batch.code.lower()}/").content.decode()
    assert client.get(f"/truy-xuat/{batch.code.lower()}/").status_code == 200
    for text in ("Dâu Hạ Châu", "OCOP 4", "VietGAP", "VN-CTOR-0101", "Hộ Nguyễn Văn Tư", "Xã Nhơn Ái",
                 batch.packing_date.strftime("%d/%m/%Y"), 'data-lat="10.003400"', "https://shopee.vn/dauhachau"):
        assert text in page
    assert "0912345678" not in page and "Cảnh báo" not in page
    assert "0912345678" not in client.get(f"/api/v1/farm-products/batches/{batch.code}").content.decode()


def test_a_suspended_area_code_and_a_suspended_batch_show_a_clear_warning(client, batch, specialist):
    actions.change_code_status(acting_user=specialist, kind="area", code="VN-CTOR-0101", action="suspend",
                               reason="Vùng trồng không duy trì điều kiện cấp mã")
    page = client.get(f"/truy-xuat/{batch.code}/").content.decode()
    assert "Cảnh báo:" in page and "Mã số vùng trồng VN-CTOR-0101 đang bị tạm dừng" in page
    assert "không duy trì điều kiện" in page
    actions.set_batch_status(acting_user=specialist, code=batch.code, suspend=True, reason="Thu hồi lô")
    page = client.get(f"/truy-xuat/{batch.code}/").content.decode()
    assert f"Lô hàng {batch.code} đang bị tạm dừng lưu hành" in page
    warnings = client.get(f"/api/v1/farm-products/batches/{batch.code}").json()["warnings"]
    assert len(warnings) == 2


def test_unknown_codes_answer_404_and_the_lookup_redirects(client, batch):
    assert client.get("/truy-xuat/LH0000000000/").status_code == 404
    assert client.get("/api/v1/farm-products/batches/KHONGCO").status_code == 404
    assert client.get("/truy-xuat/", {"ma": batch.code.lower()}).url == f"/truy-xuat/{batch.code}/"
    assert client.get("/truy-xuat/", {"ma": "sai"}).status_code == 404
    page = client.get("/truy-xuat/").content.decode()
    assert "Dâu Hạ Châu" in page  # on e-commerce
    assert client.get("/api/v1/farm-products/products").json()[0]["shops"][0]["platform"] == "Shopee"


def test_staff_pages_work_and_refuse_outsiders(client, specialist, outsider, batch, product):
    client.force_login(specialist)
    for url in ("/nong-san/", "/nong-san/ma-so/", f"/nong-san/san-pham/{product.pk}/",
                f"/nong-san/lo-hang/{batch.code}/", "/nong-san/moi/batch/", "/nong-san/moi/area/"):
        assert client.get(url).status_code == 200, url
    response = client.post(f"/nong-san/san-pham/{product.pk}/", {"which": "shop", "shop-platform": "Tiki",
                                                                 "shop-url": "javascript:alert(1)"})
    assert response.status_code == 422 and "https://shopee.vn" in response.content.decode()
    response = client.post("/nong-san/ma-so/area/VN-CTOR-0101/suspend/", {"reason": "Kiểm tra"})
    assert response.status_code == 302
    client.force_login(outsider)
    client.post("/nong-san/ma-so/area/VN-CTOR-0101/reinstate/", {})
    from tinhso.farmproducts.models import GrowingArea

    assert GrowingArea.objects.get(code="VN-CTOR-0101").status == "suspended"
