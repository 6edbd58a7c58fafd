"""Issue 15's done-means in a real headless Chromium on a 360 px phone: the
app installs (manifest linked and valid, the service worker registers and
controls the page), the citizen signs in with the e-ID sandbox (real OpenID
Connect), sees a dossier waiting for a supplement, gets a push message
(delivered to a local push service and decrypted there), sends a field
report with a photo inside the app (first while offline: kept on the phone,
sent again once online), reads the answer, rates it and reopens it, asks an agency a
question inside the app and reads the answer pushed to the phone, reads
today's leaders' schedule, market prices and the weather, goes offline and
still sees the last data with the offline notice; the offline start URL
answers; a new deploy replaces the worker and its cache and offers a
reload."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tinhso.citizenapp.models import PushSubscription
from tinhso.citizenapp.tests.pushservice import Browser
from tinhso.fieldreports.tests.conftest import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HERE = {"latitude": 10.03412, "longitude": 105.78805}


@pytest.fixture
def demo(real_units, settings):
    settings.TINHSO_REQUIRE_2FA = False
    settings.TINHSO_MAP_TILE_URL = ""
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    from tinhso.notifications.models import MessageTemplate
    from tinhso.testing import reseed

    if not MessageTemplate.objects.exists():  # an earlier transactional test emptied the seeded templates
        reseed("notifications", "0003_seed_templates", "0005_more_citizen_events", "0007_field_report_templates",
               "0008_field_report_confirmed")


def _supplement_for(citizen):
    """A dossier of the citizen received at Ninh Kiều's desk, then a supplement asked for."""
    from tinhso.accounts.models import RoleAssignment, User
    from tinhso.catalogue.models import ProcedureCase
    from tinhso.dossiers import actions
    from tinhso.dossiers.actions import ComponentInput
    from tinhso.dossiers.models import Dossier
    from tinhso.units.models import AdministrativeUnit

    clerk = User.objects.get(username="motcua.ninhkieu")
    desk = RoleAssignment.objects.filter(user=clerk, role="clerk").first().agency
    case = ProcedureCase.objects.filter(procedure__code="1.001193").first()
    area = AdministrativeUnit.objects.get(level="commune", code="31135", valid_to__isnull=True)
    dossier = actions.receive_at_counter(
        acting_user=clerk, receiving_agency=desk, case=case, area=area,
        applicant={"owner_name": citizen.full_name, "owner_id_number": citizen.id_number,
                   "owner_phone": citizen.phone, "owner_address": citizen.address, "subject": "Đăng ký khai sinh"},
        components=[ComponentInput(required_component_id=c.pk, originals=1) for c in case.components.all()
                    if c.required])
    Dossier.objects.filter(pk=dossier.pk).update(citizen=citizen)
    dossier.refresh_from_db()
    return actions.request_supplement(acting_user=clerk, dossier=dossier,
                                      reason="Bổ sung bản chụp giấy chứng nhận kết hôn của cha mẹ.")


def _todays_schedule_and_prices():
    """Today's schedule of the provincial People's Committee (published week) and today's prices at a
    Ninh Kiều market, through the content apps' own actions (as the system)."""
    import datetime

    from django.utils import timezone

    from tinhso.agencies.models import Agency
    from tinhso.marketprices import actions as prices
    from tinhso.schedules import actions as schedules
    from tinhso.units.models import AdministrativeUnit

    agency = Agency.objects.filter(is_active=True).order_by("path").first()
    start = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    schedules.save_entry(acting_user=None, agency_id=agency.pk, start=start, end=start + datetime.timedelta(hours=2),
                         content="Họp giao ban phòng chống thiên tai mùa mưa bão", leaders="Chủ tịch UBND",
                         place="Phòng họp số 1")
    schedules.publish_week(acting_user=None, agency_id=agency.pk, week="")
    ninhkieu = AdministrativeUnit.objects.get(level="commune", code="31135", valid_to__isnull=True)
    market = prices.create_market(acting_user=None, name="Chợ Tân An (thử nghiệm)", unit_id=ninhkieu.pk,
                                  agency_id=agency.pk)
    good = prices.create_good(acting_user=None, name="Gạo ST25 (thử nghiệm)", unit="kg", group="rice")
    prices.set_price(acting_user=None, market_id=market.pk, good_id=good.pk, day=timezone.localdate(), price=32000)


