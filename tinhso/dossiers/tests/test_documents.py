"""Forms 01-06 as PDF, and the control slip rows behind form 06.

The PDF text is read back with `pdftotext` (Debian package poppler-utils);
without it the text assertions are skipped, the rest still runs."""

import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tinhso.core.errors import InvalidInput
from tinhso.dossiers import actions
from tinhso.dossiers.documents import FontNotFound, available_forms, find_fonts, qr_payload, render_form
from tinhso.dossiers.documents import fonts as fonts_module
from tinhso.dossiers.documents import layout
from tinhso.dossiers.slip import control_slip_rows
from tinhso.dossiers.tests.conftest import APPLICANT, pdf, receive, vn

BASE = "https://dichvucong.cantho.gov.vn"


def text_of(data: bytes) -> str:
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def _step(w, order):
    return w.case.steps.get(order=order)


def _processing(w, **kw):
    d = receive(w, **kw)
    return actions.forward(acting_user=w.clerk, dossier=d, receiver=w.specialist, at=vn(2026, 3, 2, 9, 0))


# -- QR payload and fonts -----------------------------------------------------------------------------------------


def test_qr_payload_is_the_public_lookup_url(world):
    d = receive(world)
    assert qr_payload(d, BASE) == f"{BASE}/tra-cuu/?ma=001.31321.H13-260302-0001"
    assert qr_payload(d, BASE + "/") == f"{BASE}/tra-cuu/?ma=001.31321.H13-260302-0001"
    d.code = "A B&C"
    assert qr_payload(d, BASE).endswith("?ma=A%20B%26C")


def test_the_qr_code_on_the_form_encodes_the_lookup_url(world, monkeypatch):
    seen = []
    original = layout.QRCode.__init__

    def spy(self, payload, *args, **kwargs):
        seen.append(payload)
        original(self, payload, *args, **kwargs)

    monkeypatch.setattr(layout.QRCode, "__init__", spy)
    d = receive(world)
    render_form(d, "01", base_url=BASE)
    assert seen == [qr_payload(d, BASE)]
    # The flowable's matrix is segno's encoding of exactly that payload.
    import segno

    qr = layout.QRCode(seen[0])
    assert [bytes(r) for r in qr.qr.matrix] == [bytes(r) for r in segno.make(seen[0], error="m").matrix]


def test_font_lookup_prefers_the_override_and_explains_a_missing_font(settings, tmp_path, monkeypatch):
    found = find_fonts()
    assert found.regular.endswith(("DejaVuSans.ttf", "NotoSans-Regular.ttf"))
    monkeypatch.setattr(fonts_module, "SYSTEM_DIRS", [])
    settings.TINHSO_PDF_FONT_DIR = str(tmp_path)
    with pytest.raises(FontNotFound) as info:
        find_fonts()
    assert "fonts-dejavu-core" in str(info.value)
    shutil.copy(found.regular, tmp_path / "NotoSans-Regular.ttf")
    assert find_fonts().regular == str(tmp_path / "NotoSans-Regular.ttf")
    assert find_fonts().bold == str(tmp_path / "NotoSans-Regular.ttf")  # missing faces fall back to regular


# -- form 01 ------------------------------------------------------------------------------------------------------


def test_form_01_receipt_and_appointment(world):
    d = receive(world)
    data = render_form(d, "01", base_url=BASE)
    text = text_of(data)
    for expected in ["UBND PHƯỜNG VỊ THANH", "TRUNG TÂM PVHCC PHƯỜNG VỊ THANH",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Cần Thơ, ngày 02 tháng 03 năm 2026",
                     "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "001.31321.H13-260302-0001",
                     "Nguyễn Văn An", "Số định danh cá nhân/CCCD: 092095001234", "0912345678", "Khu vực 3, Phường Vị Thanh, Thành phố Cần Thơ",
                     "Thủ tục đăng ký kết hôn", "Đăng ký kết hôn", "Tờ khai đăng ký kết hôn",
                     "3 ngày làm việc", "08 giờ 00 phút, ngày 02/03/2026",
                     "hẹn trả kết quả lúc 08 giờ 00 ngày 05/03/2026", "Đoàn Thị Hồng",
                     "NGƯỜI TIẾP NHẬN HỒ SƠ", f"{BASE}/tra-cuu/?ma=001.31321.H13-260302-0001"]:
        assert expected in text, expected
    assert "Thành phố Cần Thơ, ngày" not in text


