import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.signatures import service
from tinhso.signatures.tests.conftest import MARKER, make_pdf
from tinhso.signatures.tests.helpers import tamper

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def signed(db, tsa_adapter, sample_pdf, seal_agency, signer_user):
    return service.sign_pdf(sample_pdf, agency=seal_agency, person=signer_user)


def _upload(client, data, name="ket-qua.pdf"):
    return client.post("/xac-thuc/", {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def test_page_shows_the_form(client, db):
    r = client.get("/xac-thuc/")
    assert r.status_code == 200
    assert "Kiểm tra chữ ký số" in r.content.decode() and 'type="file"' in r.content.decode()


def test_page_valid_upload(client, signed):
    r = _upload(client, signed)
    body = r.content.decode()
    assert r.status_code == 200 and 'data-verdict="valid"' in body
    assert "Nguyễn Văn Ánh" in body and "Sở Tư pháp thành phố Cần Thơ" in body
    assert "Được tin cậy" in body and "Tỉnh Số Demo TSA" in body


def test_page_tampered_upload(client, signed):
    r = _upload(client, tamper(signed, MARKER.encode()))
    body = r.content.decode()
    assert r.status_code == 200 and 'data-verdict="invalid"' in body
    assert "đã bị thay đổi sau khi ký" in body


def test_page_non_pdf(client, db):
    r = _upload(client, PNG, name="anh.pdf")
    assert r.status_code == 422 and "không phải là tệp PDF" in r.content.decode()
    r = _upload(client, b"hello world", name="x.pdf")
    assert r.status_code == 422 and "không đúng định dạng" in r.content.decode()
    r = client.post("/xac-thuc/", {})
    assert r.status_code == 422 and "Vui lòng chọn tệp PDF" in r.content.decode()


def test_page_by_code(client, signed):
    doc = service.register_signed_document(signed, "ket_qua")
    r = client.get(service.verification_url(doc).split("8000", 1)[-1])
    body = r.content.decode()
    assert r.status_code == 200 and doc.code in body and 'data-verdict="valid"' in body
    r = client.get("/xac-thuc/?ma=VBKHONGCO")
    assert r.status_code == 404 and "Không tìm thấy văn bản" in r.content.decode()


def test_api_valid(client, signed):
    r = client.post("/api/v1/verify", {"file": SimpleUploadedFile("a.pdf", signed)})
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["verdict"] == "valid" and data["signature_count"] == 2
    assert data["signatures"][1]["signer"]["organization_identifier"] == "000.00.12.H13"
    assert data["signatures"][0]["timestamp"]["trusted"] is True


def test_api_tampered(client, signed):
    r = client.post("/api/v1/verify", {"file": SimpleUploadedFile("a.pdf", tamper(signed, MARKER.encode()))})
    assert r.status_code == 200 and r.json()["verdict"] == "invalid"


def test_api_rejects_non_pdf_and_oversized(client, db, settings):
    r = client.post("/api/v1/verify", {"file": SimpleUploadedFile("a.png", PNG)})
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_file" and "không phải là tệp PDF" in r.json()["message"]
    settings.TINHSO_UPLOAD_MAX_BYTES = 1024 * 1024
    big = make_pdf() + b"%" * (1024 * 1024 + 10)
    r = client.post("/api/v1/verify", {"file": SimpleUploadedFile("big.pdf", big)})
    assert r.status_code == 422 and "quá lớn" in r.json()["message"]
    r = client.post("/api/v1/verify", {})
    assert r.status_code == 422 and r.json()["errors"][0]["message"] == "Trường này là bắt buộc."


def test_api_is_documented(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    op = spec["paths"]["/api/v1/verify"]["post"]
    assert "422" in op["responses"] and "multipart/form-data" in op["requestBody"]["content"]
