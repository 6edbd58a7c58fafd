"""At 360 px: a buyer scans a label with a phone: the URL in the QR code
(decoded by zxing-cpp) opens the traceability page, with the warning once the
area code is suspended; an official signs in on a phone, registers and
verifies a growing-area code, makes a batch, prints its labels and suspends
it, and the public page says so."""

import datetime
import io

import pytest
import zxingcpp
from PIL import Image

from tinhso.farmproducts import actions, labels
from tinhso.farmproducts.models import Batch
from tinhso.testing import staff_page

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


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{page.url} scrolls sideways on a phone"


def test_an_official_registers_a_code_makes_a_batch_prints_labels_and_suspends_it_on_a_phone(
        chromium, live_server, settings, real_units, snnmt, specialist, product):
    settings.TINHSO_BASE_URL = live_server.url
    settings.TINHSO_MAP_TILE_URL = ""
    settings.TINHSO_REQUIRE_2FA = False
    base = live_server.url
    page = staff_page(chromium, base, "chuyenvien.snnmt", password="Matkhau-2026!",
                      viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
    _fits(page)

    # Register a growing-area code of the household that makes the product, then verify it.
    page.goto(f"{base}/nong-san/")
    _fits(page)
    page.get_by_role("link", name="Mã số vùng trồng, cơ sở đóng gói").first.click()
    page.get_by_role("link", name="Thêm mã số vùng trồng").first.click()
    page.get_by_label("Mã số vùng trồng").fill("vn-ctor-0777")
    page.get_by_label("Cây trồng").fill("Dâu")
    page.get_by_label("Diện tích (ha)").fill("NaN")
    page.get_by_label("Xã, phường").select_option(label="Xã Phong Điền")
    page.get_by_label("Chủ thể").select_option(label="Hộ Nguyễn Văn Tư")
    page.get_by_label("Cơ quan cấp mã").select_option(label="Sở Nông nghiệp và Môi trường")
    _fits(page)
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Diện tích là số ha, ví dụ 12,5.").wait_for()  # a field error, the typed values kept
    assert page.get_by_label("Mã số vùng trồng").input_value() == "vn-ctor-0777"
    page.get_by_label("Diện tích (ha)").fill("2,5")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu.").wait_for()
    row = page.get_by_role("row").filter(has_text="VN-CTOR-0777")
    assert "Chờ xác minh" in row.inner_text()
    _fits(page)
    row.get_by_role("button", name="Xác minh").click()
    page.get_by_text("Đã cập nhật tình trạng mã số VN-CTOR-0777.").wait_for()
    assert "Đang hiệu lực" in page.get_by_role("row").filter(has_text="VN-CTOR-0777").inner_text()

    # A batch of the product from that code.
    page.get_by_role("link", name="Tạo lô hàng").first.click()
    page.get_by_label("Sản phẩm").select_option(label="Dâu Hạ Châu – Hộ Nguyễn Văn Tư")
    page.get_by_label("Mã số vùng trồng").fill("VN-CTOR-0777")
    today = datetime.date.today()
    page.get_by_label("Ngày thu hoạch").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Ngày đóng gói").fill(today.isoformat())
    page.get_by_label("Số lượng").fill("120,5")
    _fits(page)
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("heading", name="Lô hàng LH").wait_for()
    batch = Batch.objects.get(growing_area__code="VN-CTOR-0777")
    assert str(batch.quantity) == "120.50" and batch.code in page.url
    _fits(page)

    # The label sheet: a PDF whose QR codes (read by zxing-cpp after pdftoppm) open the public page.
    href = page.get_by_role("link", name="In tem (PDF, 21 tem một trang)").get_attribute("href")
    sheet = page.context.request.get(base + href)
    assert sheet.status == 200 and sheet.headers["content-type"] == "application/pdf"
    assert sheet.body().startswith(b"%PDF") and f"tem-{batch.code}.pdf" in sheet.headers["content-disposition"]

    # Suspend (recall) the batch with a reason.
    page.get_by_label("Lý do").fill("Thu hồi do phát hiện dư lượng thuốc")
    page.get_by_role("button", name="Tạm dừng lưu hành lô").click()
    page.get_by_text("Đã cập nhật tình trạng lô hàng.").wait_for()
    page.get_by_role("button", name="Cho lưu hành lại").wait_for()
    _fits(page)

    # The public page, as a buyer scanning the label sees it, says so.
    buyer = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True,
                                 has_touch=True).new_page()
    buyer.goto(labels.public_url(batch))
    alert = buyer.get_by_role("alert").first
    alert.wait_for()
    assert f"Lô hàng {batch.code} đang bị tạm dừng lưu hành" in alert.inner_text()
    assert "Thu hồi do phát hiện dư lượng thuốc" in alert.inner_text()
    _fits(buyer)
    buyer.context.close()
    page.context.close()
