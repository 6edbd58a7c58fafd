"""Import from CSV and Excel: row errors listed, good rows kept, a second import adds nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.addresses.importer import COLUMNS, import_addresses
from tinhso.addresses.models import Address
from tinhso.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

ROWS = [
    ["25", "đường Trần Hưng Đạo", "", "31135", "10.0342", "105.7811"],      # 2 good
    ["", "", "ấp 3", "xã Vị Thủy, huyện Vị Thủy, Hậu Giang", "", ""],      # 3 good: old form, recognised
    ["7", "đường Lý Tự Trọng", "", "Phường Không Có", "", ""],              # 4 unknown commune
    ["", "", "ấp Phú Lợi", "xã Phú Tân, huyện Châu Thành, Hậu Giang", "", ""],  # 5 split: ambiguous
    ["9", "đường Hòa Bình", "", "31135", "abc", "1"],                       # 6 bad point
    ["", "", "", "31135", "", ""],                                          # 7 no street or hamlet
    ["12", "duong tran hung dao", "", "31135", "", ""],                     # 8 good
]


def _csv(rows):
    out = io.StringIO()
    import csv

    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return SimpleUploadedFile("dia-chi.csv", out.getvalue().encode("utf-8"), content_type="text/csv")


def test_bad_rows_are_listed_with_their_number_good_rows_kept_and_a_reimport_adds_nothing(admin_user, real_units):
    result = import_addresses(_csv(ROWS), acting_user=admin_user)
    assert result.added == 3 and result.existing == 0
    assert [number for number, _ in result.errors] == [4, 5, 6, 7]
    reasons = dict(result.errors)
    assert "Không nhận ra" in reasons[4] and "chưa rõ" in reasons[5] and "Xã Phú Hữu" in reasons[5]
    assert "Tọa độ" in reasons[6] and "đường, phố" in reasons[7]
    old_form = Address.objects.get(hamlet="ấp 3")
    assert old_form.unit.code == "31453"
    again = import_addresses(_csv(ROWS), acting_user=admin_user)
    assert (again.added, again.existing, len(again.errors)) == (0, 3, 4)
    assert Address.objects.count() == 3


def test_an_excel_file_is_read_too(admin_user, real_units):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(COLUMNS)
    wb.active.append(["3", "đường Ngô Quyền", "", "Phường Ninh Kiều", 10.0334, 105.7859])
    data = io.BytesIO()
    wb.save(data)
    result = import_addresses(SimpleUploadedFile("a.xlsx", data.getvalue()), acting_user=admin_user)
    assert result.added == 1 and not result.errors
    assert Address.objects.get().lat == pytest.approx(10.0334)


def test_rows_outside_the_officers_commune_are_row_errors(real_units):
    from tinhso.addresses.tests.conftest import commune
    from tinhso.testing import make_agency, make_staff

    unit = commune("31135")
    agency = make_agency("000.31135.H13", "UBND Phường Ninh Kiều", unit=unit, kind="commune_committee")
    make_agency("000.31321.H13", "UBND Phường Vị Thanh", unit=commune("31321"), kind="commune_committee")
    officer = make_staff("dc", roles=[("specialist", agency)])
    result = import_addresses(_csv([["1", "đường A", "", "31135", "", ""], ["2", "đường B", "", "31321", "", ""]]),
                              acting_user=officer)
    assert result.added == 1 and [n for n, _ in result.errors] == [3]


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("x.csv", "Sai,Tiêu,Đề\n1,2,3\n".encode()),
    SimpleUploadedFile("x.xlsx", b"not a spreadsheet at all"),
    SimpleUploadedFile("x.csv", b"\xff\xfe\x00b\x00a\x00d"),
])
def test_a_wrong_file_is_refused_whole_with_a_message(admin_user, real_units, upload):
    with pytest.raises(InvalidInput) as caught:
        import_addresses(upload, acting_user=admin_user)
    assert caught.value.message and not Address.objects.exists()


def _cp1258(text: str) -> bytes:
    """Text as Excel's “CSV (Comma delimited)” writes it on a Vietnamese Windows: Windows-1258, where a letter
    with two marks is a base letter followed by a combining tone mark."""
    import unicodedata

    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = next(m for m in parts if m in "\u0300\u0301\u0303\u0309\u0323")
            out += unicodedata.normalize("NFC", parts.replace(tone, "")).encode("cp1258") + tone.encode("cp1258")
    return out


def _text(rows) -> str:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def test_a_cell_over_the_csv_limit_is_a_clear_message_not_a_crash(admin_user, real_units):
    import csv

    big = "x" * (csv.field_size_limit() + 10)  # 128 KB: the csv module raises csv.Error beyond it
    with pytest.raises(InvalidInput) as caught:
        import_addresses(_csv([["1", "đường A", "", "31135", "", ""], ["2", big, "", "31135", "", ""]]),
                         acting_user=admin_user)
    assert caught.value.code == "invalid_file" and caught.value.errors[0]["field"] == "file"
    assert "dòng 3" in caught.value.message and "128 KB" in caught.value.message
    assert not Address.objects.exists()  # the good row before it is not kept either: the file is refused whole


def test_a_quote_never_closed_names_the_row_where_it_opened(admin_user, real_units):
    text = _text([["1", "đường A", "", "31135", "", ""]]) + '2,"đường B,,31135,,\n' + ("3,đường C,,31135,,\n" * 9000)
    with pytest.raises(InvalidInput) as caught:
        import_addresses(SimpleUploadedFile("a.csv", text.encode()), acting_user=admin_user)
    assert "dòng 3" in caught.value.message and "ngoặc kép" in caught.value.message
    assert not Address.objects.exists()


@pytest.mark.parametrize("encode, line", [
    (_cp1258, 1),  # Excel on a Vietnamese Windows: the header already has Vietnamese letters
    (lambda text: text.replace("đường A", "Café").encode("utf-8").replace("Café".encode(), b"Caf\xe9"), 2),  # cp1252
])
def test_a_csv_that_is_not_utf8_is_refused_with_how_to_save_it(admin_user, real_units, encode, line):
    data = encode(_text([["1", "đường A", "", "31135", "", ""]]))
    with pytest.raises(InvalidInput) as caught:
        import_addresses(SimpleUploadedFile("dia-chi.csv", data), acting_user=admin_user)
    message = caught.value.message
    assert caught.value.code == "invalid_file" and f"dòng {line}" in message
    assert "UTF-8" in message and "CSV UTF-8 (Comma delimited)" in message
    assert not Address.objects.exists()


@pytest.mark.parametrize("name, head", [("big.csv", b"So nha,"), ("big.xlsx", b"PK\x03\x04")])
def test_a_file_over_5_mb_is_refused_before_it_is_read(admin_user, real_units, name, head):
    from tinhso.addresses.importer import MAX_BYTES

    assert MAX_BYTES == 5 * 1024 * 1024
    upload = SimpleUploadedFile(name, head + b"x" * MAX_BYTES)
    with pytest.raises(InvalidInput) as caught:
        import_addresses(upload, acting_user=admin_user)
    assert caught.value.code == "invalid_file" and "quá lớn" in caught.value.message and "5 MB" in caught.value.message


def test_the_type_is_decided_by_the_content_not_the_name(admin_user, real_units):
    """A CSV named .xlsx is read as CSV; a PDF named .csv is refused."""
    result = import_addresses(SimpleUploadedFile("dia-chi.xlsx", _text([["1", "đường A", "", "31135", "", ""]])
                                                 .encode()), acting_user=admin_user)
    assert result.added == 1
    with pytest.raises(InvalidInput, match="XLSX, CSV"):
        import_addresses(SimpleUploadedFile("dia-chi.csv", b"%PDF-1.7\n" + b"x" * 100), acting_user=admin_user)


def test_the_import_page_answers_a_bad_file_with_the_message(client, admin_user, real_units):
    import csv

    client.force_login(admin_user)
    big = "x" * (csv.field_size_limit() + 10)
    response = client.post("/dia-chi/quan-ly/nhap/", {"file": _csv([["2", big, "", "31135", "", ""]])})
    assert response.status_code == 422
    assert "Tệp CSV không đọc được từ dòng 2" in response.content.decode()
    response = client.post("/dia-chi/quan-ly/nhap/", {
        "file": SimpleUploadedFile("a.csv", _cp1258(_text([["1", "đường A", "", "31135", "", ""]])))})
    assert response.status_code == 422 and "CSV UTF-8 (Comma delimited)" in response.content.decode()
    assert not Address.objects.exists()
