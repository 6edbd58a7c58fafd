"""The citizen's API (/api/v1/me): a draft saved, a file staged and checked,
the draft submitted once however often the call is retried, errors listed per
field with nothing lost, my dossiers, supplement, withdrawal, online payment;
another person's dossier and staff accounts get nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tinhso.accounts.models import User
from tinhso.audit.models import AuditEvent
from tinhso.dossiers import actions
from tinhso.dossiers.models import Dossier, StagedUpload, Status
from tinhso.dossiers.tests.conftest import PDF
from tinhso.portal.models import Draft

pytestmark = pytest.mark.django_db
API = "/api/v1/me"


def _data(w, **extra):
    data = {"owner_name": "Nguyễn Thị Mai", "owner_id_type": "cccd", "owner_id_number": "092095001234",
            "owner_phone": "0912345678", "owner_email": "mai@example.vn", "owner_address": "Khu vực 2",
            "area": str(w.commune.pk), "f_ho_ten_nam": "Trần Văn Tùng", "f_cccd_nam": "092094000111",
            "f_ho_ten_nu": "Nguyễn Thị Mai"}
    data.update(extra)
    return data


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _component(w):
    return w.case.components.get(order=1)


def _ready(c, w, **extra):
    assert c.put(f"{API}/drafts/{w.case.pk}", {"data": _data(w, **extra)}, content_type="application/json"
                 ).status_code == 200
    r = c.post(f"{API}/drafts/{w.case.pk}/files",
               {"component_id": _component(w).pk, "file": SimpleUploadedFile("to-khai.pdf", PDF)})
    assert r.status_code == 200, r.content
    return r.json()


def test_draft_file_and_submission_end_to_end_once(eform, citizen, django_capture_on_commit_callbacks):
    w, c = eform, _client(citizen)
    opened = c.get(f"{API}/drafts/{w.case.pk}").json()
    assert opened["data"] == {} and opened["procedure_code"] == w.case.procedure.code
    assert any(comp["required"] for comp in opened["components"])
    staged = _ready(c, w)
    slot = next(comp for comp in staged["components"] if comp["id"] == _component(w).pk)
    assert [f["name"] for f in slot["files"]] == ["to-khai.pdf"]
    assert c.get(f"{API}/drafts").json()[0]["data"]["f_ho_ten_nam"] == "Trần Văn Tùng"

    with django_capture_on_commit_callbacks(execute=True):
        first = c.post(f"{API}/drafts/{w.case.pk}/submit")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == Status.SUBMITTED and body["code"]
    assert [f["name"] for f in body["files"]] == ["to-khai.pdf"]
    again = c.post(f"{API}/drafts/{w.case.pk}/submit")  # a retried call: the same dossier, not a second one
    assert again.status_code == 201 and again.json()["code"] == body["code"]
    assert Dossier.objects.count() == 1
    d = Dossier.objects.get()
    assert d.citizen == citizen and d.form_data["ho_ten_nam"] == "Trần Văn Tùng" and d.receiving_agency == w.centre
    assert not StagedUpload.objects.filter(user=citizen).exists()  # the staged copies are gone after commit
    assert AuditEvent.objects.filter(action="portal.draft.submitted").count() == 1

    mine = c.get(f"{API}/dossiers").json()
    assert [x["code"] for x in mine] == [d.code]
    detail = c.get(f"{API}/dossiers/{d.code.lower()}").json()
    assert detail["events"][0]["label"] == "Đã nộp hồ sơ trực tuyến"
    assert detail["competent_agency"] == "UBND Phường Vị Thanh"


def test_errors_are_listed_per_field_and_nothing_is_lost(eform, citizen):
    w, c = eform, _client(citizen)
    _ready(c, w, f_cccd_nam="123", owner_phone="12")
    r = c.post(f"{API}/drafts/{w.case.pk}/submit")
    assert r.status_code == 422
    err = r.json()
    assert err["code"] == "invalid_draft"
    fields = {e["field"]: e["message"] for e in err["errors"]}
    assert fields["f_cccd_nam"] == "Số định danh cá nhân gồm 12 chữ số."
    assert "Số điện thoại không hợp lệ" in fields["owner_phone"]
    assert Dossier.objects.count() == 0
    draft = Draft.objects.get(owner=citizen)
    assert draft.data["f_ho_ten_nam"] == "Trần Văn Tùng" and StagedUpload.objects.filter(token=draft.token).count() == 1


def test_a_required_paper_is_needed_and_a_fake_file_is_refused(eform, citizen):
    w, c = eform, _client(citizen)
    c.put(f"{API}/drafts/{w.case.pk}", {"data": _data(w)}, content_type="application/json")
    r = c.post(f"{API}/drafts/{w.case.pk}/submit")
    assert r.status_code == 422 and r.json()["code"] == "missing_component"
    fake = c.post(f"{API}/drafts/{w.case.pk}/files",
                  {"component_id": _component(w).pk, "file": SimpleUploadedFile("to-khai.pdf", b"not a pdf")})
    assert fake.status_code == 422 and "không đúng định dạng" in fake.json()["message"]
    other = c.post(f"{API}/drafts/{w.case.pk}/files",
                   {"component_id": 999999, "file": SimpleUploadedFile("to-khai.pdf", PDF)})
    assert other.status_code == 422 and other.json()["code"] == "unknown_component"
    assert Dossier.objects.count() == 0 and not StagedUpload.objects.exists()


def test_only_citizens_and_only_their_own_dossiers(eform, citizen):
    w = eform
    c = _client(citizen)
    _ready(c, w)
    code = c.post(f"{API}/drafts/{w.case.pk}/submit").json()["code"]
    stranger = User.objects.create_user(username="cd-092090000001", full_name="Lê Văn Khác", is_citizen=True)
    s = _client(stranger)
    assert s.get(f"{API}/dossiers/{code}").status_code == 404
    assert s.get(f"{API}/dossiers").json() == []
    assert s.post(f"{API}/dossiers/{code}/withdrawal", {"reason": "x"}, content_type="application/json"
                  ).status_code == 404
    assert _client(w.clerk).get(f"{API}/dossiers").status_code == 403
    assert Client().get(f"{API}/dossiers").status_code == 401


def test_supplement_and_withdrawal(eform, citizen):
    w = eform
    c = _client(citizen)
    _ready(c, w)
    code = c.post(f"{API}/drafts/{w.case.pk}/submit").json()["code"]
    d = Dossier.objects.get(code=code)
    actions.accept_online(acting_user=w.clerk, dossier=d)
    d.refresh_from_db()
    actions.request_supplement(acting_user=w.clerk, dossier=d, reason="Thiếu bản sao giấy khai sinh.")
    mine = c.get(f"{API}/dossiers").json()[0]
    assert mine["status"] == Status.SUPPLEMENT and mine["waiting_for_me"] == ["supplement"]
    r = c.post(f"{API}/dossiers/{code}/supplement",
               {"note": "Bổ sung bản sao", "files": [SimpleUploadedFile("khai-sinh.pdf", PDF)]})
    assert r.status_code == 200, r.content
    assert "khai-sinh.pdf" in [f["name"] for f in r.json()["files"]]
    r = c.post(f"{API}/dossiers/{code}/withdrawal", {"reason": "Không còn nhu cầu."}, content_type="application/json")
    assert r.status_code == 200 and r.json()["events"][-1]["label"] == "Đã gửi đề nghị rút hồ sơ"
    empty = c.post(f"{API}/dossiers/{code}/withdrawal", {"reason": ""}, content_type="application/json")
    assert empty.status_code == 422
