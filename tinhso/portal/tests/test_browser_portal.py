"""The citizen journey of issue 4 in a real headless Chromium against the demo
data: search without diacritics, e-ID sign-in through the sandbox provider
(real OpenID Connect), a draft saved and resumed, submission, acceptance by a
clerk, a supplement answered, the result downloaded, the service rated, and an
anonymous look-up that shows no personal data."""

from urllib.parse import urljoin

import pytest

from tinhso.signatures.tests.conftest import make_pdf
from django.core.management import call_command

from tinhso.accounts.models import User
from tinhso.dossiers import actions
from tinhso.dossiers.models import Dossier, Status
from tinhso.testing import staff_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(real_units, settings):
    settings.TINHSO_REQUIRE_2FA = False
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def test_citizen_journey(chromium, live_server, demo, tmp_path, settings):
    settings.TINHSO_BASE_URL = live_server.url
    base = live_server.url
    scan = tmp_path / "giay-chung-sinh.pdf"
    scan.write_bytes(make_pdf("GIAY CHUNG SINH"))
    context = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True,
                                   has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)

    page.goto(f"{base}/dvc/")
    page.get_by_label("Bạn cần làm thủ tục gì?").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm thủ tục").click()
    page.get_by_role("link", name="Thủ tục đăng ký khai sinh", exact=True).click()
    page.locator(".online-submit").first.click()

    # The national e-ID sandbox: real authorization code flow with PKCE.
    page.get_by_text("Nguyễn Văn An").click()
    page.get_by_label("Mật khẩu hoặc mã xác thực một lần (OTP)").fill("thunghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Nộp hồ sơ trực tuyến").wait_for()
    assert page.get_by_label("Số định danh cá nhân").input_value() == "092085001234"  # prefilled from the e-ID
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the form scrolls sideways on a phone"

    page.get_by_label("Họ, chữ đệm, tên của trẻ").fill("Nguyễn Minh Khôi")
    page.get_by_label("Ngày, tháng, năm sinh của trẻ").fill("2026-11-20")
    page.get_by_label("Giới tính").select_option("Nam")
    page.get_by_label("Nơi sinh").fill("Bệnh viện Phụ sản thành phố Cần Thơ")
    page.get_by_label("Họ, chữ đệm, tên của mẹ").fill("Trần Thị Hoa")
    page.get_by_label("Quan hệ của người đi khai với trẻ").select_option("Cha")
    page.get_by_label("Xã, phường nơi giải quyết").select_option(label="Phường Ninh Kiều")
    for file_input in page.locator("input[type=file]").all():
        file_input.set_input_files(str(scan))
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_text("Đã lưu nháp").wait_for()

    # Leave, come back through "my dossiers": everything is still there.
    page.goto(f"{base}/dvc/")
    page.goto(f"{base}/dvc/ho-so/")
    page.get_by_role("link", name="Thủ tục đăng ký khai sinh").click()
    assert page.get_by_label("Họ, chữ đệm, tên của trẻ").input_value() == "Nguyễn Minh Khôi"
    assert page.get_by_text("giay-chung-sinh.pdf (đã tải lên)").first.is_visible()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.get_by_text("Đã nộp hồ sơ. Mã hồ sơ của bạn là").wait_for()
    # (the demo gives this citizen an earlier dossier of his own: this is the new one)
    dossier = Dossier.objects.get(citizen__id_number="092085001234", form_data__ho_ten_tre="Nguyễn Minh Khôi")
    assert dossier.status == Status.SUBMITTED and dossier.form_data["ho_ten_tre"] == "Nguyễn Minh Khôi"
    assert page.get_by_role("heading", name=dossier.code).is_visible()

    # A clerk of Ninh Kiều ward accepts it in the back office.
    clerk = staff_page(chromium, base, "motcua.ninhkieu")
    clerk.goto(f"{base}/dossiers/?tab=online")
    clerk.get_by_role("link", name=dossier.code).click()
    clerk.locator("details summary", has_text="Tiếp nhận hồ sơ").click()
    clerk.locator("details[open] form").get_by_role("button", name="Tiếp nhận hồ sơ").click()
    clerk.get_by_text("Đã thực hiện: Tiếp nhận hồ sơ.").wait_for()

    page.reload()
    assert "Đã tiếp nhận" in page.locator("h1").inner_text()

    # A supplement is asked for and answered from the phone.
    dossier.refresh_from_db()
    staff = {u.username: u for u in User.objects.filter(username__in=[
        "motcua.ninhkieu", "chuyenvien.ninhkieu", "lanhdao.ninhkieu"])}
    dossier = actions.request_supplement(acting_user=staff["motcua.ninhkieu"], dossier=dossier,
                                         reason="Bổ sung bản chụp giấy chứng nhận kết hôn của cha mẹ.")
    page.reload()
    page.get_by_text("Bổ sung bản chụp giấy chứng nhận kết hôn").first.wait_for()
    page.get_by_label("Giấy tờ bổ sung").set_input_files(str(scan))
    page.get_by_role("button", name="Gửi bổ sung").click()
    page.get_by_text("Đã nộp hồ sơ bổ sung").wait_for()

    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = actions.accept_supplement(acting_user=staff["motcua.ninhkieu"], dossier=dossier)
    dossier = actions.forward(acting_user=staff["motcua.ninhkieu"], dossier=dossier,
                              receiver=staff["chuyenvien.ninhkieu"])
    dossier = actions.forward(acting_user=staff["chuyenvien.ninhkieu"], dossier=dossier,
                              receiver=staff["lanhdao.ninhkieu"])
    dossier = actions.finish(acting_user=staff["lanhdao.ninhkieu"], dossier=dossier,
                             result_summary="Giấy khai sinh", result_number="125/2026",
                             result_files=[SimpleUploadedFile("giay-khai-sinh.pdf", scan.read_bytes())])
    actions.return_result(acting_user=staff["motcua.ninhkieu"], dossier=dossier, method="online",
                          returned_to="Nguyễn Văn An")

    page.reload()
    link = page.get_by_role("link", name="Tải kết quả: giay-khai-sinh.pdf")
    response = page.request.get(urljoin(page.url, link.get_attribute("href")))
    assert response.status == 200 and response.body().startswith(b"%PDF")

    page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_label("Rất hài lòng").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.get_by_text("Cảm ơn").first.wait_for()
    assert dossier.evaluation.overall == "very_satisfied"

    # Anyone can look the dossier up by its code, and sees no personal data.
    anonymous = chromium.new_context(locale="vi-VN").new_page()
    anonymous.goto(f"{base}/tra-cuu/")
    anonymous.get_by_label("Mã hồ sơ").fill(dossier.code)
    anonymous.get_by_label("4 số cuối điện thoại của người nộp").fill("4567")
    anonymous.get_by_role("button", name="Tra cứu").click()
    result = anonymous.locator("#lookup-result").inner_text()
    assert dossier.code in result and "Đã trả kết quả" in result
    content = anonymous.content()
    assert "Nguyễn Văn An" not in content and "092085001234" not in content and "0901234567" not in content
    context.close()
