"""Recognition of addresses written before and after the 2025 reorganisation."""

import pytest

from tinhso.addresses.recognition import normalise, recognise
from tinhso.addresses.tests.conftest import OLD_VI_THUY, SPLIT

pytestmark = pytest.mark.django_db


def test_a_pre_2025_address_resolves_to_todays_commune_in_can_tho(real_units):
    result = recognise(OLD_VI_THUY)
    # Old Xã Vị Thủy (31447, Hậu Giang) went wholly into Xã Vĩnh Thuận Đông, not into today's Xã Vị Thủy.
    assert (result.unit.code, result.unit.name) == ("31453", "Xã Vĩnh Thuận Đông")
    assert result.unit.parent.name == "Thành phố Cần Thơ"
    assert result.best.via.code == "31447" and result.best.via.parent.name == "Tỉnh Hậu Giang"
    assert result.accepted and result.confidence >= 0.9
    assert result.hamlet == "ấp 3"
    assert result.normalised_text() == "ấp 3, Xã Vĩnh Thuận Đông, Thành phố Cần Thơ"


def test_recognition_ignores_diacritics_case_and_missing_commas(real_units):
    result = recognise("AP 3 xa vi thuy huyen Vi Thuy hau giang")
    assert result.unit.code == "31453" and result.accepted


def test_an_old_commune_split_in_two_gives_both_as_alternatives_and_is_not_accepted(real_units):
    result = recognise(SPLIT)
    codes = [c.unit.code for c in result.candidates]
    assert sorted(codes) == ["31378", "31582"]  # Xã Phú Hữu, Xã Thuận Hòa
    assert [c.unit.code for c in result.alternatives] and not result.accepted
    assert all(c.kind == "partial" and c.via.code == "31379" for c in result.candidates)
    assert result.confidence == pytest.approx(0.5)
    assert normalise(SPLIT) is None
    assert result.as_dict()["alternatives"][0]["old_unit"]["name"] == "Xã Phú Tân"


def test_three_old_wards_of_the_same_name_are_all_offered(real_units):
    result = recognise("Phường 1, tỉnh Sóc Trăng")
    assert len(result.candidates) >= 3 and not result.accepted


def test_a_new_form_address_matches_the_current_commune_with_house_number_and_street(real_units):
    result = recognise("12/3 đường Trần Hưng Đạo, phường Ninh Kiều, TP Cần Thơ")
    assert result.unit.code == "31135" and result.best.via is None and result.confidence == 1
    assert (result.house_number, result.street) == ("12/3", "đường Trần Hưng Đạo")
    assert normalise("12/3 đường Trần Hưng Đạo, phường Ninh Kiều, Cần Thơ")["text"] == (
        "Số 12/3 đường Trần Hưng Đạo, Phường Ninh Kiều, Thành phố Cần Thơ")


def test_the_current_commune_of_the_same_name_wins_when_the_province_is_todays(real_units):
    assert recognise("xã Vị Thủy, thành phố Cần Thơ").unit.code == "31441"


@pytest.mark.parametrize("text", ["", "   ", "abc", "ấp 3", "xã Không Có Thật, Cần Thơ", "x" * 5000, "💥, ,,;"])
def test_unreadable_text_gives_no_candidate_and_no_error(real_units, text):
    result = recognise(text)
    assert result.unit is None and not result.accepted and result.notes


def test_api_recognises_publicly_and_lists_alternatives(client, real_units):
    response = client.post("/api/v1/addresses/recognise", {"text": SPLIT}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["accepted"] is False and body["unit"]["succession"] == "partial"
    assert {body["unit"]["code"], *[a["code"] for a in body["alternatives"]]} == {"31378", "31582"}
    response = client.post("/api/v1/addresses/recognise", {"text": OLD_VI_THUY}, content_type="application/json")
    assert response.json()["unit"]["code"] == "31453" and response.json()["accepted"] is True


def test_api_refuses_bad_bodies_with_a_message(client, real_units):
    for body in ({}, {"text": ""}, {"text": "x" * 600}):
        response = client.post("/api/v1/addresses/recognise", body, content_type="application/json")
        assert response.status_code == 422 and response.json()["message"]
    response = client.post("/api/v1/addresses/recognise", "not json", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_api_is_rate_limited_per_client_address(client, real_units, settings):
    settings.TINHSO_ADDRESS_RECOGNISE_PER_MINUTE = 3
    codes = [client.post("/api/v1/addresses/recognise", {"text": "phường Ninh Kiều, Cần Thơ"},
                         content_type="application/json").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = client.post("/api/v1/addresses/recognise", {"text": "phường Ninh Kiều"}, content_type="application/json",
                        REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_extra_spaces_and_abbreviations_do_not_shift_the_parts(real_units):
    result = recognise("Số  12/3   đường Trần Hưng Đạo ,  P. Ninh Kiều, TP. Cần Thơ")
    assert (result.house_number, result.street, result.unit.code) == ("12/3", "đường Trần Hưng Đạo", "31135")
