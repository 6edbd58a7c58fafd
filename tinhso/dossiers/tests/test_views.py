import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.audit.models import AuditEvent
from tinhso.dossiers import actions
from tinhso.dossiers.models import Dossier, StagedUpload, Status
from tinhso.dossiers.tests.conftest import PDF, receive


def _form(w, **extra):
    comp = w.case.components.get(order=1)
    data = {"case": w.case.pk, "token": "tok-1", "agency": w.centre.pk, "owner_name": "Nguyễn Văn An",
            "owner_id_type": "cccd", "owner_id_number": "092095001234", "owner_phone": "0912345678",
            "owner_address": "Khu vực 3", f"received_{comp.pk}": "on", f"originals_{comp.pk}": "1",
            f"copies_{comp.pk}": "0"}
    data.update(extra)
    return data, comp


def test_counter_reception_page_creates_the_dossier(client, world):
    client.force_login(world.clerk)
    assert "Đăng ký kết hôn" in client.get(f"/dossiers/receive/?case={world.case.pk}").content.decode()
    data, comp = _form(world)
    data[f"component_{comp.pk}"] = SimpleUploadedFile("to-khai.pdf", PDF)
    response = client.post("/dossiers/receive/", data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dossiers/{dossier.code}/"
    assert dossier.files.get().original_name == "to-khai.pdf"
    assert not StagedUpload.objects.exists()
    # the same form posted again (double click) creates nothing new
    client.post("/dossiers/receive/", data)
    assert Dossier.objects.count() == 1


def test_bad_input_keeps_what_was_typed_and_uploaded(client, world):
    client.force_login(world.clerk)
    data, comp = _form(world, owner_name="", owner_phone="abc")
    data[f"component_{comp.pk}"] = SimpleUploadedFile("to-khai.pdf", PDF)
    html = client.post("/dossiers/receive/", data).content.decode()
    assert "Trường này là bắt buộc" in html or "This field is required" in html
    assert "Số điện thoại không hợp lệ." in html
    assert 'value="092095001234"' in html and "to-khai.pdf (đã giữ lại)" in html
    assert Dossier.objects.count() == 0
    data.update(owner_name="Nguyễn Văn An", owner_phone="0912345678")
    del data[f"component_{comp.pk}"]
    assert client.post("/dossiers/receive/", data).status_code == 302
    assert Dossier.objects.get().files.get().original_name == "to-khai.pdf"


def test_a_file_that_is_not_what_its_name_says_is_refused(client, world):
    client.force_login(world.clerk)
    data, comp = _form(world)
    data[f"component_{comp.pk}"] = SimpleUploadedFile("to-khai.pdf", b"MZ\x90\x00 this is an exe")
    html = client.post("/dossiers/receive/", data).content.decode()
    assert "không đúng định dạng cho phép" in html
    assert Dossier.objects.count() == 0 and not StagedUpload.objects.exists()


def test_oversized_upload_is_refused(client, world, settings):
    settings.TINHSO_UPLOAD_MAX_BYTES = 1024
    client.force_login(world.clerk)
    data, comp = _form(world)
    data[f"component_{comp.pk}"] = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)
    assert "quá lớn" in client.post("/dossiers/receive/", data).content.decode()
    assert Dossier.objects.count() == 0


def test_detail_shows_allowed_actions_and_logs_personal_data_access(client, world):
    d = receive(world)
    client.force_login(world.clerk)
    html = client.get(f"/dossiers/{d.code}/").content.decode()
    assert "Chuyển xử lý" in html and "Nguyễn Văn An" in html and "Thẩm định hồ sơ" in html
    assert "Hoàn thành, có kết quả" not in html
    assert AuditEvent.objects.filter(action="dossiers.viewed", actor=world.clerk, personal_data=True).exists()


def test_staff_of_another_agency_cannot_see_or_act(client, world):
    d = receive(world)
    client.force_login(world.outsider)
    assert client.get(f"/dossiers/{d.code}/").status_code == 404
    assert client.post(f"/dossiers/{d.code}/act/forward/", {"version": d.version}).status_code == 404
    assert d.code not in client.get("/dossiers/?tab=all").content.decode()


def test_forward_through_the_page_and_a_stale_form_is_told_to_reload(client, world):
    d = receive(world)
    client.force_login(world.clerk)
    response = client.post(f"/dossiers/{d.code}/act/forward/", {"version": d.version, "to_step": 2,
                                                                "receiver_2": world.specialist.pk})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.current_handler == world.specialist and d.status == Status.PROCESSING
    html = client.post(f"/dossiers/{d.code}/act/request_supplement/",
                       {"version": d.version - 1, "reason": "x"}).content.decode()
    assert "vừa được người khác cập nhật" in html
    client.force_login(world.specialist)
    assert d.code in client.get("/dossiers/?tab=todo").content.decode()


def test_invalid_action_input_is_shown_next_to_the_form(client, world):
    d = receive(world)
    d = actions.forward(acting_user=world.clerk, dossier=d, receiver=world.specialist)
    client.force_login(world.specialist)
    html = client.post(f"/dossiers/{d.code}/act/request_payment/", {"version": d.version, "amount": "-5"}).content.decode()
    assert "errorlist" in html or "Dữ liệu chưa hợp lệ" in html
    d.refresh_from_db()
    assert d.status == Status.PROCESSING


def test_public_lookup_shows_status_but_no_personal_data(client, world):
    d = receive(world)
    html = client.get("/tra-cuu/", {"ma": d.code, "sdt": "5678"}).content.decode()
    assert d.code in html and "Đã tiếp nhận" in html
    assert "Nguyễn Văn An" not in html and "092095001234" not in html and "0912345678" not in html
    wrong = client.get("/tra-cuu/", {"ma": d.code, "sdt": "1111"}).content.decode()
    assert "Không tìm thấy hồ sơ" in wrong and "Đã tiếp nhận" not in wrong
    assert "Nhập đúng 4 chữ số." in client.get("/tra-cuu/", {"ma": d.code, "sdt": "12"}).content.decode()


def test_tracking_book_filters_and_exports_to_excel(client, world):
    import io

    import openpyxl

    first = receive(world)
    second = receive(world, at=receive.__globals__["vn"](2026, 3, 9, 8, 0))
    client.force_login(world.clerk)
    html = client.get("/dossiers/book/", {"date_from": "2026-03-09"}).content.decode()
    assert second.code in html and first.code not in html
    response = client.get("/dossiers/book/", {"date_to": "2026-03-02", "format": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == [first.code]
    assert "Nguyễn Văn An" in html
    client.force_login(world.outsider)
    assert first.code not in client.get("/dossiers/book/").content.decode()


def test_printed_forms_are_pdfs_and_refused_when_not_applicable(client, world):
    d = receive(world)
    client.force_login(world.clerk)
    response = client.get(f"/dossiers/{d.code}/forms/01.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    response = client.get(f"/dossiers/{d.code}/forms/05.pdf")
    assert response.status_code == 302


def test_printed_forms_carry_the_agency_signature(client, world):
    from tinhso.signatures.service import verify_pdf

    d = receive(world)
    client.force_login(world.clerk)
    report = verify_pdf(client.get(f"/dossiers/{d.code}/forms/01.pdf").content)
    assert report["verdict"] == "valid"
    assert report["signatures"][0]["signer"]["common_name"] == "Trung tâm PVHCC Phường Vị Thanh"
