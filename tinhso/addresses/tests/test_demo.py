import pytest

from tinhso.addresses.demo import ADDRESSES, seed_addresses
from tinhso.addresses.models import Address

pytestmark = pytest.mark.django_db


def test_the_demo_addresses_load_once(real_units):
    assert seed_addresses() == len(ADDRESSES)
    assert seed_addresses() == 0 and Address.objects.count() == len(ADDRESSES)
    assert Address.objects.filter(lat__isnull=False).count() == len(ADDRESSES)
