import pytest

from tinhso.accounts.models import Role
from tinhso.audit.models import AuditEvent
from tinhso.testing import make_staff
from tinhso.units.models import AdministrativeUnit, UnitSuccession


@pytest.mark.django_db
def test_units_search_api_without_diacritics(client):
    body = client.get("/api/v1/units", {"q": "Vi Thanh"}).json()
    assert body[0]["code"] == "31321" and body[0]["name"] == "Phường Vị Thanh" and body[0]["is_current"]
    assert body[0]["parent"]["code"] == "92"


@pytest.mark.django_db
def test_units_api_says_an_old_province_is_now_part_of_can_tho(client):
    body = client.get("/api/v1/units", {"q": "Hau Giang"}).json()
    assert body[0]["name"] == "Tỉnh Hậu Giang" and body[0]["is_current"] is False
    assert body[0]["now_part_of"][0]["code"] == "92"
    assert body[0]["note"] == "Nay thuộc Thành phố Cần Thơ"


@pytest.mark.django_db
def test_unit_detail_lists_predecessors(client):
    can_tho = AdministrativeUnit.objects.get(level="province", code="92", valid_to__isnull=True)
    body = client.get(f"/api/v1/units/{can_tho.pk}").json()
    assert {p["code"] for p in body["predecessors"]} == {"92", "93", "94"}


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"q": ""}, {"q": "x" * 101}, {"q": "a", "level": "district"},
                                    {"q": "a", "limit": 0}, {"q": "a", "current": "maybe"}])
def test_bad_search_input_is_a_422_with_a_vietnamese_message(client, params):
    response = client.get("/api/v1/units", params)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


def _succession():
    return UnitSuccession.objects.select_related("predecessor", "successor").filter(
        predecessor__code="31318", predecessor__level="commune").first()


@pytest.mark.django_db
def test_patch_succession_requires_a_signed_in_admin(client, agency):
    row = _succession()
    assert client.patch(f"/api/v1/units/successions/{row.pk}", {"kind": "partial"},
                        content_type="application/json").status_code == 401
    client.force_login(make_staff("clerk", roles=[(Role.CLERK, agency)]))
    response = client.patch(f"/api/v1/units/successions/{row.pk}", {"kind": "partial"},
                            content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    row.refresh_from_db()
    assert row.kind == "full" and not row.corrected


@pytest.mark.django_db
def test_admin_corrects_a_mapping_row_and_the_correction_is_audited(client, admin_user):
    row = _succession()
    client.force_login(admin_user)
    other = AdministrativeUnit.objects.get(level="commune", code="31135", valid_to__isnull=True)
    response = client.patch(f"/api/v1/units/successions/{row.pk}",
                            {"kind": "partial", "successor_id": other.pk, "note": "Theo Nghị quyết 1668"},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["corrected"] is True
    row.refresh_from_db()
    assert (row.kind, row.successor, row.corrected) == ("partial", other, True)
    event = AuditEvent.objects.get(action="units.succession.corrected")
    assert event.actor == admin_user and event.note == "Theo Nghị quyết 1668"
    assert event.changes["kind"] == ["full", "partial"]
    assert event.changes["successor"][1] == str(other.pk)


@pytest.mark.django_db
def test_a_correction_that_makes_no_sense_is_refused_and_changes_nothing(client, admin_user):
    row = _succession()
    client.force_login(admin_user)
    province = AdministrativeUnit.objects.get(level="province", code="92", valid_to__isnull=True)
    response = client.patch(f"/api/v1/units/successions/{row.pk}", {"successor_id": province.pk},
                            content_type="application/json")
    assert response.status_code == 422 and "cùng cấp" in response.json()["message"]
    response = client.patch(f"/api/v1/units/successions/{row.pk}", {"kind": "half"}, content_type="application/json")
    assert response.status_code == 422
    row.refresh_from_db()
    assert not row.corrected and not AuditEvent.objects.filter(action="units.succession.corrected").exists()
