"""The dossier API (/api/v1/dossiers): reception, list, detail, transitions,
permissions, optimistic locking, idempotency, uploads and the OpenAPI
document. Everything here goes through HTTP, except the allowed-actions check
which compares the helper with the action functions themselves."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import DomainError
from tinhso.dossiers import actions
from tinhso.dossiers.actions import ComponentInput
from tinhso.dossiers.api import ACTIONS, allowed_actions
from tinhso.dossiers.models import Dossier, DossierEvent, DossierFile, IdempotencyRecord, Status
from tinhso.dossiers.tests.conftest import APPLICANT, PDF, receive

URL = "/api/v1/dossiers"
GARBAGE = b"\x13\x37 not a document at all \x00\x01\x02" * 8


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name="giay-to.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def component_id(world, order=1):
    return world.case.components.get(order=order).pk


def reception(world, **over):
    body = {"receiving_agency": world.centre.code, "procedure": "1.000894", "case": "1", "area": world.commune.code,
            "subject": "Đăng ký kết hôn",
            "applicant": {k: v for k, v in APPLICANT.items() if k != "subject"} | {"owner_birth_date": "1995-04-12",
                                                                                  "owner_email": "an@example.vn"},
            "components": [{"required_component_id": component_id(world), "originals": 1}]}
    body.update(over)
    return body


def post_json(client, url, body, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(url, data=json.dumps(body) if not isinstance(body, (str, bytes)) else body,
                       content_type="application/json", headers=headers)


def post_multipart(client, url, body, key=None, **files):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(url, {"payload": json.dumps(body), **files}, headers=headers)


def act(client, code, action, version, key=None, files=None, **fields):
    url = f"{URL}/{code}/actions/{action}"
    body = {"version": version, **fields}
    if files is not None:
        return post_multipart(client, url, body, key=key, files=files)
    return post_json(client, url, body, key=key)


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def as_user(client, user):
    client.force_login(user)
    return client


def received(client, world, **over):
    return ok(post_json(as_user(client, world.clerk), URL, reception(world, **over)), 201)


# --------------------------------------------------------------------------- the whole life of a dossier

def test_full_lifecycle_through_the_api(client, world):
    as_user(client, world.clerk)
    cid = component_id(world)
    d = ok(post_multipart(client, URL, reception(world), **{f"component_{cid}": pdf("to-khai.pdf")}), 201)
    code = d["code"]
    assert code.startswith("001.31321.H13-") and d["status"] == 2 and d["status_label"] == "Đã tiếp nhận"
    assert d["applicant"]["owner_name"] == "Nguyễn Văn An" and d["applicant"]["owner_birth_date"] == "1995-04-12"
    assert d["current_step"]["order"] == 1 and d["current_handler"]["username"] == "motcua"
    assert d["competent_agency"]["code"] == world.committee.code and d["due_at"] and d["version"] == 2
    [component] = d["components"]
    assert component["files"][0]["name"] == "to-khai.pdf" and component["files"][0]["size"] == len(PDF)
    assert "content" not in component["files"][0] and component["files"][0]["kind"] == "component"
    assert {"forward", "request_supplement", "withdraw"} <= set(d["allowed_actions"])
    assert d["forward_steps"][0]["order"] == 2
    assert [r["username"] for r in d["forward_steps"][0]["receivers"]] == ["chuyenvien", "chuyenvien2"]

    d = ok(act(client, code, "forward", d["version"], receiver="chuyenvien", comment="Chuyển thẩm định"))
    assert (d["status"], d["current_step"]["order"], d["current_handler"]["username"]) == (4, 2, "chuyenvien")
    assert "forward" not in d["allowed_actions"] and "recall" in d["allowed_actions"]

    as_user(client, world.specialist)
    d = ok(client.get(f"{URL}/{code}"))
    assert {"forward", "send_back", "request_supplement", "request_payment", "apologise"} <= set(d["allowed_actions"])
    d = ok(act(client, code, "request_supplement", d["version"], reason="Bổ sung bản sao CCCD của hai bên",
               deadline=(timezone.localdate() + datetime.timedelta(days=10)).isoformat()))
    assert d["status"] == 5 and d["pauses"][0]["reason"] == "supplement" and d["pauses"][0]["ended_at"] is None

    as_user(client, world.clerk)
    d = ok(act(client, code, "submit_supplement", d["version"], files=[pdf("cccd.pdf"), pdf("cccd-2.pdf")],
               comment="Công dân nộp bổ sung tại quầy"))
    supplement = [f for f in d["files"] if f["kind"] == "supplement"]
    assert [f["name"] for f in supplement] == ["cccd.pdf", "cccd-2.pdf"]
    assert d["events"][-1]["action"] == "submit_supplement"
    assert [a["name"] for a in d["events"][-1]["attachments"]] == ["cccd.pdf", "cccd-2.pdf"]
    d = ok(act(client, code, "accept_supplement", d["version"]))
    assert d["status"] == 4 and d["pauses"][0]["ended_at"] is not None

    as_user(client, world.specialist)
    d = ok(act(client, code, "forward", d["version"], to_step=3, receiver="truongphong"))
    as_user(client, world.head)
    d = ok(act(client, code, "forward", d["version"], receiver="lanhdao"))
    assert d["current_step"]["order"] == 4
    as_user(client, world.leader)
    d = ok(client.get(f"{URL}/{code}"))
    assert "finish" in d["allowed_actions"]
    d = ok(act(client, code, "finish", d["version"], files=[pdf("gcn-ket-hon.pdf")],
               result_summary="Cấp Giấy chứng nhận kết hôn", result_number="15/2026/GCNKH"))
    assert d["status"] == 9 and d["result"]["number"] == "15/2026/GCNKH" and d["outcome"] == "early"
    assert [f["name"] for f in d["files"] if f["kind"] == "result"] == ["gcn-ket-hon.pdf"]

    as_user(client, world.clerk)
    d = ok(act(client, code, "return_result", d["version"], method="counter", returned_to="Nguyễn Văn An"))
    assert d["status"] == 10 and d["status_label"] == "Đã trả kết quả" and d["result"]["returned_to"] == "Nguyễn Văn An"
    assert d["allowed_actions"] == []
    assert [e["action"] for e in d["events"]] == ["receive", "forward", "request_supplement", "submit_supplement",
                                                 "accept_supplement", "forward", "forward", "finish", "return_result"]
    assert d["events"][1]["action_label"] == "Chuyển xử lý" and d["events"][1]["comment"] == "Chuyển thẩm định"
    assert DossierFile.objects.filter(dossier__code=code).count() == 4


def test_receive_with_json_only_and_a_chosen_competent_agency(client, world):
    d = received(client, world, competent_agency=world.committee.code)
    assert d["channel"] == 1 and d["channel_label"] and d["components"][0]["files"] == []
    assert d["area"] == {"code": world.commune.code, "name": world.commune.name}


def test_receive_refuses_bad_input_in_vietnamese_and_creates_nothing(client, world):
    as_user(client, world.clerk)
    body = reception(world)
    del body["applicant"]["owner_name"]
    r = post_json(client, URL, body)
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "applicant.owner_name", "message": "Trường này là bắt buộc."}]
    r = post_json(client, URL, '{"receiving_agency": ')
    assert r.status_code == 422 and r.json()["errors"][0]["message"] == "Nội dung JSON không hợp lệ."
    r = post_json(client, URL, "[1, 2]")
    assert r.status_code == 422 and r.json()["message"] == "Dữ liệu gửi lên không hợp lệ."
    r = post_json(client, URL, reception(world, applicant={"owner_name": "A", "owner_email": "khong-phai-email"}))
    assert r.json()["errors"] == [{"field": "applicant.owner_email", "message": "Địa chỉ thư điện tử không hợp lệ."}]
    r = post_json(client, URL, reception(world, components=[{"required_component_id": "mot", "originals": -1}]))
    assert {e["field"] for e in r.json()["errors"]} == {"components[0].required_component_id",
                                                        "components[0].originals"}
    r = post_json(client, URL, reception(world, components=[]))
    assert r.status_code == 422 and r.json()["code"] == "missing_components"
    assert "Tờ khai đăng ký kết hôn" in r.json()["message"]
    r = post_json(client, URL, reception(world, procedure="9.999999"))
    assert r.status_code == 422 and r.json()["code"] == "unknown_case"
    r = post_json(client, URL, reception(world, receiving_agency="khong-co"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "receiving_agency"
    r = post_json(client, URL, reception(world, area="99999"))
    assert r.status_code == 422 and r.json()["code"] == "unknown_area"
    r = client.post(URL, {"not_payload": "x"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "payload"
    r = post_multipart(client, URL, reception(world), component_999999=pdf())
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "component_999999"
    r = post_multipart(client, URL, reception(world), **{f"component_{component_id(world)}": SimpleUploadedFile(
        "to-khai.pdf", GARBAGE, content_type="application/pdf")})
    assert r.status_code == 422 and r.json()["code"] == "invalid_file"
    assert "không đúng định dạng" in r.json()["message"]
    assert Dossier.objects.count() == 0 and DossierFile.objects.count() == 0


def test_the_same_idempotency_key_receives_one_dossier(client, world):
    as_user(client, world.clerk)
    first = post_json(client, URL, reception(world), key="quay-3-0001")
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    again = post_json(client, URL, reception(world), key="quay-3-0001")
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["code"] == first.json()["code"] and Dossier.objects.count() == 1
    other = post_json(client, URL, reception(world), key="quay-3-0002")
    assert other.status_code == 201 and other.json()["code"] != first.json()["code"]
    assert post_json(client, URL, reception(world), key="x" * 101).status_code == 422
    assert Dossier.objects.count() == 2


# --------------------------------------------------------------------------- permissions

def test_anonymous_gets_401_everywhere(client, world):
    d = receive(world)
    for response in (client.get(URL), client.get(f"{URL}/{d.code}"), post_json(client, URL, reception(world)),
                     act(client, d.code, "forward", d.version)):
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_other_agencies_cannot_see_or_probe_dossiers(client, world):
    d = receive(world)
    as_user(client, world.outsider)
    assert ok(client.get(URL)) == {"count": 0, "limit": 20, "offset": 0, "items": []}
    assert ok(client.get(URL, {"agency": world.centre.code}))["count"] == 0
    missing = client.get(f"{URL}/KHONG-CO-260101-0001")
    hidden = client.get(f"{URL}/{d.code}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["code"] == missing.json()["code"] == "dossier_not_found"
    r = act(client, d.code, "withdraw", d.version, reason="x")
    assert r.status_code == 404
    r = post_json(client, URL, reception(world))  # a clerk, but of another centre
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    assert not AuditEvent.objects.filter(action="dossiers.viewed").exists()
    d.refresh_from_db()
    assert d.status == Status.RECEIVED and Dossier.objects.count() == 1


def test_wrong_role_or_wrong_person_gets_403_and_nothing_changes(client, world):
    d = receive(world)
    as_user(client, world.specialist)  # sees it (competent agency) but the clerk holds it
    detail = ok(client.get(f"{URL}/{d.code}"))
    assert "forward" not in detail["allowed_actions"] and "withdraw" not in detail["allowed_actions"]
    r = act(client, d.code, "forward", d.version)
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    as_user(client, world.clerk)
    d = ok(act(client, d.code, "forward", d.version, receiver="chuyenvien"))
    as_user(client, world.specialist2)  # same role, not the assigned handler
    r = act(client, d["code"], "forward", d["version"])
    assert r.status_code == 403 and r.json()["code"] == "assigned_to_other"
    as_user(client, world.head)
    assert act(client, d["code"], "finish", d["version"], result_summary="x").status_code == 422  # not a finish step
    assert act(client, d["code"], "reset_due", d["version"], new_due_at="2026-12-31T08:00:00",
               reason="x").status_code == 403
    as_user(client, world.clerk)
    assert act(client, d["code"], "stop", d["version"], reason="x").status_code == 403
    after = Dossier.objects.get(code=d["code"])
    assert (after.version, after.current_handler, after.events.count()) == (d["version"], world.specialist, 2)


def test_unsafe_methods_need_the_csrf_token(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.clerk)
    assert strict.get(URL).status_code == 200
    r = post_json(strict, URL, reception(world))
    assert r.status_code == 403 and Dossier.objects.count() == 0
    strict.get("/accounts/login/")  # sets the csrftoken cookie
    token = strict.cookies["csrftoken"].value
    r = strict.post(URL, data=json.dumps(reception(world)), content_type="application/json",
                    headers={"X-CSRFToken": token})
    assert r.status_code == 201


# --------------------------------------------------------------------------- locking and idempotency

def test_a_stale_version_gives_409_and_changes_nothing(client, world):
    d = received(client, world)
    seen = d["version"]
    ok(act(client, d["code"], "forward", seen, receiver="chuyenvien"))
    r = act(client, d["code"], "withdraw", seen, reason="Công dân xin rút")
    assert r.status_code == 409 and r.json()["code"] == "dossier_changed"
    assert "tải lại" in r.json()["message"]
    after = Dossier.objects.get(code=d["code"])
    assert (after.status, after.version, after.events.count()) == (Status.PROCESSING, seen + 1, 2)


def test_the_same_idempotency_key_applies_one_transition(client, world):
    d = received(client, world)
    first = act(client, d["code"], "forward", d["version"], key="btn-42", receiver="chuyenvien")
    again = act(client, d["code"], "forward", d["version"], key="btn-42", receiver="chuyenvien")
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert again.json()["version"] == first.json()["version"] == d["version"] + 1
    assert DossierEvent.objects.filter(dossier__code=d["code"], action="forward").count() == 1
    record = IdempotencyRecord.objects.get(key="btn-42")
    assert record.scope == "action:forward" and record.event.action == "forward"
    # Without the key the retry is a stale request.
    assert act(client, d["code"], "forward", d["version"], receiver="chuyenvien").status_code == 409
    # The key belongs to the first dossier.
    other = received(client, world)
    r = act(client, other["code"], "forward", other["version"], key="btn-42")
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused"
    # A failed action does not use up its key.
    r = act(client, other["code"], "withdraw", other["version"], key="btn-43", reason="  ")
    assert r.status_code == 422
    r = act(client, other["code"], "withdraw", other["version"], key="btn-43", reason="Xin rút")
    assert r.status_code == 422 and r.json()["code"] == "required"  # who asked, and the written request
    assert ok(act(client, other["code"], "withdraw", other["version"], key="btn-43", reason="Xin rút",
                  requested_by="Nguyễn Văn An", files=[pdf("don-rut.pdf")]))["status"] == 7


def test_a_bad_upload_is_refused_and_the_dossier_unchanged(client, world):
    d = received(client, world)
    d = ok(act(client, d["code"], "request_supplement", d["version"], reason="Thiếu bản sao CCCD"))
    bad = SimpleUploadedFile("cccd.pdf", GARBAGE, content_type="application/pdf")
    r = act(client, d["code"], "submit_supplement", d["version"], files=[pdf("dung.pdf"), bad])
    assert r.status_code == 422 and r.json()["code"] == "invalid_file"
    assert r.json()["errors"][0]["field"] == "files" and "cccd.pdf" in r.json()["message"]
    after = Dossier.objects.get(code=d["code"])
    assert (after.status, after.version, after.files.count(), after.events.count()) == (5, d["version"], 0, 2)


def test_bad_action_requests_give_json_errors(client, world):
    d = received(client, world)
    code, version = d["code"], d["version"]
    r = act(client, code, "teleport", version)
    assert r.status_code == 404 and r.json()["code"] == "unknown_action"
    r = post_json(client, f"{URL}/{code}/actions/forward", "{version: 2")
    assert r.status_code == 422 and r.json()["errors"][0]["message"] == "Nội dung JSON không hợp lệ."
    r = post_json(client, f"{URL}/{code}/actions/forward", {"receiver": "chuyenvien"})
    assert r.status_code == 422 and r.json()["errors"] == [{"field": "version", "message": "Trường này là bắt buộc."}]
    r = act(client, code, "withdraw", version)
    assert r.json()["errors"] == [{"field": "reason", "message": "Trường này là bắt buộc."}]
    r = act(client, code, "withdraw", version, reason="   ")
    assert r.status_code == 422 and r.json()["message"] == "Cần nhập lý do rút hồ sơ."
    r = act(client, code, "forward", version, receiver="khong-ai")
    assert r.status_code == 422 and r.json()["code"] == "invalid_receiver"
    r = act(client, code, "forward", version, receiver="truongphong")  # no specialist role
    assert r.status_code == 422 and r.json()["code"] == "invalid_receiver"
    r = act(client, code, "forward", version, to_step=5)
    assert r.status_code == 422 and r.json()["code"] == "move_not_allowed"
    r = act(client, code, "forward", version, files=[pdf()])
    assert r.status_code == 422 and "không nhận tệp" in r.json()["message"]
    r = act(client, code, "return_result", version, method="bo-cau", returned_to="A")
    assert r.json()["errors"] == [{"field": "method", "message": "Giá trị không nằm trong danh sách cho phép."}]
    r = act(client, code, "apologise", version, new_due_at="thứ hai", reason="x")
    assert r.json()["errors"][0]["field"] == "new_due_at"
    after = Dossier.objects.get(code=code)
    assert (after.version, after.events.count()) == (version, 1)


def test_apology_and_payment_through_the_api(client, world):
    d = received(client, world)
    d = ok(act(client, d["code"], "forward", d["version"], receiver="chuyenvien"))
    as_user(client, world.specialist)
    due = datetime.datetime.fromisoformat(d["due_at"])
    later = (due + datetime.timedelta(days=7)).replace(tzinfo=None, hour=9, minute=0)  # naive = Vietnam time
    d = ok(act(client, d["code"], "apologise", d["version"], new_due_at=later.isoformat(), reason="Cần xác minh"))
    assert d["extensions"] == 0 and "approve_apology" not in d["allowed_actions"]  # proposed, for the leader
    as_user(client, world.leader)
    assert "approve_apology" in ok(client.get(f"{URL}/{d['code']}"))["allowed_actions"]
    d = ok(act(client, d["code"], "approve_apology", d["version"], comment="Đồng ý"))
    as_user(client, world.specialist)
    assert d["extensions"] == 1 and datetime.datetime.fromisoformat(d["due_at"]).utcoffset() == datetime.timedelta(
        hours=7)
    d = ok(act(client, d["code"], "request_payment", d["version"], amount=50000, comment="Lệ phí"))
    assert d["status"] == 6 and "50.000 đồng" in d["events"][-1]["comment"]
    d = ok(act(client, d["code"], "confirm_payment", d["version"]))
    assert d["status"] == 4


# --------------------------------------------------------------------------- list, detail, audit

def test_list_filters_paginates_and_scopes(client, world):
    first = received(client, world)
    second = received(client, world, applicant={"owner_name": "Trần Thị Bình", "owner_id_number": "092199000111"},
                      subject="Kết hôn lần hai")
    third = received(client, world)
    ok(act(client, second["code"], "forward", second["version"], receiver="chuyenvien"))
    Dossier.objects.filter(code=third["code"]).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    Dossier.objects.filter(code=first["code"]).update(due_at=timezone.now() + datetime.timedelta(minutes=30))

    def codes(**params):
        return [d["code"] for d in ok(client.get(URL, params))["items"]]

    assert codes() == [third["code"], second["code"], first["code"]]
    page = ok(client.get(URL, {"limit": 1, "offset": 1}))
    assert page["count"] == 3 and [d["code"] for d in page["items"]] == [second["code"]]
    assert codes(status=4) == [second["code"]]
    assert client.get(URL + "?status=2&status=4").json()["count"] == 3
    assert codes(q="Bình") == [second["code"]] and codes(q="092199000111") == [second["code"]]
    assert codes(q=first["code"]) == [first["code"]] and codes(q="lần hai") == [second["code"]]
    assert codes(overdue="true") == [third["code"]] and ok(client.get(URL, {"overdue": "true"}))["items"][0]["overdue"]
    assert third["code"] not in codes(overdue="false")
    assert codes(due_soon="true") == [first["code"]]
    assert codes(mine="true") == [third["code"], first["code"]]
    assert len(codes(agency=world.centre.code)) == 3 and codes(agency=world.other_centre.code) == []
    item = ok(client.get(URL, {"status": 4}))["items"][0]
    assert item["current_agency"]["code"] == world.committee.code
    assert item["current_handler"]["username"] == "chuyenvien"
    assert "applicant" not in item and "events" not in item
    for bad in ({"status": 11}, {"limit": 0}, {"limit": 101}, {"offset": -1}, {"overdue": "có lẽ"}):
        r = client.get(URL, bad)
        assert r.status_code == 422 and r.json()["code"] == "invalid_input", bad
    # The leader of the commune committee (competent agency) sees them all; the other commune none.
    as_user(client, world.leader)
    assert ok(client.get(URL))["count"] == 3
    as_user(client, world.outsider)
    assert ok(client.get(URL))["count"] == 0


def test_detail_read_is_audited_as_personal_data_access(client, world):
    d = receive(world)
    as_user(client, world.specialist)
    body = ok(client.get(f"{URL}/{d.code}"))
    assert body["applicant"]["owner_id_number"] == "092095001234" and body["version"] == d.version
    assert body["events"][0]["action"] == "receive" and body["events"][0]["sender"] == "Đoàn Thị Hồng"
    row = AuditEvent.objects.get(action="dossiers.viewed")
    assert (row.actor, row.object_id, row.personal_data) == (world.specialist, str(d.pk), True)
    ok(client.get(f"{URL}/{d.code}"))
    assert AuditEvent.objects.filter(action="dossiers.viewed").count() == 2


def test_openapi_lists_the_dossier_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    assert set(paths[URL]) == {"get", "post"}
    receive_op, list_op = paths[URL]["post"], paths[URL]["get"]
    detail_op, act_op = paths[URL + "/{code}"]["get"], paths[URL + "/{code}/actions/{action}"]["post"]
    assert receive_op["summary"] == "Tiếp nhận hồ sơ tại bộ phận một cửa"
    assert {"201", "200", "401", "403", "409", "422"} <= set(receive_op["responses"])
    assert set(receive_op["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert "Idempotency-Key" in [p["name"] for p in receive_op["parameters"]]
    assert {"status", "agency", "overdue", "due_soon", "q", "limit", "offset"} <= {p["name"] for p in
                                                                                   list_op["parameters"]}
    assert "404" in detail_op["responses"] and detail_op["description"]
    assert act_op["responses"]["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    variants = act_op["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
    assert [v["title"] for v in variants] == list(ACTIONS) and all("version" in v["required"] for v in variants)
    assert "`submit_supplement`" in act_op["description"]


# --------------------------------------------------------------------------- allowed actions vs the actions

SAMPLE = {
    "accept_online": {}, "refuse_online": {"reason": "x"}, "forward": {}, "send_back": {"comment": "x"},
    "recall": {}, "request_supplement": {"reason": "x"}, "accept_supplement": {},
    "refuse_after_supplement_deadline": {"reason": "x"}, "request_payment": {"amount": 1000}, "confirm_payment": {},
    "finish": {"result_summary": "x"}, "return_result": {"method": "counter", "returned_to": "A"},
    "withdraw": {"reason": "x", "requested_by": "Nguyễn Văn An"}, "stop": {"reason": "x"},
    "reject_apology": {"reason": "x"}, "approve_apology": {}, "refuse": {"reason": "x"},
    "send_papers": {"note": "01 bộ"}, "receive_papers": {"kept_at": "Tủ hồ sơ số 2"},
}


class Rollback(Exception):
    pass


def _attempt(name, user, dossier):
    """Run one action for real, then roll it back. None on success, else the error."""
    kwargs = dict(SAMPLE.get(name, {}))
    if name in ("submit_supplement", "digitise_result"):
        kwargs["files"] = [pdf()]
    if name == "finish":
        kwargs["result_files"] = [pdf()]
    if name == "refuse":
        kwargs["letter_files"] = [pdf()]
    if name == "withdraw":
        kwargs["request_files"] = [pdf()]
    if name in ("apologise", "reset_due"):
        kwargs.update(reason="x", new_due_at=(dossier.due_at or timezone.now()) + datetime.timedelta(days=5))
    try:
        with transaction.atomic():
            getattr(actions, name)(acting_user=user, dossier=Dossier.objects.get(pk=dossier.pk), **kwargs)
            raise Rollback
    except Rollback:
        return None
    except DomainError as error:
        return error


def test_allowed_actions_are_exactly_what_the_actions_permit(world):
    users = [world.clerk, world.specialist, world.specialist2, world.head, world.leader, world.admin, world.outsider]
    now = timezone.now()
    fwd = actions.forward

    def at_specialist(receiver=world.specialist):
        return fwd(acting_user=world.clerk, dossier=receive(world, at=now), receiver=receiver)

    def at_head():
        return fwd(acting_user=world.specialist, dossier=at_specialist(), receiver=world.head)

    def at_leader():
        return fwd(acting_user=world.head, dossier=at_head(), receiver=world.leader)

    def submitted():
        return actions.submit_online(acting_user=None, receiving_agency=world.centre, case=world.case,
                                     applicant=dict(APPLICANT), area=world.commune, components=[ComponentInput(
                                         required_component_id=component_id(world), files=[pdf()])])

    states = [
        ("submitted", submitted()),
        ("received", receive(world, at=now)),
        ("at specialist", at_specialist()),
        ("unassigned specialist step", at_specialist(receiver=None)),
        ("supplement", actions.request_supplement(acting_user=world.clerk, dossier=receive(world, at=now),
                                                  reason="x")),
        ("supplement overdue", actions.request_supplement(
            acting_user=world.clerk, dossier=receive(world, at=now - datetime.timedelta(days=40)), reason="x",
            at=now - datetime.timedelta(days=30))),
        ("apology proposed", actions.propose_apology(acting_user=world.specialist, dossier=at_specialist(),
                                                     new_due_at=now + datetime.timedelta(days=30), reason="x")),
        ("papers sent", actions.send_papers(acting_user=world.clerk, dossier=receive(world, at=now))),
        ("payment", actions.request_payment(acting_user=world.specialist, dossier=at_specialist(), amount=1000)),
        ("at head", at_head()),
        ("at leader", at_leader()),
        ("finished", actions.finish(acting_user=world.leader, dossier=at_leader(), result_summary="x", result_files=[pdf()])),
        ("paper result", actions.finish(acting_user=world.leader, dossier=at_leader(), result_summary="x",
                                        result_files=[pdf()], result_form="paper")),
        ("returned", actions.return_result(acting_user=world.clerk, method="counter", returned_to="A",
                                           dossier=actions.finish(acting_user=world.leader, dossier=at_leader(),
                                                                  result_summary="x", result_files=[pdf()]))),
    ]
    seen = set()
    for label, dossier in states:
        dossier = Dossier.objects.get(pk=dossier.pk)
        for user in users:
            listed = allowed_actions(user, dossier)
            for name in ACTIONS:
                error = _attempt(name, user, dossier)
                if name in listed:
                    seen.add(name)
                    assert error is None, (label, user.username, name, error)
                elif name != "reset_due":  # the administrator may also reset closed dossiers; no button there
                    assert error is not None, (label, user.username, name, "allowed but not listed")
    assert seen == set(ACTIONS)
