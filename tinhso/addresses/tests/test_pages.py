"""Pages: public recognition, search, map and detail; the staff register and import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.addresses import actions
from tinhso.addresses.importer import COLUMNS
from tinhso.addresses.models import Address
from tinhso.addresses.tests.conftest import OLD_VI_THUY, SPLIT

pytestmark = pytest.mark.django_db


def test_the_public_page_recognises_an_old_address_and_shows_alternatives(client, real_units):
    page = client.get("/dia-chi/", {"text": OLD_VI_THUY}).content.decode()
    assert "Xã Vĩnh Thuận Đông" in page and "Xã Vị Thuỷ" in page
    page = client.get("/dia-chi/", {"text": SPLIT}).content.decode()
    assert "Các khả năng khác" in page and "Chưa chắc chắn" in page


def test_search_map_and_detail_show_registered_addresses(client, officer, ninhkieu):
    address = actions.register_address(acting_user=officer, house_number="2", street="đường Hai Bà Trưng",
                                       unit_id=ninhkieu.pk, lat=10.03275, lng=105.78779)
    assert address.code in client.get("/dia-chi/", {"q": "hai ba trung"}).content.decode()
    page = client.get("/dia-chi/ban-do/").content.decode()
    assert 'data-lat="10.032750"' in page and address.code in page
    assert client.get(f"/dia-chi/{address.code}/").status_code == 200
    assert client.get("/dia-chi/31135-9999999/").status_code == 404


def test_staff_register_through_the_page_and_see_errors_inline(client, officer, ninhkieu):
    assert client.get("/dia-chi/quan-ly/").status_code == 302  # sign in first
    client.force_login(officer)
    response = client.post("/dia-chi/quan-ly/", {"house_number": "4", "street": "", "hamlet": "", "unit": ninhkieu.pk})
    assert response.status_code == 422 and "Nhập đường, phố hoặc ấp" in response.content.decode()
    response = client.post("/dia-chi/quan-ly/", {"house_number": "4", "street": "đường Ngô Gia Tự",
                                                 "unit": ninhkieu.pk})
    assert response.status_code == 302 and Address.objects.filter(street="đường Ngô Gia Tự").exists()


def test_import_page_lists_row_errors(client, admin_user, real_units):
    client.force_login(admin_user)
    csv = ";".join(COLUMNS) + "\n1;đường A;;31135;;\n2;đường B;;Không Có;;\n"  # Excel's CSV in Vietnamese locale
    response = client.post("/dia-chi/quan-ly/nhap/", {"file": SimpleUploadedFile("a.csv", csv.encode())})
    page = response.content.decode()
    assert response.status_code == 200 and "Đã thêm 1 địa chỉ" in page and "<td>3</td>" in page
    assert client.get("/dia-chi/quan-ly/mau.xlsx").status_code == 200
    response = client.post("/dia-chi/quan-ly/nhap/", {"file": SimpleUploadedFile("a.xlsx", io.BytesIO(b"x").read())})
    assert response.status_code == 422
