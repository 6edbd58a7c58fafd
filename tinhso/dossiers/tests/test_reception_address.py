"""The applicant's address at the counter goes through the address recognition
(tinhso.addresses): stored in today's form when recognised with confidence,
kept as typed otherwise; reception is never blocked by it."""

from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.test_views import _form

OLD_VI_THUY = "ấp 3, xã Vị Thủy, huyện Vị Thủy, Hậu Giang"


def test_an_old_address_is_stored_in_todays_form(client, real_units, world):
    client.force_login(world.clerk)
    data, _comp = _form(world, owner_address=OLD_VI_THUY)
    assert client.post("/dossiers/receive/", data).status_code == 302
    assert Dossier.objects.get().owner_address == "ấp 3, Xã Vĩnh Thuận Đông, Thành phố Cần Thơ"


def test_an_address_not_recognised_is_kept_as_typed_and_reception_goes_on(client, real_units, world):
    client.force_login(world.clerk)
    for typed in ("Khu vực 3", "ấp Phú Lợi, xã Phú Tân, huyện Châu Thành, tỉnh Hậu Giang"):  # no commune / split
        Dossier.objects.all().delete()
        data, _comp = _form(world, owner_address=typed, token=f"tok-{len(typed)}")
        assert client.post("/dossiers/receive/", data).status_code == 302
        assert Dossier.objects.get().owner_address == typed


def test_the_counter_page_offers_the_recognition_widget_on_the_applicants_address(client, world):
    client.force_login(world.clerk)
    html = client.get(f"/dossiers/receive/?case={world.case.pk}").content.decode()
    assert 'data-address-widget' in html and 'data-source="id_owner_address"' in html
    assert 'data-target-unit="id_area_code"' in html and 'data-unit-value="code"' in html
    assert "addresses/widget.js" in html
