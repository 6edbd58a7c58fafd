"""The receiver's address on a delivery goes through the digital address
database: today's form for the label, and the address code when it is a
registered address."""

from tinhso.addresses.models import Address
from tinhso.dossiers.models import DossierEvent
from tinhso.postal import actions as postal
from tinhso.postal.tests.test_postal import _finished
from tinhso.units.models import AdministrativeUnit

OLD_VI_THUY = "ấp 3, xã Vị Thủy, huyện Vị Thủy, Hậu Giang"
TODAY = "ấp 3, Xã Vĩnh Thuận Đông, Thành phố Cần Thơ"


def _registered():
    unit = AdministrativeUnit.objects.get(level="commune", code="31453", valid_to__isnull=True)
    return Address.objects.create(code="31453-0000013", hamlet="ấp 3", unit=unit, full_text=TODAY,
                                  fingerprint=f"||ap 3|{unit.pk}")


def test_an_old_address_goes_on_the_label_in_todays_form_with_its_code(real_units, world, post):
    address = _registered()
    d = _finished(world, delivery_method="post")
    shipment = postal.request_delivery(acting_user=world.clerk, dossier=d, address=OLD_VI_THUY, send=False)
    assert shipment.receiver_address == TODAY and shipment.receiver_address_code == address.code
    event = DossierEvent.objects.filter(dossier=d, action="postal_delivery_requested").get()
    assert event.data["receiver_address_typed"] == OLD_VI_THUY  # what was written is kept in the history


def test_an_address_code_picked_from_the_search_is_stored(real_units, world, post):
    address = _registered()
    d = _finished(world, delivery_method="post")
    shipment = postal.request_delivery(acting_user=world.clerk, dossier=d, address=address.code, send=False)
    assert shipment.receiver_address == TODAY and shipment.receiver_address_code == address.code


def test_a_recognised_address_not_registered_has_no_code_and_an_unclear_one_stays_as_typed(real_units, world, post):
    d = _finished(world, delivery_method="post")
    shipment = postal.request_delivery(acting_user=world.clerk, dossier=d, address=OLD_VI_THUY, send=False)
    assert shipment.receiver_address == TODAY and shipment.receiver_address_code is None
    split = "ấp Phú Lợi, xã Phú Tân, huyện Châu Thành, tỉnh Hậu Giang"
    shipment.status = "failed"
    shipment.save()
    again = postal.request_delivery(acting_user=world.clerk, dossier=d, address=split, send=False)
    assert again.receiver_address == split and again.receiver_address_code is None
