"""The QR code of a batch, read back by zxing-cpp (a decoder we did not write)
from the PNG and from the PDF label sheet rendered by poppler's pdftoppm, is
the public traceability page's URL."""

import io
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image

from tinhso.farmproducts import labels

pytestmark = pytest.mark.django_db


def test_the_png_qr_decodes_to_the_public_page_url(batch, settings, client):
    settings.TINHSO_BASE_URL = "https://dichvucong.cantho.gov.vn"
    url = labels.public_url(batch)
    assert url == f"https://dichvucong.cantho.gov.vn/truy-xuat/{batch.code}/"
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(labels.qr_png(batch))))
    assert [r.text for r in found] == [url] and found[0].format == zxingcpp.BarcodeFormat.QRCode
    assert client.get(url.removeprefix(settings.TINHSO_BASE_URL)).status_code == 200


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_every_label_on_the_pdf_sheet_decodes_to_the_public_page_url(batch, tmp_path, settings):
    settings.TINHSO_BASE_URL = "https://dichvucong.cantho.gov.vn"
    pdf = labels.label_sheet(batch, count=21)
    assert pdf.startswith(b"%PDF")
    (tmp_path / "tem.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "tem.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    texts = [r.text for r in zxingcpp.read_barcodes(Image.open(pages[0]))]
    assert len(texts) == 21 and set(texts) == {labels.public_url(batch)}


def test_staff_download_the_qr_and_the_label_sheet(client, specialist, batch):
    client.force_login(specialist)
    png = client.get(f"/nong-san/lo-hang/{batch.code}/qr.png")
    assert png["Content-Type"] == "image/png"
    assert zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))[0].text == labels.public_url(batch)
    pdf = client.get(f"/nong-san/lo-hang/{batch.code}/tem.pdf", {"so": "50"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(f"/nong-san/lo-hang/{batch.code}/tem.pdf", {"so": "abc"}).status_code == 200
