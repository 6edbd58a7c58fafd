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
