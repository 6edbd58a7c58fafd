"""Key journeys of the foundation in a real headless Chromium."""

import pytest

from tinhso.accounts.models import Role
from tinhso.testing import make_agency, make_staff, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Matkhau-2026!"


@pytest.fixture
def staff(real_units):
    province = make_unit("92", "Thành phố Cần Thơ", level="province")
    centre = make_agency("000.00.02.H13", "Trung tâm Phục vụ hành chính công thành phố Cần Thơ", unit=province,
                         kind="provincial_service_centre")
    return {"admin": make_staff("admin", roles=[(Role.SYSTEM_ADMIN, centre)], full_name="Quản trị hệ thống"),
            "clerk": make_staff("motcua", roles=[(Role.CLERK, centre)], full_name="Trần Văn Minh")}


def _sign_in(page, base, username):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto(f"{base}/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is not None:  # administrators sign in with two factors
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.get_by_label("Mã xác thực 6 số").fill(f"{code:06d}")
        page.get_by_role("button", name="Xác nhận").click()


def test_admin_signs_in_finds_an_old_province_and_corrects_a_mapping_row(page, live_server, staff):
    _sign_in(page, live_server.url, "admin")
    page.get_by_role("heading", name="Xin chào, Quản trị hệ thống").wait_for()
    page.get_by_role("navigation").get_by_role("link", name="Đơn vị hành chính").click()
    page.get_by_label("Tên hoặc mã đơn vị").fill("Hau Giang")
    page.get_by_role("button", name="Tìm").click()
    row = page.get_by_role("row").filter(has_text="Tỉnh Hậu Giang")
    assert "Nay thuộc Thành phố Cần Thơ" in row.inner_text()

    page.get_by_label("Tên hoặc mã đơn vị").fill("Phuong III")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("row").filter(has_text="Tỉnh Hậu Giang").get_by_role("link", name="Phường III").click()
    page.get_by_role("link", name="Hiệu chỉnh").first.click()
    page.get_by_label("Hình thức").select_option("partial")
    page.get_by_label("Lý do hiệu chỉnh").fill("Kiểm tra theo Nghị quyết 1668/NQ-UBTVQH15")
    page.get_by_role("button", name="Lưu hiệu chỉnh").click()
    page.get_by_text("Đã hiệu chỉnh dòng kế thừa").wait_for()
    assert "đã hiệu chỉnh" in page.get_by_role("row").filter(has_text="Phường Vị Thanh").inner_text()

    page.get_by_role("link", name="Nhật ký hệ thống").click()
    assert "units.succession.corrected" in page.get_by_role("table").inner_text()


def test_clerk_on_a_phone_uses_the_menu_and_sees_no_admin_pages(chromium, live_server, staff):
    context = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 740}, is_mobile=True,
                                   has_touch=True)
    page = context.new_page()
    _sign_in(page, live_server.url, "motcua")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    assert not nav.is_visible()
    page.get_by_text("Menu").click()
    assert nav.is_visible()
    assert nav.get_by_role("link", name="Nhật ký hệ thống").count() == 0
    nav.get_by_role("link", name="Cơ quan, đơn vị").click()
    page.get_by_role("heading", name="Cơ quan, đơn vị").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page scrolls sideways on a phone: {width}px"
    context.close()