def test_form_01_needs_a_received_dossier(world):
    from tinhso.dossiers.actions import ComponentInput

    comps = [ComponentInput(required_component_id=world.case.components.get(order=1).pk, files=[pdf()])]
    d = actions.submit_online(acting_user=None, receiving_agency=world.centre, case=world.case,
                              applicant=dict(APPLICANT), components=comps, area=world.commune,
                              at=vn(2026, 3, 2, 20, 0))
    for form in ("01", "02", "03", "04", "05", "06"):
        with pytest.raises(InvalidInput) as info:
            render_form(d, form, base_url=BASE)
        assert info.value.code == "form_not_available"
    assert available_forms(d) == []
    d = actions.accept_online(acting_user=world.clerk, dossier=d, at=vn(2026, 3, 3, 7, 30))
    assert "Trực tuyến" in text_of(render_form(d, "01", base_url=BASE))
    assert available_forms(d) == ["01", "06"]


def test_unknown_form_is_refused(world):
    with pytest.raises(InvalidInput) as info:
        render_form(receive(world), "09", base_url=BASE)
    assert info.value.code == "unknown_form"


# -- forms 02 to 05 -----------------------------------------------------------------------------------------------


def test_form_02_supplement_request(world):
    import datetime

    d = _processing(world)
    with pytest.raises(InvalidInput) as info:
        render_form(d, "02", base_url=BASE)
    assert info.value.code == "form_not_available"
    d = actions.request_supplement(acting_user=world.specialist, dossier=d,
                                   reason="Bổ sung bản sao Căn cước của người kết hôn\nBổ sung giấy xác nhận cư trú",
                                   deadline=datetime.date(2026, 3, 16), at=vn(2026, 3, 2, 10, 0))
    text = text_of(render_form(d, "02", base_url=BASE))
    for expected in ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Bổ sung bản sao Căn cước của người kết hôn",
                     "Bổ sung giấy xác nhận cư trú", "trước ngày 16/03/2026", "Thạch Văn Sang",
                     "Nguyễn Văn An", d.code]:
        assert expected in text, expected
    assert "Hạn bổ sung:" not in text
    # Still printable after the supplement is accepted (it is part of the file).
    d = actions.submit_supplement(acting_user=world.clerk, dossier=d, files=[pdf("cccd.pdf")],
                                  at=vn(2026, 3, 3, 14, 0))
    d = actions.accept_supplement(acting_user=world.clerk, dossier=d, at=vn(2026, 3, 3, 15, 0))
    assert "Bổ sung giấy xác nhận cư trú" in text_of(render_form(d, "02", base_url=BASE))


def test_form_03_refusal(world):
    from tinhso.dossiers.actions import ComponentInput

    d = receive(world)
    with pytest.raises(InvalidInput):
        render_form(d, "03", base_url=BASE)
    comps = [ComponentInput(required_component_id=world.case.components.get(order=1).pk, files=[pdf()])]
    online = actions.submit_online(acting_user=None, receiving_agency=world.centre, case=world.case,
                                   applicant=dict(APPLICANT), components=comps, area=world.commune,
                                   at=vn(2026, 3, 2, 20, 0))
    online = actions.refuse_online(acting_user=world.clerk, dossier=online,
                                   reason="Không thuộc thẩm quyền giải quyết của phường", at=vn(2026, 3, 3, 8, 0))
    text = text_of(render_form(online, "03", base_url=BASE))
    for expected in ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Không thuộc thẩm quyền giải quyết của phường",
                     "ngày 03 tháng 03 năm 2026", "Đoàn Thị Hồng", online.code]:
        assert expected in text, expected
    assert available_forms(online) == ["03"]


def test_form_04_apology_with_old_and_new_appointment(world):
    d = _processing(world)
    with pytest.raises(InvalidInput):
        render_form(d, "04", base_url=BASE)
    d = actions.apologise(acting_user=world.leader, dossier=d, new_due_at=vn(2026, 3, 10, 8, 0),
                          reason="Cần xác minh thêm thông tin cư trú", at=vn(2026, 3, 4, 8, 0))
    text = text_of(render_form(d, "04", base_url=BASE))
    issued = d.events.get(action="apologise").attachments.get()  # the signed letter sent to the citizen
    with issued.file.open("rb") as handle:
        assert text_of(handle.read()).count("Cần xác minh thêm thông tin cư trú") == 1
    for expected in ["VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", "Mẫu số 04 – Thông tư số 03/2025/TT-VPCP",
                     "UBND PHƯỜNG VỊ THANH",
                     "Cần xác minh thêm thông tin cư trú", "08 giờ 00 phút, ngày 05/03/2026",
                     "08 giờ 00 phút, ngày 10/03/2026", "ngày 04 tháng 03 năm 2026", "xin lỗi"]:
        assert expected in text, expected
    assert "Hẹn cũ" not in text


