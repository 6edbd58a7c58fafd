"""Open311 GeoReport v2: proved with two third-party clients from PyPI
(Code for America's `three`, which posts, and `georeport`, which reads JSON
and XML), and every rule of the spec summary with Django's test client."""

from __future__ import annotations

import io
import itertools
import json
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command

from tinhso.fieldreports import actions
from tinhso.fieldreports.models import FieldReport
from tinhso.fieldreports.tests.conftest import VT_POINT, jpeg
from tinhso.integration.actions import issue_key, register_client, revoke_key
from tinhso.integration.models import MessageLog

BASE = "/open311/v2"


@pytest.fixture
def key(world):
    client = register_client(acting_user=None, name="Ứng dụng phường thử nghiệm")
    return issue_key(acting_user=None, client=client, scopes=["open311"])[1]


def post(client, key, fmt="json", **data):
    body = {"api_key": key, "service_code": "GT01", "lat": VT_POINT[0], "long": VT_POINT[1],
            "description": "Ổ gà trước số 12", "attribute[xa_phuong]": ""}
    body.update(data)
    return client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in body.items() if v is not None})


@pytest.mark.django_db(transaction=True)
def test_third_party_clients_list_post_and_read_back(live_server, real_units, world, settings):
    """`three` (Python 2 era; its one Python 2 name, itertools.ifilter, is given back to it here) and
    `georeport` talk to a real server over HTTP."""
    itertools.ifilter = filter  # three 0.8.0 imports it from Python 2's itertools
    import three
    from georeport import GeoReport

    settings.TINHSO_BASE_URL = live_server.url
    w = world
    api_key = issue_key(acting_user=None, client=register_client(acting_user=None, name="Hệ thống huyện"),
                        scopes=["open311"])[1]
    endpoint = f"{live_server.url}{BASE}/"
    reader = GeoReport(endpoint)
    services = reader.get_service_list()
    assert {"GT01", "MT01"} <= {s["service_code"] for s in services}
    definition = reader.get_service_definition("GT01")
    assert definition["attributes"][0]["code"] == "xa_phuong"
    assert str(w.vithanh.pk) in {v["key"] for v in definition["attributes"][0]["values"]}
    assert GeoReport(endpoint, output_format="xml").get_service_list()[0]["service_code"]

    poster = three.Three(endpoint, api_key=api_key)
    answer = poster.post("GT01", lat=VT_POINT[0], long=VT_POINT[1], description="Ổ gà lớn trước chợ",
                         **{"attribute[xa_phuong]": str(w.vithanh.pk)})
    assert poster.post_response.status_code == 200, answer
    request_id = answer[0]["service_request_id"]
    assert poster.token(answer[0]["token"])[0]["service_request_id"] == request_id
    mine = poster.request(request_id, api_key=api_key)  # a new report: its sender reads it with its key
    assert mine[0]["status"] == "open" and mine[0]["description"] == "Ổ gà lớn trước chợ"

    actions.confirm(acting_user=w.centre, code=request_id)  # confirmed reports are public
    read = reader.get_service_request(request_id)
    assert read["service_code"] == "GT01" and read["status"] == "open"
    assert read["agency_responsible"] == w.vt.name
    assert request_id in {r["service_request_id"] for r in reader.get_service_requests(status="open")}
    xml_read = GeoReport(endpoint, output_format="xml").get_service_request(request_id)
    assert xml_read["service_request_id"] == request_id
    assert MessageLog.objects.filter(service="open311", operation__startswith="POST", status=200).count() == 1


