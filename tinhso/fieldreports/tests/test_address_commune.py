"""A report sent without a pin and without a commune: the commune is read from
its address (tinhso.addresses.recognition) for routing, or the communes it may
be are named."""

import pytest

from tinhso.core.errors import InvalidInput
from tinhso.fieldreports import rules
from tinhso.fieldreports.models import FieldReport, ReportEvent

pytestmark = pytest.mark.django_db

NO_PIN = {"unit_id": None, "lat": None, "lng": None}


def test_an_address_without_a_pin_routes_to_its_commune(submit, world):
    report = submit(**NO_PIN, address="Số 12 đường Trần Hưng Đạo, phường Vị Thanh, Cần Thơ")
    assert report.unit == world.vithanh
    assert rules.route(report.category, report.unit, report.created_at) == world.vt  # where it will be sent
    assert ReportEvent.objects.get(report=report, action="submit").data["unit_from_address"] is True


def test_an_unclear_address_names_the_communes_it_may_be_and_saves_nothing(submit, world):
    with pytest.raises(InvalidInput) as caught:
        submit(**NO_PIN, address="Đường Trần Hưng Đạo, Vị Thanh")  # no commune word, no province
    message = next(e["message"] for e in caught.value.errors if e["field"] == "unit")
    assert "Phường Vị Thanh" in message
    assert FieldReport.objects.count() == 0


def test_a_pin_or_a_chosen_commune_is_never_overridden(submit, world):
    report = submit(address="phường Ninh Kiều, Cần Thơ")  # pinned in Vị Thanh, commune chosen
    assert report.unit == world.vithanh
    assert "unit_from_address" not in ReportEvent.objects.get(report=report, action="submit").data
