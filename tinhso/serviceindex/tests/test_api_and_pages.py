"""The API's shape and errors, the pages (index, drill-down with Excel, entry
forms) and their access rules."""

import datetime
import io

import pytest
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.agencies.models import Agency
from tinhso.serviceindex.models import EnteredValue
from tinhso.testing import make_staff


@pytest.fixture
def people(province):
    top = Agency.objects.filter(kind="provincial_committee").order_by("path").first() \
        or Agency.objects.order_by("path").first()
    commune = (Agency.objects.filter(kind="commune_committee")
               .extra(where=["id IN (SELECT competent_agency_id FROM dossiers_dossier)"]).order_by("path").first())
    other = Agency.objects.filter(kind="commune_committee").exclude(pk=commune.pk).order_by("path").first()
    return {"centre": make_staff("dieuhanh.766", roles=[(Role.OPERATIONS_CENTRE, top)]),
            "commune_leader": make_staff("lanhdao.xa.766", roles=[(Role.LEADER, commune)]),
            "clerk": make_staff("motcua.x.766", roles=[(Role.CLERK, commune)]),
            "commune": commune, "other": other, "year": province["year"]}


def test_api_shape(client, people):
    client.force_login(people["centre"])
    body = client.get(f"/api/v1/dashboard/service-index?scope=province&period={people['year']}").json()
    assert body["scope"]["agency_id"] is None and float(body["max_points"]) == 100
    names = [g["name"] for g in body["groups"]]
    assert len(names) == 5 and {"name", "points", "max_points", "indicators"} <= set(body["groups"][0])
    indicator = body["groups"][1]["indicators"][0]
    assert {"code", "name", "value", "numerator", "denominator", "target", "formula", "points", "max_points",
            "source"} <= set(indicator) and indicator["code"] == "2.1"
    items = client.get(f"/api/v1/dashboard/service-index/2.1/items?scope=province&period={people['year']}").json()
    assert items["count"] == indicator["denominator"] - indicator["numerator"]
    assert all("owner" not in key for key in items["rows"][0]) if items["rows"] else True


@pytest.mark.parametrize("query, field", [("period=2025-13", "period"), ("period=abc", "period"),
                                          ("period=2020-01:2026-01", "period"), ("scope=x1", "scope"),
                                          ("scope=%C2%B2", "scope"), ("scope=99999999999999999999", "scope")])
def test_api_bad_input_is_422_in_vietnamese(client, people, query, field):
    client.force_login(people["centre"])
    response = client.get(f"/api/v1/dashboard/service-index?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == field and body["message"]


def test_api_access_follows_the_dashboard_scope(client, people):
    assert client.get("/api/v1/dashboard/service-index").status_code == 401
    client.force_login(people["clerk"])
    assert client.get("/api/v1/dashboard/service-index").status_code == 403
    client.force_login(people["commune_leader"])
    own = client.get("/api/v1/dashboard/service-index")
    assert own.status_code == 200 and own.json()["scope"]["agency_id"] == people["commune"].pk
    assert client.get(f"/api/v1/dashboard/service-index?scope={people['other'].pk}").status_code == 403
    assert client.get("/api/v1/dashboard/service-index?scope=province").status_code == 403
    assert client.get(f"/api/v1/dashboard/service-index/2.1/items?scope={people['other'].pk}").status_code == 403


def test_page_drill_down_and_excel(client, people):
    from openpyxl import load_workbook

    client.force_login(people["centre"])
    page = client.get(f"/chi-so-766/?scope=province&period={people['year']}")
    html = page.content.decode()
    assert page.status_code == 200 and "Số hóa hồ sơ" in html and 'id="group-chart"' in html
    assert "/chi-so-766/chi-tiet/2.1/" in html
    drill = client.get(f"/chi-so-766/chi-tiet/4.2/?scope=province&period={people['year']}&kind=missing")
    assert drill.status_code == 200
    count = int(drill.content.decode().split('id="drill-count">')[1].split("<")[0])
    xlsx = client.get(f"/chi-so-766/chi-tiet/4.2/?scope=province&period={people['year']}&kind=missing&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row - 3 == count  # title, scope line, header, then one row per dossier
    assert client.get("/chi-so-766/chi-tiet/1.2/").status_code == 422  # entered: no list
    assert client.get("/chi-so-766/?period=2025-99").status_code == 422


def test_entry_form_refuses_bad_input_with_a_message(client, people):
    client.force_login(people["centre"])
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    response = client.post("/chi-so-766/nhap-so-lieu/", {"indicator_code": "1.2", "agency": "", "month": month,
                                                         "numerator": "9", "denominator": "5", "source": "entered"})
    assert response.status_code == 422 and "Tử số không được lớn hơn mẫu số" in response.content.decode()
    response = client.post("/chi-so-766/nhap-so-lieu/", {"indicator_code": "1.2", "agency": "", "month": "tháng 3",
                                                         "numerator": "1", "denominator": "5", "source": "entered"})
    assert response.status_code == 422 and not EnteredValue.objects.exists()
    ok = client.post("/chi-so-766/nhap-so-lieu/", {"indicator_code": "1.2", "agency": "", "month": month,
                                                   "numerator": "4", "denominator": "5", "source": "entered"})
    assert ok.status_code == 302 and EnteredValue.objects.get().numerator == 4
    published = client.post("/chi-so-766/diem-cong-bo/", {"agency": "", "month": month, "points": "101"})
    assert published.status_code == 422
    client.force_login(people["clerk"])
    assert client.get("/chi-so-766/nhap-so-lieu/").status_code == 403


def test_the_2027_version_shows_2_2_as_lower_is_better(client, people):
    client.force_login(people["centre"])
    page = client.get("/chi-so-766/?scope=province&period=2027-01")
    html = page.content.decode()
    assert page.status_code == 200 and "Thời gian giải quyết trung bình" in html and "0 điểm khi ≥ 100%" in html
    body = client.get("/api/v1/dashboard/service-index?scope=province&period=2027-01").json()
    group = next(g for g in body["groups"] if g["number"] == 2)
    assert [i["code"] for i in group["indicators"]] == ["2.1", "2.2"] and float(group["max_points"]) == 20
    assert float(group["indicators"][1]["zero_at"]) == 100 and group["indicators"][1]["weight_confirmed"] is False
    methodology = client.get("/chi-so-766/phuong-phap/")
    assert methodology.status_code == 200 and "0 điểm khi ≥ tỷ lệ" in methodology.content.decode()
