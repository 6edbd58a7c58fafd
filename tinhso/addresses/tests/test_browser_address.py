"""The public recognition page on a 360 px phone in headless Chromium."""

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
    alternatives = page.locator("#alternatives").inner_text()
    assert "Xã Thuận Hòa" in alternatives or "Xã Phú Hữu" in alternatives
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
    page.context.close()
