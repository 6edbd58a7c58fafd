"""Issue 11's journey in a real headless Chromium on a 360 px phone: a
citizen signs in with the e-ID sandbox, reports a pothole with a photo
(carrying GPS in its EXIF) and the phone's position, is offered a nearby
duplicate and declines; the centre confirms and it routes to Phường Ninh
Kiều; the commune answers with a photo; the centre publishes; the citizen
rates; the public page shows the answer, no personal data, and the photo
without EXIF."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tinhso.fieldreports import actions
from tinhso.fieldreports.models import FieldReport
from tinhso.fieldreports.tests.conftest import jpeg
from tinhso.testing import staff_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HERE = {"latitude": 10.03412, "longitude": 105.78805}


@pytest.fixture
def demo(real_units, settings):
    settings.TINHSO_REQUIRE_2FA = False
    settings.TINHSO_MAP_TILE_URL = ""  # no tile server on a closed network: the map still draws the pins
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def test_pothole_reported_on_a_phone_handled_and_rated(chromium, live_server, demo, tmp_path, settings):
    from PIL import Image

    from tinhso.accounts.models import User
    from tinhso.units.models import AdministrativeUnit

    settings.TINHSO_BASE_URL = base = live_server.url
    ninhkieu = AdministrativeUnit.objects.get(level="commune", code="31135", valid_to__isnull=True)
    centre_user = User.objects.get(username="dieuhanh")
    earlier = actions.submit_report(acting_user=centre_user, category_code="GT01", channel="phone",
                                    description="Ổ gà gần chợ đã được báo qua đường dây nóng",
                                    unit_id=ninhkieu.pk, lat=HERE["latitude"] + 0.0005, lng=HERE["longitude"],
                                    reporter_name="Ông Ba")
    actions.confirm(acting_user=centre_user, code=earlier.code)
    photo = tmp_path / "o-ga.jpg"
    photo.write_bytes(jpeg(size=(640, 480), exif_gps=True).read())
    evidence = tmp_path / "da-va.jpg"
    evidence.write_bytes(jpeg(size=(640, 480), name="da-va.jpg").read())

    phone = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True,
                                 has_touch=True, geolocation=HERE, permissions=["geolocation"])
    page = phone.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/phan-anh/gui/")
    page.get_by_role("link", name="Đăng nhập bằng định danh điện tử").first.click()
    page.get_by_text("Nguyễn Văn An").click()
    page.get_by_label("Mật khẩu hoặc mã xác thực một lần (OTP)").fill("thunghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Gửi phản ánh hiện trường").wait_for()
    page.get_by_label("Lĩnh vực phản ánh").select_option(label="Đường hư hỏng, ổ gà, sụt lún")
    page.get_by_label("Nội dung phản ánh").fill("Ổ gà rất sâu trước số 12 Trần Hưng Đạo, xe máy dễ té.")
    page.get_by_label("Xã, phường").select_option(label="Phường Ninh Kiều")
    page.locator("#pick-map.map-ready").wait_for()  # Leaflet from the npm package drew the map
    page.get_by_role("button", name="Dùng vị trí hiện tại của tôi").click()
    page.get_by_text("Đã chọn vị trí: 10.03412").wait_for()
    page.locator("input[type=file]#photos").set_input_files(str(photo))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the form scrolls sideways on a phone"
    page.get_by_role("button", name="Gửi phản ánh").click()

    page.get_by_role("heading", name="Có phải một trong các phản ánh này?").wait_for()
    assert page.get_by_text(earlier.code).is_visible()
    page.get_by_role("button", name="Không trùng — gửi phản ánh mới").click()
    page.get_by_text("Đã gửi phản ánh").wait_for()
    report = FieldReport.objects.exclude(pk=earlier.pk).get()
    assert report.reporter.full_name == "Nguyễn Văn An" and abs(report.lat - HERE["latitude"]) < 1e-5
    assert report.media.count() == 1

    centre = staff_page(chromium, base, "dieuhanh")
    centre.goto(f"{base}/phan-anh/dieu-hanh/{report.code}/")
    centre.get_by_role("button", name="Xác nhận").click()
    centre.get_by_text("Đã xác nhận phản ánh.").wait_for()
    report.refresh_from_db()
    assert report.agency.code == "000.31135.H13"  # routed to Phường Ninh Kiều by area and category

    commune = staff_page(chromium, base, "chuyenvien.ninhkieu")
    commune.goto(f"{base}/phan-anh/dieu-hanh/")
    commune.get_by_role("link", name=report.code).click()
    commune.get_by_role("button", name="Nhận xử lý").last.click()
    commune.get_by_role("button", name="Đang xử lý").click()
    commune.get_by_label("Kết quả xử lý").fill("Đã vá ổ gà bằng bê tông nhựa ngày hôm nay.")
    commune.get_by_label("Minh chứng (ảnh, video, PDF, DOCX) *").set_input_files(str(evidence))
    commune.get_by_role("button", name="Gửi kết quả").click()
    commune.get_by_text("Đã gửi kết quả").wait_for()

    centre.reload()
    centre.get_by_role("button", name="Công khai", exact=True).click()
    centre.get_by_text("Đã công khai kết quả; người phản ánh được báo.").wait_for()

    page.goto(f"{base}/phan-anh/{report.code}/")
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.get_by_text("Cảm ơn bạn đã đánh giá").wait_for()
    report.refresh_from_db()
    assert report.status == "closed" and report.rating == "satisfied"

    public = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}).new_page()
    public.goto(f"{base}/phan-anh/{report.code}/")
    public.get_by_text("Đã vá ổ gà bằng bê tông nhựa").wait_for()
    html = public.content()
    for secret in ("Nguyễn Văn An", "092085001234", "0901234567", "nguyenvanan@example.com"):
        assert secret not in html
    sources = public.locator("img").evaluate_all("els => els.map(e => e.src)")
    assert len(sources) == 2  # the citizen's photo and the commune's evidence
    for src in sources:
        image = Image.open(io.BytesIO(public.request.get(src).body()))
        assert dict(image.getexif()) == {}, "a public photo kept its EXIF"
