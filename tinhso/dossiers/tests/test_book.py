"""The tracking book (form 07): filters and the Excel export."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tinhso.agencies.models import Agency
from tinhso.dossiers import actions
from tinhso.dossiers.actions import ComponentInput
from tinhso.dossiers.book import COLUMNS, book_queryset, book_xlsx
from tinhso.dossiers.models import Status
from tinhso.dossiers.tests.conftest import APPLICANT, pdf, receive, vn


@pytest.fixture
def book(world):
    """Four dossiers of the Vị Thanh centre over three days and one of Ninh Kiều."""
    w = world
    w.first = receive(w, at=vn(2026, 3, 2, 8, 0))
    d = actions.forward(acting_user=w.clerk, dossier=w.first, receiver=w.specialist, at=vn(2026, 3, 2, 9, 0))
    d = actions.forward(acting_user=w.specialist, dossier=d, receiver=w.head, at=vn(2026, 3, 2, 10, 0))
    d = actions.forward(acting_user=w.head, dossier=d, receiver=w.leader, at=vn(2026, 3, 2, 11, 0))
    d = actions.finish(acting_user=w.leader, dossier=d, result_summary="Cấp Giấy chứng nhận kết hôn",
                       at=vn(2026, 3, 3, 9, 0), result_files=[pdf()])
    w.first = actions.return_result(acting_user=w.clerk, dossier=d, method="counter", returned_to="Nguyễn Văn An",
                                    at=vn(2026, 3, 3, 14, 15))
    w.second = receive(w, at=vn(2026, 3, 3, 16, 59))
    w.late_night = receive(w, at=vn(2026, 3, 4, 23, 30))  # after closing, still received on the 4th
    comps = [ComponentInput(required_component_id=w.case.components.get(order=1).pk, files=[pdf()])]
    applicant = dict(APPLICANT, owner_name="=HYPERLINK(\"http://x\")", owner_phone="0900000000")
    w.online = actions.submit_online(acting_user=None, receiving_agency=w.centre, case=w.case,
                                     applicant=applicant, components=comps, area=w.commune,
                                     at=vn(2026, 3, 4, 20, 0))  # never received: booked by submission
    w.foreign = actions.receive_at_counter(
        acting_user=w.outsider, receiving_agency=w.other_centre, case=w.case, applicant=dict(APPLICANT),
        components=[ComponentInput(required_component_id=w.case.components.get(order=1).pk, originals=1)],
        area=w.other_committee.unit, competent_agency=w.other_committee, at=vn(2026, 3, 3, 8, 0))
    return w


def _mine(w):
    return Agency.objects.filter(pk__in=[w.centre.pk, w.committee.pk])


def codes(qs):
    return [d.code for d in qs]


def test_book_covers_the_users_agencies_in_reception_order(book):
    w = book
    assert codes(book_queryset(agencies=_mine(w))) == [w.first.code, w.second.code, w.online.code, w.late_night.code]
    # Seen by the competent agency alone as well.
    assert w.first.code in codes(book_queryset(agencies=Agency.objects.filter(pk=w.committee.pk)))
    assert codes(book_queryset(agencies=Agency.objects.filter(pk=w.other_centre.pk))) == [w.foreign.code]


def test_book_filters(book):
    w = book
    mine = _mine(w)
    assert codes(book_queryset(agencies=mine, date_from=datetime.date(2026, 3, 3),
                               date_to=datetime.date(2026, 3, 3))) == [w.second.code]
    assert codes(book_queryset(agencies=mine, date_from=datetime.date(2026, 3, 4))) == [w.online.code,
                                                                                       w.late_night.code]
    assert codes(book_queryset(agencies=mine, date_to=datetime.date(2026, 3, 2))) == [w.first.code]
    assert codes(book_queryset(agencies=mine, status=Status.SUBMITTED)) == [w.online.code]
    assert codes(book_queryset(agencies=mine, status=[Status.RETURNED, Status.SUBMITTED])) == [w.first.code,
                                                                                              w.online.code]
    assert codes(book_queryset(agencies=mine, outcome="early")) == [w.first.code]
    assert codes(book_queryset(agencies=mine, outcome="late")) == []
    assert codes(book_queryset(agencies=mine, procedure=w.case.procedure)).__len__() == 4
    assert codes(book_queryset(agencies=mine, procedure=w.case.procedure_id + 999)) == []
    assert codes(book_queryset(agencies=mine, q=" 260303-0001 ")) == [w.second.code]
    assert codes(book_queryset(agencies=mine, q="")) == codes(book_queryset(agencies=mine))


def test_book_xlsx_round_trips(book, django_assert_max_num_queries):
    w = book
    qs = book_queryset(agencies=_mine(w))
    with django_assert_max_num_queries(2):
        data = book_xlsx(qs)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [name for name, _ in COLUMNS]
    assert sheet["A1"].font.bold and sheet["B1"].font.bold
    assert sheet.column_dimensions["D"].width == 45
    assert len(rows) == 5
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["STT"] == 1 and first["Mã hồ sơ"] == w.first.code and first["Số vào sổ"] == 1
    assert first["Số bộ hồ sơ"] == 1
    assert first["Chuyển cơ quan giải quyết"] == datetime.datetime(2026, 3, 2, 9, 0)  # to the commune committee
    assert first["Thủ tục"] == "Thủ tục đăng ký kết hôn" and first["Chủ hồ sơ"] == "Nguyễn Văn An"
    assert first["Địa chỉ"] == "Khu vực 3, Phường Vị Thanh, Thành phố Cần Thơ" and first["Điện thoại"] == "0912345678"
    assert first["Ngày nhận"] == datetime.datetime(2026, 3, 2, 8, 0)  # Vietnam wall-clock time, naive
    assert first["Hẹn trả"] == datetime.datetime(2026, 3, 5, 8, 0)
    assert first["Nhận kết quả từ cơ quan giải quyết"] == datetime.datetime(2026, 3, 3, 9, 0)
    assert first["Ngày trả"] == datetime.datetime(2026, 3, 3, 14, 15)
    assert first["Trạng thái"] == "Đã trả kết quả" and first["Kết quả (trước/đúng/quá hạn)"] == "Trước hạn"
    assert first["Cơ quan giải quyết"] == "UBND Phường Vị Thanh"
    assert "Người nhận kết quả: Nguyễn Văn An" in first["Ghi chú"]
    assert sheet.cell(row=2, column=10).number_format == "dd/mm/yyyy hh:mm"
    assert sheet.cell(row=2, column=10).is_date
    online = dict(zip(header, rows[3], strict=True))
    assert online["Ngày nhận"] == datetime.datetime(2026, 3, 4, 20, 0) and online["Hẹn trả"] is None
    assert online["Trạng thái"] == "Mới nộp trực tuyến, chờ tiếp nhận"
    # A name typed like a formula stays a text cell, exactly as typed: a spreadsheet never runs it.
    assert online["Chủ hồ sơ"] == "=HYPERLINK(\"http://x\")"
    assert sheet.cell(row=4, column=5).data_type == "s"
    late = dict(zip(header, rows[4], strict=True))
    assert late["Ngày nhận"] == datetime.datetime(2026, 3, 4, 23, 30)


def test_book_export_query_count_does_not_grow_with_rows(book):
    w = book
    for hour in range(8, 11):
        receive(w, at=vn(2026, 3, 5, hour, 0))
    with CaptureQueriesContext(connection) as queries:
        book_xlsx(book_queryset(agencies=_mine(w)))
    assert len(queries) <= 2


def test_empty_book_has_the_header_only():
    from tinhso.dossiers.models import Dossier

    data = book_xlsx(Dossier.objects.none())
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert len(rows) == 1 and rows[0][2] == "Mã hồ sơ"
