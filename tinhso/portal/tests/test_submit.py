import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.dossiers import actions
from tinhso.dossiers.models import Dossier, StagedUpload, Status
from tinhso.dossiers.tests.conftest import PDF
from tinhso.notifications.models import OutgoingMessage
from tinhso.portal.models import Draft


def _url(w):
    return f"/dvc/nop-ho-so/{w.case.pk}/"


def _post(w, draft, **extra):
    data = {"draft": draft.token, "owner_name": "Nguyễn Thị Mai", "owner_id_type": "cccd",
            "owner_id_number": "092095001234", "owner_phone": "0912345678", "owner_email": "mai@example.vn",
            "owner_address": "Khu vực 2", "area": str(w.commune.pk), "f_ho_ten_nam": "Trần Văn Tùng",
            "f_cccd_nam": "092094000111", "f_ho_ten_nu": "Nguyễn Thị Mai", "op": "submit"}
    data.update(extra)
    return data


def _tờ_khai(w):
    return f"component_{w.case.components.get(order=1).pk}"


def test_anonymous_visitors_are_sent_to_e_id_sign_in(client, eform):
    response = client.get(_url(eform))
    assert response.status_code == 302 and response["Location"].startswith("/dinh-danh/login/")


def test_the_form_is_built_from_the_catalogue_and_prefilled_from_the_e_id(client, eform, citizen):
    client.force_login(citizen)
    html = client.get(_url(eform)).content.decode()
    assert "Họ tên bên nam" in html and "Số định danh bên nam" in html
    assert 'value="092095001234"' in html and 'value="Nguyễn Thị Mai"' in html


def test_draft_saved_and_restored_with_its_upload(client, eform, citizen):
    client.force_login(citizen)
    client.get(_url(eform))
    draft = Draft.objects.get(owner=citizen)
    data = _post(eform, draft, op="save", f_ho_ten_nam="Trần Văn Tùng")
    data[_tờ_khai(eform)] = SimpleUploadedFile("to-khai.pdf", PDF)
    assert client.post(_url(eform), data).status_code == 302
    html = client.get(_url(eform)).content.decode()
    assert 'value="Trần Văn Tùng"' in html and "to-khai.pdf (đã tải lên)" in html
    assert Dossier.objects.count() == 0


def test_errors_are_shown_next_to_fields_and_nothing_is_lost(client, eform, citizen):
    client.force_login(citizen)
    client.get(_url(eform))
    draft = Draft.objects.get(owner=citizen)
    data = _post(eform, draft, f_cccd_nam="123", owner_phone="12")
    data[_tờ_khai(eform)] = SimpleUploadedFile("to-khai.pdf", PDF)
    html = client.post(_url(eform), data).content.decode()
    assert "Số định danh cá nhân gồm 12 chữ số." in html and "Số điện thoại không hợp lệ" in html
    assert 'value="Trần Văn Tùng"' in html and "to-khai.pdf (đã tải lên)" in html
    assert Dossier.objects.count() == 0


def test_a_fake_file_is_refused_by_content(client, eform, citizen):
    client.force_login(citizen)
    client.get(_url(eform))
    draft = Draft.objects.get(owner=citizen)
    data = _post(eform, draft)
    data[_tờ_khai(eform)] = SimpleUploadedFile("to-khai.pdf", b"not really a pdf")
    html = client.post(_url(eform), data).content.decode()
    assert "không đúng định dạng cho phép" in html and Dossier.objects.count() == 0


def test_submission_creates_exactly_one_dossier_in_status_1_even_if_retried(client, eform, citizen):
    client.force_login(citizen)
    client.get(_url(eform))
    draft = Draft.objects.get(owner=citizen)
    data = _post(eform, draft)
    data[_tờ_khai(eform)] = SimpleUploadedFile("to-khai.pdf", PDF)
    response = client.post(_url(eform), data)
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/dvc/ho-so/{dossier.code}/"
    assert dossier.status == Status.SUBMITTED and dossier.citizen == citizen
    assert dossier.receiving_agency == eform.centre and dossier.owner_verified
    assert dossier.form_data["ho_ten_nam"] == "Trần Văn Tùng"
    assert dossier.files.get().original_name == "to-khai.pdf"
    data.pop(_tờ_khai(eform))
    client.post(_url(eform), data)  # the same form again (retry / double click)
    assert Dossier.objects.count() == 1
    assert dossier.code in client.get(response["Location"]).content.decode()


def test_an_expired_session_keeps_the_form_and_files_for_after_sign_in(client, eform, citizen):
    client.force_login(citizen)
    client.get(_url(eform))
    draft = Draft.objects.get(owner=citizen)
    client.logout()
    data = _post(eform, draft, f_ho_ten_nam="Lê Văn Sơn")
    data[_tờ_khai(eform)] = SimpleUploadedFile("to-khai.pdf", PDF)
    response = client.post(_url(eform), data)
    assert response.status_code == 302 and response["Location"].startswith("/dinh-danh/login/")
    kept = Draft.objects.get(owner__isnull=True)
    assert StagedUpload.objects.filter(token=kept.token, user__isnull=True).count() == 1
    client.force_login(citizen)
    html = client.get(f"{_url(eform)}?draft={kept.token}").content.decode()
    assert 'value="Lê Văn Sơn"' in html and "to-khai.pdf (đã tải lên)" in html