def test_form_05_stop_notice(world):
    d = _processing(world)
    with pytest.raises(InvalidInput):
        render_form(d, "05", base_url=BASE)
    d = actions.stop(acting_user=world.leader, dossier=d, reason="Hồ sơ có dấu hiệu giả mạo giấy tờ",
                     at=vn(2026, 3, 3, 9, 0))
    text = text_of(render_form(d, "05", base_url=BASE))
    for expected in ["THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Hồ sơ có dấu hiệu giả mạo giấy tờ", "Lâm Quốc Việt",
                     "UBND PHƯỜNG VỊ THANH", d.code]:
        assert expected in text, expected
    assert available_forms(d) == ["01", "05", "06"]


# -- control slip (form 06) ---------------------------------------------------------------------------------------


def _journey(w):
    """Received Mon 2/3 08:00 (step 1 due 14:00), forwarded 09:00: same day -> on time; the specialist
    (due Tue 3/3 09:00) hands over Tue 10:30 -> late; the head and the leader on time; the clerk returns
    the result."""
    d = receive(w, at=vn(2026, 3, 2, 8, 0))
    d = actions.forward(acting_user=w.clerk, dossier=d, receiver=w.specialist, at=vn(2026, 3, 2, 9, 0))
    d = actions.forward(acting_user=w.specialist, dossier=d, receiver=w.head, at=vn(2026, 3, 3, 10, 30),
                        comment="Hồ sơ hợp lệ")
    d = actions.forward(acting_user=w.head, dossier=d, receiver=w.leader, at=vn(2026, 3, 3, 11, 0))
    d = actions.finish(acting_user=w.leader, dossier=d, result_summary="Cấp Giấy chứng nhận kết hôn",
                       at=vn(2026, 3, 3, 16, 0), result_files=[pdf()])
    return actions.return_result(acting_user=w.clerk, dossier=d, method="counter", returned_to="Nguyễn Văn An",
                                 at=vn(2026, 3, 4, 9, 0))


def test_control_slip_rows_mark_early_on_time_and_late_steps(world, django_assert_max_num_queries):
    d = _journey(world)
    with django_assert_max_num_queries(2):
        rows = control_slip_rows(d)
    assert [r["action"] for r in rows] == ["receive", "forward", "forward", "forward", "finish", "return_result"]
    receive_row, to_specialist, to_head, to_leader, finished, returned = rows
    assert receive_row["due_at"] is None and receive_row["outcome"] is None and receive_row["outcome_label"] == ""
    assert receive_row["step_name"] == "Tiếp nhận hồ sơ"
    assert (receive_row["giver"], receive_row["giver_agency"]) == ("Đoàn Thị Hồng", "Trung tâm PVHCC Phường Vị Thanh")
    assert to_specialist["step_name"] == "Tiếp nhận hồ sơ"
    assert to_specialist["next_step_name"] == "Thẩm định hồ sơ"
    assert to_specialist["due_at"] == vn(2026, 3, 2, 14, 0)
    assert to_specialist["outcome"] == "on_time"  # same day, before 14:00
    assert (to_specialist["receiver"], to_specialist["receiver_agency"]) == ("Thạch Văn Sang", "UBND Phường Vị Thanh")
    assert to_specialist["at"] == vn(2026, 3, 2, 9, 0)
    # The specialist's step was due Tue 09:00 and ended 10:30.
    assert to_head["step_name"] == "Thẩm định hồ sơ"
    assert to_head["due_at"] == vn(2026, 3, 3, 9, 0)
    assert (to_head["outcome"], to_head["outcome_label"]) == ("late", "Quá hạn")
    assert (to_head["giver"], to_head["giver_agency"]) == ("Thạch Văn Sang", "UBND Phường Vị Thanh")
    assert to_head["note"] == "Hồ sơ hợp lệ"
    # The head's step (4 working hours from Tue 10:30, due Tue 16:00) ended at 11:00 -> on time.
    assert to_leader["outcome"] == "on_time"
    # The leader's step (Tue 11:00 + 4 working hours = Tue 17:00) finished at 16:00 -> on time.
    assert (finished["due_at"], finished["outcome"]) == (vn(2026, 3, 3, 17, 0), "on_time")
    assert (returned["receiver"], returned["receiver_agency"]) == ("Nguyễn Văn An (chủ hồ sơ)", "")
    assert returned["giver"] == "Đoàn Thị Hồng"


def test_control_slip_marks_an_early_step(world):
    d = receive(world, at=vn(2026, 3, 2, 8, 0))
    d = actions.forward(acting_user=world.clerk, dossier=d, receiver=world.specialist, at=vn(2026, 3, 2, 9, 0))
    # The specialist's step (8 working hours, due Tue 3/3 09:00) done on Monday: a day ahead.
    d = actions.forward(acting_user=world.specialist, dossier=d, receiver=world.head, at=vn(2026, 3, 2, 15, 0))
    d = actions.send_back(acting_user=world.head, dossier=d, to_step=_step(world, 2), receiver=world.specialist,
                          comment="Kiểm tra lại chữ ký", at=vn(2026, 3, 2, 16, 0))
    d = actions.request_supplement(acting_user=world.specialist, dossier=d, reason="Bổ sung bản sao CCCD",
                                   at=vn(2026, 3, 2, 16, 30))
    rows = control_slip_rows(d)
    assert [r["action"] for r in rows] == ["receive", "forward", "forward", "send_back", "request_supplement"]
    assert rows[2]["outcome"] == "early" and rows[2]["outcome_label"] == "Trước hạn"
    assert rows[3]["note"] == "Kiểm tra lại chữ ký" and rows[3]["next_step_name"] == "Thẩm định hồ sơ"
    assert rows[4]["receiver"] == "Nguyễn Văn An (chủ hồ sơ)"


