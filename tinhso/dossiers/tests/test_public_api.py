"""The public dossier look-up API (/api/v1/public/dossiers/{code}): anonymous,
code + last 4 phone digits, status and dates only, never personal data."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tinhso.dossiers import actions
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.conftest import APPLICANT, pdf, receive, vn
from tinhso.dossiers.tests.test_lifecycle import _to_leader

URL = "/api/v1/public/dossiers/"
PERSONAL = [APPLICANT["owner_name"], APPLICANT["owner_id_number"], APPLICANT["owner_phone"],
            APPLICANT["owner_address"], APPLICANT["subject"], "owner", "phone", "address", "id_number"]


def _get(client, code, digits="5678"):
    return client.get(URL + code, {"phone_last4": digits})


def test_anonymous_lookup_shows_status_agencies_and_dates(client, world):
    d = receive(world, at=vn(2026, 3, 2, 8, 0))
    response = _get(client, d.code)
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == d.code
    assert (body["status"], body["status_label"]) == (2, "Đã tiếp nhận")
    assert body["procedure"] == {"code": "1.000894", "name": "Thủ tục đăng ký kết hôn"}
    assert body["receiving_agency"] == {"code": "001.31321.H13", "name": "Trung tâm PVHCC Phường Vị Thanh"}
    assert body["competent_agency"] == {"code": "000.31321.H13", "name": "UBND Phường Vị Thanh"}
    assert body["received_at"].startswith("2026-03-02T08:00:00+07:00")
    assert body["due_at"] is not None and body["finished_at"] is None and body["returned_at"] is None
    assert body["outcome"] is None and body["overdue"] is True  # due in March 2026, asked later


def test_lookup_json_has_no_personal_data(client, world):
    d = receive(world)
    text = _get(client, d.code).content.decode()
    raw = json.dumps(_get(client, d.code).json(), ensure_ascii=False)
    for value in PERSONAL:
        assert value not in text and value not in raw
    assert set(_get(client, d.code).json()) == {
        "code", "status", "status_label", "procedure", "receiving_agency", "competent_agency", "received_at",
        "due_at", "finished_at", "returned_at", "outcome", "outcome_label", "overdue"}


def test_finished_dossier_says_it_was_early(client, world):
    d = _to_leader(world)
    actions.finish(acting_user=world.leader, dossier=d, result_summary="Cấp Giấy chứng nhận kết hôn",
                   at=vn(2026, 3, 3, 10, 0), result_files=[pdf()])
    body = _get(client, d.code).json()
    assert body["status"] == 9 and body["outcome"] == "early" and body["outcome_label"] == "Trước hạn"
    assert body["finished_at"].startswith("2026-03-03T10:00:00") and body["overdue"] is False


def test_code_tolerates_case_and_spaces(client, world):
    d = receive(world)
    assert _get(client, f"  {d.code.lower()} ").json()["code"] == d.code
    assert _get(client, d.code.replace("-", " - ", 1)).json()["code"] == d.code
    assert client.get(URL + d.code, {"phone_last4": " 5678 "}).status_code == 200


@pytest.mark.parametrize("code, digits", [("001.31321.H13-260101-9999", "5678"), (None, "1234"), (None, "0000")])
def test_unknown_code_and_wrong_phone_are_the_same_404(client, world, code, digits):
    d = receive(world)
    response = _get(client, code or d.code, digits)
    assert response.status_code == 404
    assert response.json() == {"code": "dossier_not_found", "errors": [],
                               "message": "Không tìm thấy hồ sơ với mã và số điện thoại này."}
    assert APPLICANT["owner_name"] not in response.content.decode()


def test_dossier_without_a_phone_cannot_be_looked_up(client, world):
    d = receive(world)
    Dossier.objects.filter(pk=d.pk).update(owner_phone="")
    assert _get(client, d.code, "0000").status_code == 404


@pytest.mark.parametrize("params", [{}, {"phone_last4": "12"}, {"phone_last4": "12a4"}, {"phone_last4": "123456"}])
def test_the_second_factor_is_required_with_a_vietnamese_message(client, world, params):
    d = receive(world)
    response = client.get(URL + d.code, params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input" and body["errors"][0]["field"] == "phone_last4"
    assert body["errors"][0]["message"] in ("Nhập đúng 4 chữ số.", "Trường này là bắt buộc.")


def test_lookup_is_one_query_once_the_names_are_cached(client, world, settings):
    from django.core.cache import cache

    settings.TINHSO_CATALOGUE_CACHE_SECONDS = 60
    cache.clear()
    d = receive(world)
    with CaptureQueriesContext(connection) as cold:
        assert _get(client, d.code).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert _get(client, d.code).status_code == 200
    assert len(cold) == 3 and len(warm) == 1, [q["sql"] for q in warm]
    assert "JOIN" not in warm[0]["sql"].upper() and "owner_name" not in warm[0]["sql"]
    # a renamed agency shows at once (saving an agency bumps the catalogue version)
    world.centre.name = "Trung tâm Phục vụ hành chính công phường Vị Thanh"
    world.centre.save()
    assert _get(client, d.code).json()["receiving_agency"]["name"] == world.centre.name
    cache.clear()


def test_signed_in_staff_without_two_factor_can_still_use_it(client, world, settings):
    settings.TINHSO_REQUIRE_2FA = True
    d = receive(world)
    client.force_login(world.clerk)
    assert _get(client, d.code).status_code == 200


def test_the_public_page_uses_the_same_rule(client, world):
    d = receive(world)
    html = client.get("/tra-cuu/", {"ma": f" {d.code.lower()} ", "sdt": "5678"}).content.decode()
    assert 'id="lookup-result"' in html and APPLICANT["owner_name"] not in html
    assert 'id="lookup-result"' not in client.get("/tra-cuu/", {"ma": d.code, "sdt": "5679"}).content.decode()


def test_a_code_is_refused_after_too_many_wrong_phone_digits(client, world, settings):
    """4 digits have 10,000 values: after the configured number of wrong tries
    the code answers 429 even to the right digits, on the API and the page."""
    settings.TINHSO_LOOKUP_MAX_FAILURES = 3
    d = receive(world)
    assert _get(client, d.code).status_code == 200
    for wrong in ("0000", "1111", "2222"):
        assert _get(client, d.code, wrong).status_code == 404
    response = _get(client, d.code)  # the right digits, now too late
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_attempts" and "thử lại sau 60 phút" in response.json()["message"]
    page = client.get("/tra-cuu/", {"ma": d.code, "sdt": "5678"}).content.decode()
    assert "quá nhiều lần" in page and APPLICANT["owner_name"] not in page
    other = receive(world)
    assert _get(client, other.code).status_code == 200  # only that code is locked
