import pytest

from tinhso.accounts.models import Role
from tinhso.testing import make_staff
from tinhso.units.models import UnitSuccession


@pytest.mark.django_db
def test_staff_search_page_shows_old_unit_and_its_new_one(client, agency):
    client.force_login(make_staff("clerk", roles=[(Role.CLERK, agency)]))
    html = client.get("/units/", {"q": "Hau Giang"}).content.decode()
    assert "Tỉnh Hậu Giang" in html and "Nay thuộc Thành phố Cần Thơ" in html


@pytest.mark.django_db
def test_admin_corrects_through_the_page_and_bad_input_keeps_the_row(client, admin_user):
    row = UnitSuccession.objects.filter(predecessor__code="31318", predecessor__level="commune").first()
    client.force_login(admin_user)
    url = f"/units/successions/{row.pk}/correct/"
    response = client.post(url, {"kind": "partial", "successor_code": "99999", "note": "x"})
    assert "Không có đơn vị hiện hành" in response.content.decode()
    row.refresh_from_db()
    assert not row.corrected
    response = client.post(url, {"kind": "partial", "successor_code": row.successor.code, "note": "Một phần"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.kind == "partial" and row.corrected