def _answer_report(report):
    """The centre confirms the report, the agency it is routed to handles it with a photo, the centre publishes."""
    from tinhso.accounts.models import User
    from tinhso.fieldreports import actions
    from tinhso.fieldreports.demo import _handler

    centre = User.objects.get(username="dieuhanh")
    actions.confirm(acting_user=centre, code=report.code)
    report.refresh_from_db()
    handler = _handler(report.agency)
    actions.accept(acting_user=handler, code=report.code)
    actions.start_work(acting_user=handler, code=report.code)
    actions.answer(acting_user=handler, code=report.code, text="Đã sửa xong, mặt đường thông thoáng.", files=[jpeg()])
    actions.publish(acting_user=centre, code=report.code)


def test_citizen_app_on_a_phone(chromium, live_server, demo, tmp_path, settings, vapid, push_service):
    from tinhso.accounts.models import User
    from tinhso.fieldreports.models import FieldReport
    from tinhso.questions import actions as question_actions
    from tinhso.questions.models import Question

    settings.TINHSO_BASE_URL = base = live_server.url
    settings.TINHSO_WEATHER_URL = ""
    settings.TINHSO_WEATHER_SANDBOX = True
    photo = tmp_path / "cay-do.jpg"
    photo.write_bytes(jpeg(size=(640, 480)).read())

    context = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True,
                                   has_touch=True, geolocation=HERE, permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(20000)
    csp = []  # the strict Content-Security-Policy holds in the app (no inline script or style)
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)

    # Installable: the manifest is linked and valid, the worker registers and controls the page.
    page.goto(f"{base}/app/?source=pwa")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.request.get(f"{base}{href}").json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/app/?source=pwa"
    assert {"192x192", "512x512"} <= {i["sizes"] for i in manifest["icons"]}
    assert any(i["purpose"] == "maskable" for i in manifest["icons"])
    for icon in manifest["icons"]:
        assert page.request.get(f"{base}{icon['src']}").headers["content-type"] == "image/png"
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)") == f"{base}/app/"

    # Sign in with the national e-ID sandbox; back in the app.
    page.get_by_role("link", name="Đăng nhập bằng định danh điện tử").click()
    page.get_by_text("Nguyễn Văn An").click()
    page.get_by_label("Mật khẩu hoặc mã xác thực một lần (OTP)").fill("thunghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/app/")
    page.get_by_role("heading", name="Xin chào, Nguyễn Văn An").wait_for()
    session = next(c for c in context.cookies() if c["name"] == "sessionid")
    assert session["expires"] > __import__("time").time() + 80 * 86400  # stays signed in on the phone
    citizen = User.objects.get(id_number="092085001234")

    # Push: this phone subscribes (the browser's keys made here, the local push service as endpoint).
    phone = Browser()
    csrf = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    r = page.request.post(f"{base}/api/v1/app/push/subscriptions", headers={"X-CSRFToken": csrf}, data={
        "endpoint": push_service.endpoint("an"), "p256dh": phone.p256dh, "auth": phone.auth_b64,
        "topics": ["dossiers", "reports", "warnings", "questions"]})
    assert r.status == 200, r.text()
    assert PushSubscription.objects.get().user == citizen

    # A supplement is asked for: the app lists it as waiting for me, and the push arrives.
    dossier = _supplement_for(citizen)
    _todays_schedule_and_prices()
    received = push_service.for_path("an")
    assert len(received) == 1
    message = phone.decrypt(received[0]["body"])
    assert message["title"] == f"Hồ sơ {dossier.code}"
    page.reload()
    page.locator("body[data-loaded='1']").wait_for()
    todo = page.locator("#todo-list")
    assert "Cần bổ sung hồ sơ" in todo.inner_text() and dossier.code in todo.inner_text()
    assert dossier.code in page.locator("#dossier-list").inner_text()
    assert page.locator("#weather-now .temp").inner_text().endswith("°C")
    assert page.locator("#forecast li").count() == 4
    assert "Họp giao ban phòng chống thiên tai mùa mưa bão" in page.locator("#lich-cong-tac").inner_text()
    boards = [b for b in page.request.get(f"{base}/api/v1/market-prices").json() if b["prices"]]
    shown = boards[0]["prices"][0]  # the app shows the first markets' boards
    assert f"{shown['good']['name']} {shown['price']:,}".replace(",", ".") in page.locator("#gia-ca").inner_text()

    # A field report with a photo and the phone's position, inside the app; the phone is offline when it is sent:
    # the app says so and keeps it (photo included), even across a restart, and sends it again once online.
    page.get_by_role("link", name="Gửi phản ánh (chụp ảnh, vị trí)").click()
    page.get_by_role("heading", name="Gửi phản ánh hiện trường").wait_for()
    assert page.url == f"{base}/app/#gui-phan-anh"  # still the app, not the portal's form
    page.get_by_label("Lĩnh vực phản ánh").select_option(label="Đường hư hỏng, ổ gà, sụt lún")
    page.wait_for_timeout(800)  # the start-up preload of the categories is over: it neither added them twice
    options = page.locator("#r-category option").all_inner_texts()  # nor undid the choice
    assert len(options) == len(set(options))
    assert page.get_by_label("Lĩnh vực phản ánh").input_value() != ""
    page.get_by_label("Nội dung phản ánh").fill("Cây đổ chắn nửa đường trước số 12 Trần Hưng Đạo.")
    page.get_by_label("Xã, phường", exact=True).select_option(label="Phường Ninh Kiều")
    page.get_by_role("button", name="Dùng vị trí hiện tại của tôi").click()
    page.get_by_text("Đã lấy vị trí: 10.03412, 105.78805").wait_for()
    camera = page.get_by_label("Ảnh hiện trường (chụp bằng máy ảnh)")
    assert (camera.get_attribute("accept"), camera.get_attribute("capture")) == ("image/*", "environment")
    camera.set_input_files(str(photo))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the report form scrolls sideways"
    context.set_offline(True)
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()
    page.get_by_text("Đang ngoại tuyến — phản ánh chưa được gửi.").wait_for()
    assert not FieldReport.objects.filter(reporter=citizen).exists()
    page.goto(f"{base}/app/")  # the app opened again, still offline: the draft is there
    page.locator("body[data-loaded='1']").wait_for()
    assert "Có một phản ánh chưa gửi" in page.locator("#report-draft").inner_text()
    context.set_offline(False)
    page.get_by_text("Đã có mạng trở lại — gửi phản ánh đã lưu?").wait_for()
    page.get_by_role("button", name="Gửi lại").click()
    page.get_by_text("Đã gửi phản ánh").first.wait_for()
    report = FieldReport.objects.get(reporter=citizen)
    assert report.media.count() == 1 and report.channel == "mobile"
    assert page.url == f"{base}/app/#phan-anh/{report.code}"
    assert "Cây đổ chắn nửa đường" in page.locator("#report-detail").inner_text()
    mine = page.locator("#report-detail img.photo")  # my own photo, though the report is not public yet
    assert mine.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    page.get_by_role("link", name="Phản ánh của tôi").click()
    page.locator("#report-draft").wait_for(state="hidden")  # sent: the draft is gone
    assert report.code in page.locator("#report-list").inner_text()

    # The centre publishes an answer: the citizen reads it in the app and rates it there.
    _answer_report(report)
    pushed = [phone.decrypt(m["body"]) for m in push_service.for_path("an")]
    assert any(m["url"] == f"/app/#phan-anh/{report.code}" for m in pushed)  # the result's push opens the report
    page.reload()
    page.locator("body[data-loaded='1']").wait_for()
    page.locator("#report-list").get_by_role("link", name=report.code).click()
    page.get_by_text("Đã sửa xong, mặt đường thông thoáng.").wait_for()
    page.get_by_label("Không hài lòng", exact=True).check()
    page.get_by_label("Ý kiến của bạn (không bắt buộc)").fill("Cây vẫn còn một nửa trên lề đường.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.get_by_text("Cảm ơn bạn đã đánh giá.").first.wait_for()
    report.refresh_from_db()
    assert (report.status, report.rating) == ("closed", "not_satisfied")
    assert page.locator("#rating-form").is_hidden()
    page.get_by_label("Chưa hài lòng với kết quả? Nêu lý do để mở lại phản ánh").fill("Cây vẫn chắn lề đường.")
    page.get_by_role("button", name="Mở lại phản ánh").click()  # not satisfied: reopened from the app
    page.get_by_text("Đã mở lại phản ánh; cơ quan sẽ xử lý lại.").wait_for()
    report.refresh_from_db()
    assert report.reopen_count == 1 and report.is_open

    # A question to the Department of Justice, asked inside the app; the answer arrives by push and is read there.
    page.goto(f"{base}/app/")
    page.locator("body[data-loaded='1']").wait_for()
    assert "Xin trích lục khai sinh bản sao ở đâu?" in page.locator("#faq-list").inner_text()  # published answers
    page.get_by_role("link", name="Đặt câu hỏi cho cơ quan nhà nước").click()
    page.get_by_role("heading", name="Đặt câu hỏi").wait_for()
    page.get_by_label("Cơ quan nhận câu hỏi").select_option(label="Sở Tư pháp")
    page.get_by_label("Tiêu đề").fill("Chứng thực bản sao giấy khai sinh")
    page.get_by_label("Nội dung câu hỏi").fill("Tôi có thể chứng thực bản sao ở UBND phường nào?")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the question form scrolls sideways"
    page.get_by_role("button", name="Gửi câu hỏi").click()
    page.get_by_text("Đã gửi câu hỏi.").wait_for()
    question = Question.objects.get(asker=citizen, title="Chứng thực bản sao giấy khai sinh")
    assert page.url == f"{base}/app/#cau-hoi/{question.pk}"
    assert "Chờ trả lời" in page.locator("#question-detail").inner_text()
    specialist = User.objects.get(username="chuyenvien.stp")
    question_actions.answer_question(acting_user=specialist, question_id=question.pk,
                                     answer="Ông/bà đến bất kỳ UBND xã, phường nào trong tỉnh.")
    pushed = [phone.decrypt(m["body"]) for m in push_service.for_path("an")]
    answered = next(m for m in pushed if m["url"] == f"/app/#cau-hoi/{question.pk}")
    assert "Sở Tư pháp đã trả lời" in answered["title"]
    page.goto(f"{base}/app/")
    page.locator("body[data-loaded='1']").wait_for()
    page.goto(f"{base}{answered['url']}")  # what tapping the notification opens
    page.get_by_text("Ông/bà đến bất kỳ UBND xã, phường nào trong tỉnh.").wait_for()
    assert "Đã trả lời" in page.locator("#question-detail").inner_text()

    page.goto(f"{base}/app/")
    page.locator("body[data-loaded='1']").wait_for()
    assert report.code in page.locator("#report-list").inner_text()
    assert "Chứng thực bản sao giấy khai sinh" in page.locator("#question-list").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the app scrolls sideways on a phone"
    assert page.locator("#offline-notice").is_hidden()

    # News are read inside the app (an announcement's push opens the same view).
    first_news = page.locator("#news-list li a").first
    title = first_news.inner_text()
    first_news.click()
    page.get_by_role("heading", name=title, level=1).wait_for()
    assert page.url.startswith(f"{base}/app/#tin-tuc/") and page.locator("#home").is_hidden()
    assert len(page.locator("#article-detail p").all()) >= 2
    page.goto(f"{base}/app/")
    page.locator("body[data-loaded='1']").wait_for()
    assert csp == []

    # Offline: the start URL answers from the worker, with the last data and the notice.
    context.set_offline(True)
    page.goto(f"{base}/app/?source=pwa")
    page.locator("body[data-loaded='1']").wait_for()
    assert page.locator("#offline-notice").is_visible()
    assert page.locator("#offline-notice").inner_text() == "Đang ngoại tuyến — hiển thị dữ liệu lần trước"
    assert dossier.code in page.locator("#dossier-list").inner_text()
    assert "Cần bổ sung hồ sơ" in page.locator("#todo-list").inner_text()
    assert report.code in page.locator("#report-list").inner_text()
    assert page.locator("#weather-now .temp").inner_text().endswith("°C")
    assert "Họp giao ban phòng chống thiên tai" in page.locator("#lich-cong-tac").inner_text()
    assert shown["good"]["name"] in page.locator("#gia-ca").inner_text()
    page.goto(f"{base}/app/some-page-never-seen/")
    assert "Đang ngoại tuyến" in page.locator("body").inner_text()
    context.set_offline(False)

    # A new deploy: the new worker takes over at once, drops the old shell cache, and the app offers a reload.
    settings.TINHSO_APP_RELEASE = "2026.12.2"
    page.goto(f"{base}/app/")
    page.locator("body[data-loaded='1']").wait_for()
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    page.locator("#update-banner").wait_for(state="visible")
    page.wait_for_function("""caches.keys().then(k => k.filter(n => n.startsWith('tinhso-app-shell-')))
        .then(s => s.length === 1 && s[0].endsWith('-2026.12.2'))""")  # the old shell cache is gone
    page.get_by_role("button", name="Tải lại").click()
    page.locator("body[data-loaded='1']").wait_for()
    assert page.locator("#update-banner").is_hidden()
    context.close()