def test_control_slip_queries_do_not_grow_with_the_history(world):
    d = _journey(world)
    d.receiving_agency  # noqa: B018 - loaded, as render_form does
    with CaptureQueriesContext(connection) as queries:
        control_slip_rows(d)
    assert len(queries) == 1


def test_form_06_control_slip_pdf(world):
    d = _journey(world)
    text = text_of(render_form(d, "06", base_url=BASE))
    for expected in ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Tên bước", "Bên giao", "Bên nhận",
                     "Hạn xử lý", "Quá hạn", "Đúng hạn", "Thẩm định hồ sơ", "Thạch Văn Sang", "Phạm Thị Lan",
                     "Lâm Quốc Việt", "Hồ sơ hợp lệ", "10:30", "03/03/2026", "Nguyễn Văn An", "Cán bộ một cửa", d.code]:
        assert expected in text, expected
    assert available_forms(d) == ["01", "06"]


def test_form_06_long_history_spans_pages(world):
    d = receive(world, at=vn(2026, 3, 2, 8, 0))
    d = actions.forward(acting_user=world.clerk, dossier=d, receiver=world.specialist, at=vn(2026, 3, 2, 9, 0))
    for day in range(2, 14):
        d = actions.forward(acting_user=world.specialist, dossier=d, receiver=world.head, at=vn(2026, 3, day, 10, 0),
                            comment="Trình xem xét " * 8)
        d = actions.send_back(acting_user=world.head, dossier=d, to_step=_step(world, 2), receiver=world.specialist,
                              comment="Đề nghị thẩm định lại " * 6, at=vn(2026, 3, day, 11, 0))
    text = text_of(render_form(d, "06", base_url=BASE))
    assert "Trang 2" in text and "Trả lại bước trước" in text and "Tên bước" in text


def test_forms_follow_the_edition_in_force_on_their_date(world):
    """Circular 03/2025 renamed form 04 and renumbered the control slip; a dossier of 2024 prints the 2018 forms."""
    w = world
    old = actions.forward(acting_user=w.clerk, dossier=receive(w, at=vn(2024, 3, 4, 8, 0)), receiver=w.specialist,
                          at=vn(2024, 3, 4, 9, 0))
    old = actions.apologise(acting_user=w.leader, dossier=old, new_due_at=vn(2024, 3, 14, 8, 0), reason="Chậm",
                            at=vn(2024, 3, 5, 8, 0))
    text = text_of(render_form(old, "04", base_url=BASE))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text and "Thông tư số 01/2018/TT-VPCP" in text
    assert "Mẫu số 05" in text_of(render_form(old, "06", base_url=BASE))  # the control slip was 05
    new = receive(w, at=vn(2026, 3, 2, 8, 0))
    assert "Mẫu số 06 – Thông tư số 03/2025/TT-VPCP" in text_of(render_form(new, "06", base_url=BASE))


def test_form_01_gives_the_sets_the_competent_agency_the_delivery_and_the_book_entry(world):
    w = world
    d = receive(w, at=vn(2026, 3, 2, 8, 0))
    d2 = actions.receive_at_counter(acting_user=w.clerk, receiving_agency=w.centre, case=w.case,
                                    applicant={**APPLICANT, "sets": 2, "delivery_method": "post"},
                                    components=[actions.ComponentInput(
                                        required_component_id=w.case.components.get(order=1).pk, originals=1)],
                                    area=w.commune, at=vn(2026, 3, 2, 9, 0))
    assert (d.book_number, d2.book_number) == (1, 2)
    text = text_of(render_form(d2, "01", base_url=BASE))
    for expected in ["02 (bộ)", "Trả qua bưu chính công ích", "Cơ quan giải quyết: UBND Phường Vị Thanh",
                     "Vào Sổ theo dõi hồ sơ của bộ phận tiếp nhận và trả kết quả, số 2"]:
        assert expected in text, expected
    with pytest.raises(InvalidInput):
        actions.receive_at_counter(acting_user=w.clerk, receiving_agency=w.centre, case=w.case,
                                   applicant={**APPLICANT, "sets": 0}, components=[], area=w.commune)
