import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.catalogue.excel import workbook_bytes
from tinhso.catalogue.exporting import export_catalogue
from tinhso.catalogue.models import Procedure
from tinhso.catalogue.tests.factories import small_catalogue

pytestmark = pytest.mark.django_db
URL = "/api/v1/procedures"


def codes(response):
    return [p["code"] for p in response.json()["items"]]


def test_search_ignores_diacritics_and_finds_by_code(client, catalogue):
    assert codes(client.get(URL, {"q": "dang ky khai sinh"})) == ["1.001193"]
    assert codes(client.get(URL, {"q": "ĐĂNG KÝ KHAI SINH"})) == ["1.001193"]
    assert codes(client.get(URL, {"q": "1.009794"})) == ["1.009794"]
    assert codes(client.get(URL, {"q": "giay phep xay dung"})) == ["1.009794"]


def test_search_filters(client, catalogue, demo_agencies):
    assert codes(client.get(URL, {"field": "XD"})) == ["1.009794"]
    assert codes(client.get(URL, {"level": "province"})) == ["1.009794"]
    assert codes(client.get(URL, {"level": "commune"})) == ["1.001193", "1.009794"]
    assert codes(client.get(URL, {"online_level": "full"})) == ["1.001193"]
    # competent today: commune committees for both (Sở Xây dựng only until 30/6/2025)
    assert codes(client.get(URL, {"agency": "000.31.21.H13"})) == ["1.001193", "1.009794"]
    assert codes(client.get(URL, {"agency": "000.00.11.H13"})) == []
    assert codes(client.get(URL, {"agency": "khong-co"})) == []


def test_search_paginates_with_total_and_hides_inactive(client, catalogue):
    page = client.get(URL, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1 and page["items"][0]["code"] == "1.009794"
    Procedure.objects.filter(code="1.009794").update(is_active=False)
    assert client.get(URL).json()["count"] == 1


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": "nhiều"}, {"level": "district"}, {"offset": -1},
                                    {"online_level": "4"}])
def test_bad_query_params_give_422_in_vietnamese(client, catalogue, params):
    response = client.get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input" and body["errors"]


def test_detail_with_cases_components_fees_steps_agencies(client, catalogue):
    body = client.get(f"{URL}/1.009794", {"on": "2025-07-01"}).json()
    assert body["name"].startswith("Thủ tục cấp giấy phép")
    assert [a["agency_kind"] or a["agency"] for a in body["agencies"]] == ["commune_committee", "000.00.02.H13"]
    case = body["cases"][0]
    assert case["time_unit"] == "days" and case["online_processing_time"] == 12
    assert case["fees"][0]["amount"] == 75000
    assert [s["order"] for s in case["steps"]] == [1, 2, 3]
    assert case["steps"][1]["forward_to"] == [3] and case["steps"][1]["back_to"] == [1]
    assert case["components"][0]["template_url"]
    old = client.get(f"{URL}/1.009794", {"on": "2025-06-30"}).json()
    assert old["agencies"][0]["agency"] == "000.00.11.H13"


def test_detail_unknown_code_is_404_json(client, catalogue):
    response = client.get(f"{URL}/9.999999")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_fields_route_is_not_taken_for_a_code(client, catalogue):
    body = client.get(f"{URL}/fields").json()
    assert {f["code"]: f["procedure_count"] for f in body} == {"HT": 1, "XD": 1}


def test_import_requires_login_and_role(client, catalogue, specialist, manager):
    content = json.dumps(small_catalogue()).encode()
    anonymous = client.post(f"{URL}/import", {"file": SimpleUploadedFile("dm.json", content)})
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"
    client.force_login(specialist)
    denied = client.post(f"{URL}/import", {"file": SimpleUploadedFile("dm.json", content)})
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"
    client.force_login(manager)
    ok = client.post(f"{URL}/import", {"file": SimpleUploadedFile("dm.json", content)})
    assert ok.status_code == 200 and ok.json() == {"created": 0, "updated": 0, "unchanged": 2, "total": 2}


def test_import_errors_come_back_as_422_with_rows(client, catalogue, manager):
    data = small_catalogue()
    data["procedures"][1]["cases"][0]["processing_time"] = 0
    client.force_login(manager)
    response = client.post(f"{URL}/import", {"file": SimpleUploadedFile("dm.json", json.dumps(data).encode())})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "procedures[1].cases[0].processing_time"
    fake = client.post(f"{URL}/import", {"file": SimpleUploadedFile("anh.xlsx", b"\x89PNG\r\n\x1a\n1234")})
    assert fake.status_code == 422 and fake.json()["code"] == "invalid_file"


def test_export_json_and_xlsx_for_managers_only(client, catalogue, manager, specialist):
    assert client.get(f"{URL}/export").status_code == 401
    client.force_login(specialist)
    assert client.get(f"{URL}/export").status_code == 403
    client.force_login(manager)
    as_json = client.get(f"{URL}/export", {"format": "json"})
    assert as_json.status_code == 200 and json.loads(as_json.content) == export_catalogue()
    as_xlsx = client.get(f"{URL}/export", {"format": "xlsx"})
    assert as_xlsx.status_code == 200 and as_xlsx.content[:4] == b"PK\x03\x04"
    assert len(as_xlsx.content) == len(workbook_bytes(export_catalogue())) or as_xlsx.content
    assert client.get(f"{URL}/export", {"format": "csv"}).status_code == 422


def test_openapi_documents_every_endpoint(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, method in [(URL, "get"), (f"{URL}/fields", "get"), (f"{URL}/{{code}}", "get"),
                         (f"{URL}/export", "get"), (f"{URL}/import", "post")]:
        operation = paths[path][method]
        assert operation["summary"] and operation["description"]
