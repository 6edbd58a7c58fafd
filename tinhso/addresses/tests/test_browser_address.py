"""The public recognition page, the register form with the widget and the import page on a 360 px phone in
headless Chromium."""

import pytest

from tinhso.addresses.tests.conftest import OLD_VI_THUY, SPLIT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_recognises_an_old_address_on_a_phone(chromium, live_server, real_units):
    phone = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True,
                                 has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/dvc/")
    page.get_by_text("☰ Menu").click()
    page.get_by_role("link", name="Địa chỉ số").click()
    page.get_by_label("Địa chỉ", exact=True).fill(OLD_VI_THUY)
    page.get_by_role("button", name="Nhận dạng").click()
    assert page.locator("#normalised").inner_text() == "ấp 3, Xã Vĩnh Thuận Đông, Thành phố Cần Thơ"
    assert "Xã Vị Thuỷ" in page.locator("#recognition").inner_text()
    page.get_by_label("Địa chỉ", exact=True).fill(SPLIT.replace("ấ", "a").replace("ú", "u").replace("ợ", "o"))
    page.get_by_role("button", name="Nhận dạng").click()
    # Xã Phú Tân (Hậu Giang) was split between two of today's communes: the recognition answers both, half the
    # confidence each, in code order, and does not take either without the citizen choosing.
    recognition = page.locator("#recognition")
    recognition.get_by_text("Chưa chắc chắn: hãy chọn đúng xã, phường trong các khả năng.").wait_for()
    assert "Xã, phường hiện nay: Xã Phú Hữu (31378), Thành phố Cần Thơ · Độ tin cậy 50%" in " ".join(
        recognition.inner_text().split())
    assert "Theo địa giới trước 01/7/2025: Xã Phú Tân (Tỉnh Hậu Giang)." in recognition.inner_text()
    alternatives = [" ".join(t.split()) for t in page.locator("#alternatives li").all_inner_texts()]
    assert alternatives == ["Xã Thuận Hòa (31582), Thành phố Cần Thơ · 50% · từ Xã Phú Tân"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.close()


def test_an_officer_fills_the_register_form_from_an_old_address_with_the_widget(chromium, live_server, real_units,
                                                                                  settings):
    from tinhso.addresses.models import Address
    from tinhso.testing import make_agency, make_staff
    from tinhso.units.models import AdministrativeUnit

    settings.TINHSO_REQUIRE_2FA = False
    unit = AdministrativeUnit.objects.get(level="commune", code="31453", valid_to__isnull=True)
    agency = make_agency("000.31453.H13", "UBND Xã Vĩnh Thuận Đông", unit=unit, kind="commune_committee")
    make_staff("diachinh.vtd", roles=[("specialist", agency)], password="TinhSo@2026", full_name="Cán bộ địa chính")
    page = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True).new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/?next=/dia-chi/quan-ly/")
    page.get_by_label("Tên đăng nhập").fill("diachinh.vtd")
    page.get_by_label("Mật khẩu").fill("TinhSo@2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Cơ sở dữ liệu địa chỉ số").wait_for()
    page.get_by_label("Nhận dạng nhanh").fill(OLD_VI_THUY)
    page.get_by_role("button", name="Nhận dạng").click()
    page.get_by_text("Độ tin cậy 100%").wait_for()
    assert page.locator("#id_unit").input_value() == str(unit.pk)
    assert page.locator("#id_hamlet").input_value() == "ấp 3"
    page.get_by_role("button", name="Thêm và cấp mã").click()
    page.get_by_text("Đã thêm địa chỉ, mã 31453-").wait_for()
    assert Address.objects.get().full_text == "ấp 3, Xã Vĩnh Thuận Đông, Thành phố Cần Thơ"

    # Import on the phone: a CSV whose one row names a commune that does not exist is listed with its row number
    # and adds nothing; corrected (the old name, recognised), it adds the address and says how many.
    header = 'Số nhà,"Đường, phố","Ấp, khu vực","Xã, phường",Vĩ độ,Kinh độ\n'
    page.get_by_role("link", name="Nhập từ Excel/CSV").click()
    page.get_by_role("heading", name="Nhập địa chỉ từ Excel/CSV").wait_for()
    page.get_by_label("Tệp Excel (.xlsx) hoặc CSV").set_input_files(files=[{
        "name": "dia-chi.csv", "mimeType": "text/csv",
        "buffer": (header + '12,,ấp 5,"xã Không Có, huyện Vị Thủy, Hậu Giang",,\n').encode()}])
    page.get_by_role("button", name="Nhập", exact=True).click()
    result = page.locator("#import-result")
    result.get_by_text("Đã thêm 0 địa chỉ; 0 địa chỉ đã có.").wait_for()
    assert [" ".join(t.split()) for t in result.locator("tbody tr").all_inner_texts()] == [
        "2 Không nhận ra xã, phường “xã Không Có, huyện Vị Thủy, Hậu Giang”."]
    assert Address.objects.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the import page scrolls sideways"
    page.get_by_label("Tệp Excel (.xlsx) hoặc CSV").set_input_files(files=[{
        "name": "dia-chi.csv", "mimeType": "text/csv",
        "buffer": (header + '12,,ấp 5,"xã Vị Thủy, huyện Vị Thủy, Hậu Giang",,\n').encode()}])
    page.get_by_role("button", name="Nhập", exact=True).click()
    result.get_by_text("Đã thêm 1 địa chỉ; 0 địa chỉ đã có.").wait_for()
    assert result.locator("tbody tr").count() == 0
    assert Address.objects.filter(house_number="12", hamlet="ấp 5", unit=unit).count() == 1
    page.context.close()
