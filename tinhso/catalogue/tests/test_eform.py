import pytest

from tinhso.audit.models import AuditEvent
from tinhso.catalogue.eform_actions import save_form_fields
from tinhso.catalogue.models import ProcedureCase
from tinhso.core.errors import InvalidInput, PermissionDenied


@pytest.fixture
def case(catalogue):
    return ProcedureCase.objects.select_related("procedure").get(procedure__code="1.001193", code="1")


def test_catalogue_manager_defines_the_online_form(manager, case):
    save_form_fields(acting_user=manager, case=case, rows=[
        {"label": "Họ tên của trẻ", "kind": "text", "required": True},
        {"label": "Giới tính", "kind": "select", "choices": "Nam\nNữ", "required": True},
    ])
    fields = list(case.form_fields.all())
    assert [(f.key, f.kind, f.required) for f in fields] == [("ho_ten_cua_tre", "text", True),
                                                            ("gioi_tinh", "select", True)]
    assert fields[1].choice_list == ["Nam", "Nữ"]
    assert AuditEvent.objects.filter(action="catalogue.case.form_fields", actor=manager).exists()


def test_bad_rows_are_all_listed_and_nothing_changes(manager, case):
    save_form_fields(acting_user=manager, case=case, rows=[{"label": "A"}])
    with pytest.raises(InvalidInput) as info:
        save_form_fields(acting_user=manager, case=case, rows=[
            {"label": "Chọn", "kind": "select"}, {"label": "X", "pattern": "([a-"}, {"label": "Y", "kind": "blob"},
            {"label": "Trùng", "key": "a"}, {"label": "Trùng 2", "key": "a"}])
    fields = {e["field"] for e in info.value.errors}
    assert {"fields[0].choices", "fields[1].pattern", "fields[2].kind", "fields[4].key"} <= fields
    assert [f.label for f in case.form_fields.all()] == ["A"]


def test_other_staff_cannot_change_the_form(specialist, case):
    with pytest.raises(PermissionDenied):
        save_form_fields(acting_user=specialist, case=case, rows=[{"label": "A"}])


def test_form_editor_page(client, manager, case):
    client.force_login(manager)
    url = f"/catalogue/p/{case.procedure.code}/cases/{case.pk}/form/"
    assert client.get(url).status_code == 200
    data = {"f-TOTAL_FORMS": "1", "f-INITIAL_FORMS": "0", "f-0-order": "1", "f-0-label": "Nơi sinh",
            "f-0-key": "", "f-0-kind": "text", "f-0-required": "on", "f-0-prefill": ""}
    assert client.post(url, data).status_code == 302
    assert case.form_fields.get().key == "noi_sinh"
