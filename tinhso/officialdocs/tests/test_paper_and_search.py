"""A scanned paper letter is read with Tesseract's Vietnamese data and found
by a search without diacritics (đ included); its digitised copy carries the
agency's signature, which poppler's pdfsig (a verifier we did not write)
reads; the registers print as PDF and Excel."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tinhso.officialdocs import actions
from tinhso.officialdocs.models import DocumentType

pytestmark = pytest.mark.django_db
needs_ocr = pytest.mark.skipif(not (shutil.which("tesseract") and shutil.which("pdftoppm")),
                               reason="tesseract-ocr-vie and poppler-utils are installed by bin/setup")


def scan_png() -> SimpleUploadedFile:
    from PIL import Image, ImageDraw, ImageFont

    from tinhso.dossiers.documents import fonts

    font = ImageFont.truetype(fonts.find_fonts().regular, 44)
    image = Image.new("RGB", (1700, 700), "white")
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(["ỦY BAN NHÂN DÂN PHƯỜNG AN BÌNH", "Về việc đề nghị sửa chữa đường Đồng Khởi",
                                "Đề nghị Sở Xây dựng kiểm tra hiện trạng mặt đường."]):
        draw.text((60, 80 + row * 120), line, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile("scan.png", out.getvalue(), content_type="image/png")


@needs_ocr
def test_a_scanned_letter_is_read_signed_and_found_without_diacritics(offices, client):
    letter = DocumentType.objects.get(name="Công văn")
    doc = actions.receive_paper(acting_user=offices.clerk, agency=offices.sxd, doc_type_id=letter.pk,
                                sender_name="UBND Phường An Bình", sender_reference="12/UBND-KT",
                                issued_on=datetime.date(2026, 12, 1), summary="Đề nghị sửa chữa đường", scan=scan_png())
    text = doc.files.get().text.lower()
    assert "đồng khởi" in text or "dong khoi" in text or "khởi" in text, text
    client.force_login(offices.clerk)
    page = client.get(reverse("officialdocs:inbox") + "?tab=incoming&q=duong dong khoi").content.decode()
    assert "12/UBND-KT" in page
    assert "12/UBND-KT" not in client.get(reverse("officialdocs:inbox") + "?tab=incoming&q=cau treo").content.decode()
    with doc.files.get().file.open("rb") as handle:
        _pdfsig_ok(handle.read(), expected=1)


def test_paper_input_is_checked(offices):
    with pytest.raises(Exception) as caught:
        actions.receive_paper(acting_user=offices.clerk, agency=offices.sxd, doc_type_id=None, sender_name="",
                              sender_reference="", issued_on=None, summary="",
                              scan=SimpleUploadedFile("x.png", b"not an image"))
    assert {e["field"] for e in caught.value.errors} >= {"doc_type", "sender_name", "summary", "scan"}
    with pytest.raises(Exception):
        actions.receive_paper(acting_user=offices.specialist, agency=offices.sxd, doc_type_id=1, sender_name="A",
                              sender_reference="1", issued_on=None, summary="x", scan=scan_png())


def _pdfsig_ok(data: bytes, expected: int) -> None:
    if not shutil.which("pdfsig"):
        pytest.skip("pdfsig (poppler-utils) is installed by bin/setup")
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        done = subprocess.run(["pdfsig", handle.name], capture_output=True, text=True)
    signatures = done.stdout.count("Signature #")
    assert signatures == expected, done.stdout
    assert done.stdout.count("Signature is Valid.") == expected, done.stdout


def test_issued_documents_verify_with_pdfsig_and_print_in_the_register(offices, client,
                                                                        django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    from tinhso.officialdocs.tests.test_workflow import issued

    doc = issued(offices, django_capture_on_commit_callbacks)
    with doc.files.get(role="signed").file.open("rb") as handle:
        _pdfsig_ok(handle.read(), expected=2)
    client.force_login(offices.clerk)
    url = reverse("officialdocs:registers") + f"?register={doc.register_id}"
    assert "1/SXD-QLXD" in client.get(url).content.decode()
    pdf = client.get(url + "&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").content))
    assert book.active["A4"].value == "1/SXD-QLXD"
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True)
        assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in done.stdout.decode()


def test_the_document_page_shows_its_signatures(offices, client, django_capture_on_commit_callbacks):
    from tinhso.officialdocs.tests.test_workflow import issued

    doc = issued(offices, django_capture_on_commit_callbacks)
    client.force_login(offices.leader)
    page = client.get(reverse("officialdocs:detail", args=[doc.pk])).content.decode()
    assert "Chữ ký số" in page and "Võ Quốc Dũng" in page and "Hợp lệ" in page
