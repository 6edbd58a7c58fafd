import pytest

from tinhso.audit.models import AuditEvent
from tinhso.catalogue.actions import create_procedure, deactivate_procedure, save_case, update_procedure
from tinhso.catalogue.demo import demo_data, load_demo_catalogue
from tinhso.catalogue.exporting import export_catalogue
from tinhso.catalogue.models import Field, Procedure, ProcedureCase
from tinhso.catalogue.tests.factories import small_catalogue
from tinhso.core.errors import InvalidInput, PermissionDenied

pytestmark = pytest.mark.django_db


def test_demo_catalogue_loads_and_every_case_has_steps(demo_agencies):
    result = load_demo_catalogue()
    assert result["created"] >= 30
    assert Procedure.objects.count() >= 30
    assert not ProcedureCase.objects.filter(steps__isnull=True).exists()
    assert demo_data()["notes"]
    assert {"1.001193", "1.000894", "1.000656", "1.004873", "2.000815", "1.009794", "2.000720"} <= set(
        Procedure.objects.values_list("code", flat=True))


def test_loading_the_demo_twice_changes_nothing(demo_agencies):
    load_demo_catalogue()
    before, events = export_catalogue(), AuditEvent.objects.count()
    result = load_demo_catalogue()
    assert result["created"] == 0 and result["updated"] == 0
    assert export_catalogue() == before
    assert AuditEvent.objects.count() == events + 1  # only the import summary


def test_create_update_deactivate_are_audited(demo_agencies, manager):
    field = Field.objects.create(code="HT", name="Hộ tịch")
    values = {"name": "Thủ tục đăng ký khai tử", "field": field, "level_commune": True, "online_level": "full"}
    p = create_procedure(acting_user=manager, code="1.000656", values=values)
    assert p.legacy_level == 4
    update_procedure(acting_user=manager, procedure=p, values={"name": "Đăng ký khai tử"})
    deactivate_procedure(acting_user=manager, procedure=p)
    actions = list(AuditEvent.objects.filter(action__startswith="catalogue").order_by("id").values_list("action", flat=True))
    assert actions == ["catalogue.procedure.create", "catalogue.procedure.update", "catalogue.procedure.deactivate"]
    assert AuditEvent.objects.get(action="catalogue.procedure.update").changes == {
        "name": ["Thủ tục đăng ký khai tử", "Đăng ký khai tử"]}


def test_bad_procedure_values_change_nothing(demo_agencies, manager, specialist):
    field = Field.objects.create(code="HT", name="Hộ tịch")
    with pytest.raises(InvalidInput):
        create_procedure(acting_user=manager, code="1.000656", values={"name": "X", "field": field})
    with pytest.raises(InvalidInput):
        create_procedure(acting_user=manager, code="mã sai!", values={"name": "X", "field": field,
                                                                       "level_commune": True})
    with pytest.raises(PermissionDenied):
        create_procedure(acting_user=specialist, code="1.000656", values={"name": "X", "field": field,
                                                                         "level_commune": True})
    assert Procedure.objects.count() == 0


def test_save_case_validates_and_replaces_nested_parts(catalogue, manager):
    p = Procedure.objects.get(code="1.001193")
    data = small_catalogue()["procedures"][0]["cases"][0]
    data["code"] = "2"
    data["steps"][1]["allowance"] = 40
    with pytest.raises(InvalidInput) as exc:
        save_case(acting_user=manager, procedure=p, data=data)
    assert exc.value.errors[0]["field"] == "case.steps"
    data["steps"][1]["allowance"] = 2
    case = save_case(acting_user=manager, procedure=p, data=data)
    assert case.steps.count() == 3 and p.cases.count() == 2
    assert AuditEvent.objects.filter(action="catalogue.case.create").exists()