def _submitted(client, w, citizen):
    client.force_login(citizen)
    client.get(_url(w))
    draft = Draft.objects.get(owner=citizen)
    data = _post(w, draft)
    data[_tờ_khai(w)] = SimpleUploadedFile("to-khai.pdf", PDF)
    client.post(_url(w), data, follow=True)
    return Dossier.objects.get()


def test_citizen_follows_answers_a_supplement_and_is_told(client, eform, citizen, django_capture_on_commit_callbacks):
    dossier = _submitted(client, eform, citizen)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = actions.accept_online(acting_user=eform.clerk, dossier=dossier)
    assert any("đã được tiếp nhận" in m.subject for m in mail.outbox)
    assert OutgoingMessage.objects.filter(channel="sms", recipient="0912345678", status="sent").exists()
    html = client.get(f"/dvc/ho-so/{dossier.code}/").content.decode()
    assert "Đã tiếp nhận" in html
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_supplement(acting_user=eform.clerk, dossier=dossier, reason="Bổ sung giấy khám sức khỏe")
    assert "Bổ sung giấy khám sức khỏe" in client.get(f"/dvc/ho-so/{dossier.code}/").content.decode()
    client.post(f"/dvc/ho-so/{dossier.code}/thao-tac/supplement/",
                {"files": SimpleUploadedFile("kham-suc-khoe.pdf", PDF), "note": "Đã bổ sung"})
    assert dossier.files.filter(kind="supplement").count() == 1


def test_citizen_requests_withdrawal_and_the_desk_confirms(client, eform, citizen):
    dossier = _submitted(client, eform, citizen)
    client.post(f"/dvc/ho-so/{dossier.code}/thao-tac/withdraw/", {"reason": "Đổi ý"})
    assert dossier.events.filter(action="request_withdrawal").exists()
    dossier = actions.withdraw(acting_user=eform.clerk, dossier=dossier, reason="Theo đề nghị của công dân")
    assert dossier.status == Status.WITHDRAWN


def test_other_citizens_cannot_see_a_dossier(client, eform, citizen):
    from tinhso.accounts.models import User

    dossier = _submitted(client, eform, citizen)
    other = User.objects.create_user(username="cd-2", is_citizen=True, id_number="093190004321")
    client.force_login(other)
    assert client.get(f"/dvc/ho-so/{dossier.code}/").status_code == 404
    assert dossier.code not in client.get("/dvc/ho-so/").content.decode()


def test_result_goes_to_the_data_store_and_is_reused_in_a_new_dossier(client, eform, citizen):
    from tinhso.datastore.models import DataStoreItem
    from tinhso.dossiers.tests.conftest import pdf

    dossier = _submitted(client, eform, citizen)
    w = eform
    d = actions.accept_online(acting_user=w.clerk, dossier=dossier)
    d = actions.forward(acting_user=w.clerk, dossier=d, receiver=w.specialist)
    d = actions.forward(acting_user=w.specialist, dossier=d, receiver=w.head)
    d = actions.forward(acting_user=w.head, dossier=d, receiver=w.leader)
    d = actions.finish(acting_user=w.leader, dossier=d, result_summary="Giấy chứng nhận kết hôn",
                       result_number="07/2026", result_files=[pdf("gcn-ket-hon.pdf")])
    d = actions.return_result(acting_user=w.clerk, dossier=d, method="online", returned_to="Nguyễn Thị Mai")
    item = DataStoreItem.objects.get(owner=citizen)
    assert item.title == "Giấy chứng nhận kết hôn" and item.source_dossier == d
    html = client.get(f"/dvc/ho-so/{d.code}/").content.decode()
    assert "gcn-ket-hon.pdf" in html and "Đánh giá mức độ hài lòng" in html
    result = d.files.get(kind="result")
    assert client.get(f"/dvc/ho-so/{d.code}/tep/{result.pk}/").status_code == 200
    # The second component can be taken from the data store.
    second = w.case.components.get(order=2)
    assert second.reusable_from_data_store
    Draft.objects.all().delete()
    client.get(_url(w))
    draft = Draft.objects.get(owner=citizen, dossier__isnull=True)
    data = _post(w, draft)
    data[_tờ_khai(w)] = SimpleUploadedFile("to-khai.pdf", PDF)
    data[f"reuse_{second.pk}"] = str(item.pk)
    client.post(_url(w), data)
    new = Dossier.objects.exclude(pk=d.pk).get()
    reused = new.components.get(required_component=second)
    assert reused.reused_from_data_store and reused.files.get().sha256 == item.sha256
