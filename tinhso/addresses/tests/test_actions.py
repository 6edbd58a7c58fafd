"""Registering, correcting and retiring addresses: permission, codes, audit."""

import pytest

from tinhso.addresses import actions, codes
from tinhso.addresses.models import Address
from tinhso.audit.models import AuditEvent
from tinhso.core.errors import InvalidInput, PermissionDenied

pytestmark = pytest.mark.django_db


def test_an_officer_of_the_commune_registers_an_address_with_a_checked_code(officer, ninhkieu):
    address = actions.register_address(acting_user=officer, house_number="25", street="đường Trần Hưng Đạo",
                                       unit_id=ninhkieu.pk, lat="10.0342", lng="105.7811")
    assert address.code.startswith("31135-") and codes.is_valid(address.code)
    assert address.full_text == "Số 25 đường Trần Hưng Đạo, Phường Ninh Kiều, Thành phố Cần Thơ"
    assert AuditEvent.objects.filter(action="addresses.address.registered", object_id=str(address.pk)).exists()
    assert not codes.is_valid(address.code[:-1] + str((int(address.code[-1]) + 1) % 10))


def test_an_officer_of_another_commune_is_refused_and_nothing_is_saved(outsider, ninhkieu):
    with pytest.raises(PermissionDenied):
        actions.register_address(acting_user=outsider, street="đường Hai Bà Trưng", unit_id=ninhkieu.pk)
    assert not Address.objects.exists() and not AuditEvent.objects.filter(action__startswith="addresses").exists()


@pytest.mark.parametrize("data, field", [
    ({"street": "", "hamlet": ""}, "street"),
    ({"street": "đường A", "lat": "105.78", "lng": "10.03"}, "lat"),  # swapped
    ({"street": "đường A", "lat": "abc", "lng": "1"}, "lat"),
    ({"street": "x" * 121}, "street"),
    ({"street": "đường A", "unit_id": "999999999"}, "unit"),
])
def test_bad_input_is_refused_with_a_vietnamese_message(officer, ninhkieu, data, field):
    data = {"unit_id": ninhkieu.pk, **data}
    with pytest.raises(InvalidInput) as caught:
        actions.register_address(acting_user=officer, **data)
    assert caught.value.errors[0]["field"] == field and caught.value.message
    assert not Address.objects.exists()


def test_an_old_commune_is_not_accepted_as_the_unit(officer, real_units):
    from tinhso.units.models import AdministrativeUnit

    old = AdministrativeUnit.objects.get(level="commune", code="31447", valid_to__isnull=False)
    with pytest.raises(InvalidInput):
        actions.register_address(acting_user=None, street="đường A", unit_id=old.pk)


def test_the_same_place_twice_is_refused_whatever_the_diacritics(officer, ninhkieu):
    first = actions.register_address(acting_user=officer, house_number="8", street="đường Ngô Quyền",
                                     unit_id=ninhkieu.pk)
    with pytest.raises(InvalidInput) as caught:
        actions.register_address(acting_user=officer, house_number="8", street="duong ngo quyen", unit_id=ninhkieu.pk)
    assert first.code in caught.value.message


def test_a_retired_code_is_never_given_again_and_a_correction_keeps_the_code(officer, ninhkieu):
    first = actions.register_address(acting_user=officer, house_number="1", street="đường A", unit_id=ninhkieu.pk)
    actions.correct_address(acting_user=officer, code=first.code, house_number="1B", street="đường A",
                            unit_id=ninhkieu.pk)
    first.refresh_from_db()
    assert first.house_number == "1B"
    actions.retire_address(acting_user=officer, code=first.code, reason="Nhà bị giải tỏa")
    second = actions.register_address(acting_user=officer, house_number="1", street="đường A", unit_id=ninhkieu.pk)
    assert second.code != first.code and int(second.code[6:12]) == int(first.code[6:12]) + 1
    with pytest.raises(InvalidInput):
        actions.retire_address(acting_user=officer, code=second.code, reason="")
