import copy
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tinhso.audit.models import AuditEvent
from tinhso.catalogue.actions import import_catalogue
from tinhso.catalogue.excel import workbook_bytes
from tinhso.catalogue.exporting import export_catalogue
from tinhso.catalogue.models import Procedure, ProcessStep, StepMove
from tinhso.catalogue.tests.factories import small_catalogue
from tinhso.catalogue.uploads import import_upload
from tinhso.core.errors import InvalidInput, PermissionDenied

pytestmark = pytest.mark.django_db


def test_import_creates_everything_and_export_gives_the_same_data(demo_agencies, manager):
    data = small_catalogue()
    result = import_catalogue(data, acting_user=manager)
    assert result == {"created": 2, "updated": 0, "unchanged": 0, "total": 2}
    exported = export_catalogue()
    assert exported["procedures"] == data["procedures"]
    assert exported["fields"] == data["fields"]
    assert StepMove.objects.count() == 6


def test_json_round_trip_export_import_changes_nothing(catalogue, manager):
    before = export_catalogue()
    result = import_catalogue(json.loads(json.dumps(before)), acting_user=manager)
    assert result["unchanged"] == 2 and result["updated"] == 0
    assert export_catalogue() == before


def test_excel_round_trip(catalogue, manager):
    before = export_catalogue()
    upload = SimpleUploadedFile("danh-muc.xlsx", workbook_bytes(before))
    result = import_upload(upload, acting_user=manager)
    assert result["unchanged"] == 2
    Procedure.objects.all().delete()
    upload = SimpleUploadedFile("danh-muc.xlsx", workbook_bytes(before))
    assert import_upload(upload, acting_user=manager)["created"] == 2
    assert export_catalogue() == before


def test_update_by_code_replaces_nested_parts_and_is_audited(catalogue, manager):
    data = small_catalogue()
    data["procedures"][0]["name"] = "Thủ tục đăng ký khai sinh (sửa)"
    data["procedures"][0]["cases"][0]["steps"].pop()
    data["procedures"][0]["cases"][0]["moves"] = [{"from": 1, "to": 2, "kind": "forward"}]
    result = import_catalogue(data, acting_user=manager)
    assert result == {"created": 0, "updated": 1, "unchanged": 1, "total": 2}
    p = Procedure.objects.get(code="1.001193")
    assert p.name.endswith("(sửa)")
    assert ProcessStep.objects.filter(case__procedure=p).count() == 2
    event = AuditEvent.objects.filter(action="catalogue.procedure.import_update").get()
    assert event.actor == manager and "name" in event.changes["changed"]


def test_import_with_errors_imports_nothing_and_lists_every_bad_row(demo_agencies, manager):
    data = small_catalogue()
    good = copy.deepcopy(data["procedures"][0])
    good["code"] = "1.000894"
    data["procedures"].append(good)
    p0 = data["procedures"][0]
    p0["field"] = "KHONGCO"
    p0["cases"][0]["processing_time"] = "ba ngày"
    p0["cases"][0]["time_unit"] = "weeks"
    p0["cases"][0]["steps"][0]["role"] = "giam_doc"
    p0["cases"][0]["fees"][0]["valid_from"] = "31/02/2025"
    p1 = data["procedures"][1]
    p1["agencies"][0]["agency"] = "000.99.99.H13"
    p1["cases"][0]["fees"][0]["amount"] = -5
    data["procedures"].append(copy.deepcopy(p1))  # duplicate code
    with pytest.raises(InvalidInput) as exc:
        import_catalogue(data, acting_user=manager)
    fields = {e["field"] for e in exc.value.errors}
    assert {"procedures[0].field", "procedures[0].cases[0].processing_time", "procedures[0].cases[0].time_unit",
            "procedures[0].cases[0].steps[0].role", "procedures[0].cases[0].fees[0].valid_from",
            "procedures[1].agencies[0].agency", "procedures[1].cases[0].fees[0].amount",
            "procedures[3].code"} <= fields
    assert all(e["message"] for e in exc.value.errors)
    assert Procedure.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="catalogue").exists()


