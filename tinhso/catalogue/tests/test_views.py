import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tinhso.catalogue.models import Procedure, ProcedureCase
from tinhso.catalogue.tests.factories import small_catalogue

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name,args", [("catalogue:index", []), ("catalogue:detail", ["1.009794"]),
                                       ("catalogue:import", [])])
def test_pages_refuse_anonymous(client, catalogue, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_and_detail_render_for_any_staff(client, catalogue, specialist):
    client.force_login(specialist)
    page = client.get(reverse("catalogue:index"), {"q": "khai sinh"}).content.decode()
    assert "1.001193" in page and "1.009794" not in page and "Nhập danh mục" not in page
    detail = client.get(reverse("catalogue:detail", args=["1.009794"])).content.decode()
    assert "Lệ phí cấp phép" in detail and "Thẩm định" in detail and "Tải mẫu" in detail
    assert client.get(reverse("catalogue:import")).status_code == 403


def test_import_page_shows_every_error_row_then_success(client, catalogue, manager):
    client.force_login(manager)
    data = small_catalogue()
    data["procedures"][0]["cases"][0]["time_unit"] = "tuần"
    data["procedures"][1]["field"] = "KHONGCO"
    response = client.post(reverse("catalogue:import"), {"file": SimpleUploadedFile("dm.json", json.dumps(data).encode())})
    body = response.content.decode()
    assert response.status_code == 422
    assert "procedures[0].cases[0].time_unit" in body and "procedures[1].field" in body
    data = small_catalogue()
    data["procedures"][0]["name"] = "Đăng ký khai sinh"
    response = client.post(reverse("catalogue:import"), {"file": SimpleUploadedFile("dm.json", json.dumps(data).encode())})
    assert response.status_code == 200 and "Đã nhập xong" in response.content.decode()
    assert Procedure.objects.get(code="1.001193").name == "Đăng ký khai sinh"


def test_export_buttons_download(client, catalogue, manager):
    client.force_login(manager)
    response = client.get(reverse("catalogue:export"), {"format": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_manager_edits_procedure_and_case(client, catalogue, manager):
    client.force_login(manager)
    p = Procedure.objects.get(code="1.001193")
    url = reverse("catalogue:procedure_edit", args=[p.code])
    assert client.get(url).status_code == 200
    form = {"name": "Đăng ký khai sinh (mới)", "field": p.field_id, "level_commune": "on", "online_level": "full",
            "legacy_level": "", "result_name": "Giấy khai sinh", "fee_status": "free"}
    assert client.post(url, form).status_code == 302
    assert Procedure.objects.get(pk=p.pk).name == "Đăng ký khai sinh (mới)"

    case = p.cases.get()
    url = reverse("catalogue:case_edit", args=[p.code, case.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Tờ khai đăng ký khai sinh" in page.content.decode()
    post = {"code": "1", "name": "Khai sinh", "processing_time": "1", "time_unit": "working_days",
            "fee_payment_moment": "before_reception", "authorised_filing": "on",
            "components-TOTAL_FORMS": "1", "components-INITIAL_FORMS": "0",
            "components-0-order": "1", "components-0-name": "Tờ khai", "components-0-originals": "1",
            "components-0-copies": "0", "components-0-required": "on",
            "fees-TOTAL_FORMS": "0", "fees-INITIAL_FORMS": "0",
            "steps-TOTAL_FORMS": "2", "steps-INITIAL_FORMS": "0",
            "steps-0-order": "1", "steps-0-name": "Tiếp nhận", "steps-0-role": "clerk", "steps-0-allowance": "2",
            "steps-0-allowance_unit": "working_hours", "steps-0-forward_to": "2",
            "steps-1-order": "2", "steps-1-name": "Ký", "steps-1-role": "leader", "steps-1-allowance": "9",
            "steps-1-allowance_unit": "working_hours", "steps-1-back_to": "1"}
    refused = client.post(url, post)
    assert refused.status_code == 200 and "vượt thời hạn" in refused.content.decode()
    post["steps-1-allowance"] = "4"
    assert client.post(url, post).status_code == 302
    case = ProcedureCase.objects.get(pk=case.pk)
    assert case.name == "Khai sinh" and case.steps.count() == 2 and case.components.count() == 1
    assert case.fees.count() == 0


def test_specialist_cannot_edit(client, catalogue, specialist):
    client.force_login(specialist)
    assert client.get(reverse("catalogue:procedure_edit", args=["1.001193"])).status_code == 403
    assert client.post(reverse("catalogue:procedure_active", args=["1.001193"]), {"active": "0"}).status_code == 403
    assert Procedure.objects.get(code="1.001193").is_active
