"""A buyer scans a label with a phone: the URL in the QR code (decoded by
zxing-cpp) opens the traceability page at 360 px, with the warning once the
area code is suspended."""

import io

import pytest
import zxingcpp
from PIL import Image

from tinhso.farmproducts import actions, labels
from tinhso.farmproducts.models import Batch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_buyer_opens_the_traceability_page_on_a_phone(chromium, live_server, settings, real_units, batch,
                                                        specialist):
    settings.TINHSO_BASE_URL = live_server.url
    settings.TINHSO_MAP_TILE_URL = ""
    url = zxingcpp.read_barcodes(Image.open(io.BytesIO(labels.qr_png(batch))))[0].text
    assert url == f"{live_server.url}/truy-xuat/{batch.code}/"
    phone = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True,
                                 has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(15000)
    page.goto(url)
    page.get_by_role("heading", name="Dâu Hạ Châu").wait_for()
    assert "OCOP 4" in page.content() and page.get_by_role("alert").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    actions.change_code_status(acting_user=specialist, kind="area", code="VN-CTOR-0101", action="suspend",
                               reason="Vi phạm quy trình")
    page.reload()
    assert "Mã số vùng trồng VN-CTOR-0101 đang bị tạm dừng" in page.get_by_role("alert").first.inner_text()
    assert Batch.objects.get(pk=batch.pk).scan_count == 2
    phone.close()
