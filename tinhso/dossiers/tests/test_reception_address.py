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


def test_every_channel_stores_todays_form_and_the_history_keeps_what_was_typed(client, real_units, world):
    """The recognition is the reception action's, so the online form, the API
    and the counter all store the same; the typed text stays in the history."""
    from tinhso.dossiers import actions
    from tinhso.dossiers.actions import ComponentInput
    from tinhso.dossiers.tests.conftest import APPLICANT, pdf

    component = world.case.components.get(order=1).pk
    online = actions.submit_online(acting_user=None, receiving_agency=world.centre, case=world.case,
                                   applicant={**APPLICANT, "owner_address": f"  {OLD_VI_THUY} "},
                                   components=[ComponentInput(required_component_id=component, files=[pdf()])],
                                   area=world.commune)
    online.refresh_from_db()
    assert online.owner_address == "ấp 3, Xã Vĩnh Thuận Đông, Thành phố Cần Thơ"
    event = online.events.get()
    assert event.data["address"] == {"typed": OLD_VI_THUY, "stored": online.owner_address, "code": None}
    # an address not recognised is kept as typed and writes no note
    components = [ComponentInput(required_component_id=component, originals=1)]
    counter = actions.receive_at_counter(acting_user=world.clerk, receiving_agency=world.centre, case=world.case,
                                         applicant={**APPLICANT, "owner_address": "Khu vực 3"},
                                         components=components, area=world.commune)
    assert counter.owner_address == "Khu vực 3" and "address" not in counter.events.get().data
    client.force_login(world.clerk)
    html = client.get(f"/dossiers/{online.code}/").content.decode()
    assert f"Địa chỉ như đã khai: {OLD_VI_THUY}" in html


def test_a_registered_address_code_is_stored_as_its_full_text(real_units, world):
    from tinhso.addresses.codes import new_code
    from tinhso.addresses.models import Address
    from tinhso.dossiers import actions
    from tinhso.dossiers.actions import ComponentInput
    from tinhso.dossiers.tests.conftest import APPLICANT
    from tinhso.units.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.get(name="Phường Ninh Kiều")
    address = Address.objects.create(code=new_code(unit.code), house_number="12", street="đường Trần Hưng Đạo",
                                     unit=unit, full_text="Số 12 đường Trần Hưng Đạo, Phường Ninh Kiều, "
                                                          "Thành phố Cần Thơ", fingerprint="x")
    components = [ComponentInput(required_component_id=world.case.components.get(order=1).pk, originals=1)]
    dossier = actions.receive_at_counter(acting_user=world.clerk, receiving_agency=world.centre, case=world.case,
                                         applicant={**APPLICANT, "owner_address": address.code},
                                         components=components, area=world.commune)
    assert dossier.owner_address == address.full_text
    assert dossier.events.get().data["address"]["code"] == address.code