def test_steps_longer_than_processing_time_are_refused(demo_agencies, manager):
    data = small_catalogue()
    data["procedures"][0]["cases"][0]["processing_time"] = 4
    data["procedures"][0]["cases"][0]["time_unit"] = "working_hours"
    with pytest.raises(InvalidInput) as exc:
        import_catalogue(data, acting_user=manager)
    assert [e["field"] for e in exc.value.errors] == ["procedures[0].cases[0].steps"]
    assert "vượt thời hạn" in exc.value.errors[0]["message"]


def test_online_and_legacy_levels_must_agree_and_one_derives_the_other(demo_agencies, manager):
    data = small_catalogue()
    data["procedures"][0]["legacy_level"] = 3
    with pytest.raises(InvalidInput) as exc:
        import_catalogue(data, acting_user=manager)
    assert exc.value.errors[0]["field"] == "procedures[0].legacy_level"
    data["procedures"][0].pop("online_level")
    import_catalogue(data, acting_user=manager)
    assert Procedure.objects.get(code="1.001193").online_level == "partial"


def test_excel_errors_name_sheet_and_row(catalogue, manager):
    content = workbook_bytes(export_catalogue())
    wb = load_workbook(io.BytesIO(content))
    fees = wb["Fees"]
    amount_col = [c.value for c in fees[1]].index("amount") + 1
    fees.cell(row=3, column=amount_col, value="nhiều tiền")
    wb["Steps"].append(["9.999999", "1", 1, "Bước lạc", "clerk", None, None, 1, "working_hours", None, None])
    cases = wb["Cases"]
    unit_col = [c.value for c in cases[1]].index("time_unit") + 1
    cases.cell(row=2, column=unit_col, value="tuần")
    out = io.BytesIO()
    wb.save(out)
    Procedure.objects.update(name="Tên cũ")
    with pytest.raises(InvalidInput) as exc:
        import_upload(SimpleUploadedFile("dm.xlsx", out.getvalue()), acting_user=manager)
    errors = {e["field"]: e["message"] for e in exc.value.errors}
    assert 'Sheet "Fees" row 3' in errors and errors['Sheet "Fees" row 3'].startswith("Cột amount")
    assert 'Sheet "Steps" row 8' in errors
    assert 'Sheet "Cases" row 2' in errors and "time_unit" in errors['Sheet "Cases" row 2']
    assert set(Procedure.objects.values_list("name", flat=True)) == {"Tên cũ"}


@pytest.mark.parametrize("name,content,expected", [
    ("anh.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "Excel"),
    ("dm.json", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "JSON"),
    ("dm.json", b"[1, 2]", "đối tượng"),
    ("dm.xlsx", b"PK\x03\x04not really a zip", "Excel"),
    ("dm.json", b"", "rỗng"),
])
def test_fake_or_broken_files_are_refused(demo_agencies, manager, name, content, expected):
    with pytest.raises(InvalidInput) as exc:
        import_upload(SimpleUploadedFile(name, content), acting_user=manager)
    assert expected in exc.value.message
    assert exc.value.errors[0]["field"] == "file"
    assert Procedure.objects.count() == 0


def test_too_large_file_is_refused(demo_agencies, manager, settings):
    settings.TINHSO_IMPORT_MAX_BYTES = 1000
    with pytest.raises(InvalidInput) as exc:
        import_upload(SimpleUploadedFile("dm.json", b" " * 1001), acting_user=manager)
    assert "quá lớn" in exc.value.message


def test_only_managers_import_and_none_only_for_the_system(demo_agencies, specialist):
    with pytest.raises(PermissionDenied):
        import_catalogue(small_catalogue(), acting_user=specialist)
    with pytest.raises(PermissionDenied):
        import_catalogue(small_catalogue(), acting_user=None)
    assert Procedure.objects.count() == 0


def test_competent_agencies_follow_effective_dates(catalogue, demo_agencies):
    permit = Procedure.objects.get(code="1.009794")
    before = permit.competent_agencies(datetime.date(2025, 6, 30))
    after = permit.competent_agencies(datetime.date(2025, 7, 1))
    assert list(before) == [demo_agencies["000.00.11.H13"]]
    assert list(after) == [demo_agencies["commune_committee"]]
    assert list(permit.receiving_agencies(datetime.date(2025, 7, 1))) == [demo_agencies["000.00.02.H13"]]
    assert list(Procedure.objects.competent_agency(demo_agencies["000.00.11.H13"], datetime.date(2025, 1, 1))) == [
        permit]
