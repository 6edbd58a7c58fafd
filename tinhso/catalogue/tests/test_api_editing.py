"""Editing one procedure over the API (/api/v1/procedures): the same actions,
rules, messages and audit rows as the back-office pages; managers only."""

import copy

import pytest
from django.test import Client

from tinhso.audit.models import AuditEvent
from tinhso.catalogue.models import Procedure
from tinhso.catalogue.tests.factories import small_catalogue

pytestmark = pytest.mark.django_db
API = "/api/v1/procedures"


def _as(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _json(c, method, url, body=None):
    return getattr(c, method)(url, body, content_type="application/json")


def test_create_patch_and_deactivate_a_procedure(catalogue, manager):
    c = _as(manager)
    r = _json(c, "post", API, {"code": "2.000001", "name": "Thủ tục thử", "field": "HT", "level_commune": True,
                               "online_level": "partial"})
    assert r.status_code == 201, r.content
    assert r.json()["code"] == "2.000001" and r.json()["field"]["code"] == "HT"
    assert _json(c, "post", API, {"code": "2.000001", "name": "Trùng", "field": "HT", "level_commune": True,
                                  "online_level": "none"}).json()["errors"][0]["field"] == "code"

    p = Procedure.objects.get(code="2.000001")
    r = _json(c, "patch", f"{API}/2.000001", {"name": "Thủ tục thử (sửa)", "updated_at": p.updated_at.isoformat()})
    assert r.status_code == 200 and r.json()["name"] == "Thủ tục thử (sửa)"
    assert Procedure.objects.get(code="2.000001").level_commune  # fields not sent are kept
    stale = _json(c, "patch", f"{API}/2.000001", {"name": "Ghi đè", "updated_at": p.updated_at.isoformat()})
    assert stale.status_code == 409 and Procedure.objects.get(code="2.000001").name == "Thủ tục thử (sửa)"
    bad = _json(c, "patch", f"{API}/2.000001", {"level_commune": False})
    assert bad.status_code == 422 and bad.json()["errors"][0]["message"] == "Chọn ít nhất một cấp thực hiện."
    assert _json(c, "patch", f"{API}/2.000001", {"field": "KHONG"}).status_code == 422

    assert _json(c, "post", f"{API}/2.000001/active", {"active": False}).status_code == 200
    assert not Procedure.objects.get(code="2.000001").is_active
    assert {"catalogue.procedure.create", "catalogue.procedure.update", "catalogue.procedure.deactivate"} <= set(
        AuditEvent.objects.values_list("action", flat=True))


def test_cases_and_online_form(catalogue, manager):
    c = _as(manager)
    case = copy.deepcopy(small_catalogue()["procedures"][0]["cases"][0])
    case.update(code="2", name="Đăng ký khai sinh quá hạn", processing_time=3)
    r = _json(c, "post", f"{API}/1.001193/cases", case)
    assert r.status_code == 201, r.content
    assert sorted(x["code"] for x in r.json()["cases"]) == ["1", "2"]
    case["processing_time"] = 5
    r = _json(c, "put", f"{API}/1.001193/cases/2", case)
    assert r.status_code == 200 and next(x for x in r.json()["cases"] if x["code"] == "2")["processing_time"] == 5
    broken = dict(case, time_unit="weeks")
    r = _json(c, "put", f"{API}/1.001193/cases/2", broken)
    assert r.status_code == 422 and r.json()["errors"]

    form = [{"label": "Họ tên người được khai sinh", "kind": "text", "required": True},
            {"label": "Giới tính", "kind": "select", "choices": "Nam\nNữ"}]
    r = _json(c, "put", f"{API}/1.001193/cases/2/form", form)
    assert r.status_code == 200 and [f["key"] for f in r.json()] == ["ho_ten_nguoi_duoc_khai_sinh", "gioi_tinh"]
    assert [f["label"] for f in Client().get(f"{API}/1.001193/cases/2/form").json()] == [
        "Họ tên người được khai sinh", "Giới tính"]
    r = _json(c, "put", f"{API}/1.001193/cases/2/form", [{"label": "Chọn", "kind": "select"}])
    assert r.status_code == 422 and r.json()["code"] == "invalid_form_fields"

    assert c.delete(f"{API}/1.001193/cases/2").status_code == 204
    last = c.delete(f"{API}/1.001193/cases/1")
    assert last.status_code == 422 and "ít nhất một trường hợp" in last.json()["message"]
    assert c.delete(f"{API}/1.001193/cases/9").status_code == 404


def test_only_catalogue_managers_edit(catalogue, specialist):
    c = _as(specialist)
    assert _json(c, "patch", f"{API}/1.001193", {"name": "X"}).status_code == 403
    assert _json(c, "put", f"{API}/1.001193/cases/1/form", []).status_code == 403
    assert _json(Client(), "post", f"{API}/1.001193/active", {"active": False}).status_code == 401
    assert Procedure.objects.get(code="1.001193").name == "Thủ tục đăng ký khai sinh"


@pytest.mark.parametrize("body", [{}, {"components": "x"}, {"processing_time": "abc", "code": 5},
                                  {"steps": [1, None], "moves": {"a": 1}, "fees": [{"amount": "nhiều"}]},
                                  {"code": "3", "name": "X", "time_unit": None, "components": [[]]}, [1, 2]])
def test_garbage_cases_are_422_not_500(catalogue, manager, body):
    r = _json(_as(manager), "post", f"{API}/1.001193/cases", body)
    assert r.status_code == 422, r.content