@pytest.mark.django_db
class TestSpecRules:
    def test_formats_and_content_types(self, client, world, key):
        for fmt, ctype in (("json", "application/json; charset=utf-8"), ("xml", "text/xml; charset=utf-8")):
            response = client.get(f"{BASE}/services.{fmt}")
            assert response.status_code == 200 and response["Content-Type"] == ctype
        assert isinstance(json.loads(client.get(f"{BASE}/services.json").content), list)
        root = ET.fromstring(client.get(f"{BASE}/services.xml").content)
        assert root.tag == "services" and root.find("service/service_code").text
        assert client.get(f"{BASE}/services.csv").status_code == 404
        discovery = json.loads(client.get(f"{BASE}/discovery.json").content)
        assert discovery["endpoints"][0]["formats"] == ["application/json", "text/xml"]

    def test_post_needs_a_valid_key(self, client, world, key):
        response = post(client, "", **{"attribute[xa_phuong]": str(world.vithanh.pk)})
        assert response.status_code == 403 and json.loads(response.content)[0]["code"] == 403
        assert post(client, "ts_bad", **{"attribute[xa_phuong]": str(world.vithanh.pk)}).status_code == 403
        from tinhso.integration.models import ApiKey

        revoke_key(acting_user=None, key_id=ApiKey.objects.get().pk)
        response = post(client, key, fmt="xml", **{"attribute[xa_phuong]": str(world.vithanh.pk)})
        assert response.status_code == 403
        assert "thu hồi" in ET.fromstring(response.content).find("error/description").text
        assert FieldReport.objects.count() == 0
        assert MessageLog.objects.filter(status=403).count() == 3  # refused calls are logged too

    @pytest.mark.parametrize("change, words", [
        ({"service_code": "NOPE"}, "service_code"),
        ({"service_code": ""}, "service_code"),
        ({"lat": None, "long": None}, "vị trí"),
        ({"lat": 21.03, "long": 105.85}, "ngoài địa bàn"),
        ({"description": "x" * 4001}, "4.000"),
        ({"description": "<b>HTML</b>"}, "HTML"),
        ({"attribute[xa_phuong]": ""}, "xã, phường"),
        ({"email": "không-phải-email"}, "email"),
    ])
    def test_bad_posts_answer_in_the_error_shape(self, client, world, key, change, words):
        data = {"attribute[xa_phuong]": str(world.vithanh.pk), **change}
        response = post(client, key, **data)
        body = json.loads(response.content)
        assert response.status_code == 400 and body[0]["code"] == 400, body
        assert words.lower() in body[0]["description"].lower()
        assert FieldReport.objects.count() == 0

    def test_a_replayed_post_is_refused(self, client, world, key):
        first = post(client, key, **{"attribute[xa_phuong]": str(world.vithanh.pk)})
        assert first.status_code == 200
        again = post(client, key, **{"attribute[xa_phuong]": str(world.vithanh.pk)})
        assert again.status_code == 400 and "lặp lại" in json.loads(again.content)[0]["description"]
        assert FieldReport.objects.count() == 1

    def test_commune_from_the_address_and_a_photo_upload(self, client, world, key):
        photo = jpeg(exif_gps=True)
        response = client.post(f"{BASE}/requests.json", {
            "api_key": key, "service_code": "MT01", "address_string": "Hẻm 5, Phường Vị Thanh, Cần Thơ",
            "description": "Rác đầy hẻm", "first_name": "Lan", "last_name": "Trần", "phone": "0901111222",
            "media": photo})
        assert response.status_code == 200, response.content
        report = FieldReport.objects.get()
        assert report.unit == world.vithanh and report.channel == "api" and report.reporter_name == "Lan Trần"
        assert report.media.count() == 1

    def test_get_requests_filters_and_no_personal_data(self, client, world, key, submit):
        reports = [submit(description=f"Ổ gà số {i}", reporter_phone="0903333444") for i in range(3)]
        for report in reports[:2]:
            actions.confirm(acting_user=world.centre, code=report.code)
        body = json.loads(client.get(f"{BASE}/requests.json").content)
        assert {r["service_request_id"] for r in body} == {reports[0].code, reports[1].code}  # the new one is not public
        text = client.get(f"{BASE}/requests.json?extensions=true").content.decode()
        for secret in ("0903333444", "0901234567", "Nguyễn Văn An", "092085001234", "an@example.com"):
            assert secret not in text
        one = json.loads(client.get(f"{BASE}/requests.json?service_request_id={reports[1].code}").content)
        assert [r["service_request_id"] for r in one] == [reports[1].code]
        assert json.loads(client.get(f"{BASE}/requests.json?status=closed").content) == []
        assert json.loads(client.get(f"{BASE}/requests.json?service_code=MT01").content) == []
        assert client.get(f"{BASE}/requests.json?status=weird").status_code == 400
        assert client.get(f"{BASE}/requests.json?start_date=hôm-qua").status_code == 400
        old = json.loads(client.get(f"{BASE}/requests.json?end_date=2020-01-01T00:00:00Z").content)
        assert old == []
        ext = json.loads(client.get(f"{BASE}/requests/{reports[0].code}.json?extensions=true").content)[0]
        assert ext["extended_attributes"]["detailed_status"] == "assigned"
        assert client.get(f"{BASE}/requests/{reports[2].code}.json").status_code == 404
        assert client.get(f"{BASE}/requests/{reports[0].code}.json?jurisdiction_id=khac").status_code == 404

    def test_hidden_location_is_rounded_and_its_address_left_out(self, client, world, submit):
        report = submit(hide_location=True, address="Nhà số 7 hẻm 12")
        actions.confirm(acting_user=world.centre, code=report.code)
        record = json.loads(client.get(f"{BASE}/requests/{report.code}.json").content)[0]
        assert record["lat"] == round(VT_POINT[0], 3) and record["address"] == ""


@pytest.mark.django_db
def test_issue_api_key_prints_the_key_on_its_last_line(client, world):
    out = io.StringIO()
    call_command("issue_api_key", "Cổng phản ánh quận", "--scope", "open311", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    response = client.get("/open311/v2/requests.json", {"api_key": key})
    assert response.status_code == 200
    assert MessageLog.objects.get(operation__endswith="requests.json").client.name == "Cổng phản ánh quận"


@pytest.mark.django_db
def test_multivaluelist_attributes_and_out_of_range_dates(client, world, key):
    from tinhso.fieldreports.models import CategoryAttribute

    CategoryAttribute.objects.create(category=world.pothole, code="nguy_hiem", label="Nguy hiểm cho", required=True,
                                     datatype="multivaluelist",
                                     values=[{"key": "xe_may", "name": "Xe máy"}, {"key": "nguoi_di_bo", "name": "Người đi bộ"}])
    response = client.post(f"{BASE}/requests.json", {
        "api_key": key, "service_code": "GT01", "lat": VT_POINT[0], "long": VT_POINT[1], "description": "Ổ gà",
        "attribute[xa_phuong]": str(world.vithanh.pk), "attribute[nguy_hiem][]": ["xe_may", "nguoi_di_bo"]})
    assert response.status_code == 200, response.content
    assert FieldReport.objects.get().attributes == {"nguy_hiem": ["xe_may", "nguoi_di_bo"]}
    for query in ("start_date=9999-12-31T23:59:59-12:00", "end_date=0001-01-01T00:00:00Z"):
        bad = client.get(f"{BASE}/requests.json?{query}")
        assert bad.status_code == 400 and json.loads(bad.content)[0]["code"] == 400


@pytest.mark.django_db
def test_unknown_open311_paths_answer_in_the_spec_shape(client, world):
    for path in ("foo.json", "requests", "services/GT01/extra.json"):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 404 and json.loads(response.content)[0]["code"] == 404
