import pytest

from tinhso.catalogue.models import RequiredComponent
from tinhso.registries import reception
from tinhso.registries.demo import mark_national_sources
from tinhso.registries.models import RegistryCheck
from tinhso.registries.tests.conftest import AN

pytestmark = pytest.mark.django_db


def test_demo_marks_identity_papers_with_the_population_source(world):
    paper = RequiredComponent.objects.create(case=world.case, order=9, required=False,
                                             name="Giấy tờ tùy thân của người nộp hồ sơ (hộ chiếu, căn cước)")
    assert mark_national_sources() == 1 and mark_national_sources() == 0
    paper.refresh_from_db()
    assert paper.national_source == "population"


def test_not_configured_is_said_and_nothing_is_called(sandbox, world, settings):
    settings.TINHSO_POPULATION_SANDBOX = False
    checked = reception.check_for_reception(acting_user=world.clerk, channel="counter", id_number=AN["id_number"],
                                            full_name=AN["full_name"], consented=True)
    assert checked.citizen.status == "not_configured" and "Chưa cấu hình" in checked.citizen.message
    assert sandbox.calls == [] and not RegistryCheck.objects.exists()
