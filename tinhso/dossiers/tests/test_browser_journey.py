"""The one-stop-shop journey of issue 3 in a real headless Chromium, on the
demo province's data: counter reception and form 01, processing with a
supplement that moves the due time, approvals, result returned, control slip."""

import datetime
from urllib.parse import urljoin

import pytest

from tinhso.signatures.tests.conftest import make_pdf
from django.core.management import call_command
from django.utils import timezone

from tinhso.dossiers.models import Dossier, DossierPause, Status
from tinhso.workcalendar.engine import get_calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "TinhSo@2026"


@pytest.fixture
def demo(real_units, settings):
    settings.TINHSO_REQUIRE_2FA = False
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def _as(chromium, base, username):
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Xin chào").wait_for()
    return page


def _act(page, label, fill=None):
    page.locator("details summary", has_text=label).click()
    form = page.locator("details[open] form")
    for field, value in (fill or {}).items():
        target = form.get_by_label(field, exact=True)
        if target.evaluate("el => el.tagName") == "SELECT":
            target.select_option(label=value)
        else:
            target.fill(value)
    form.get_by_role("button", name=label).click()
    page.get_by_text(f"Đã thực hiện: {label}.").wait_for()


def _pdf(page, link_text):
    href = page.get_by_role("link", name=link_text).get_attribute("href")
    response = page.request.get(urljoin(page.url, href))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_counter_to_returned_result(chromium, live_server, demo, tmp_path):
    base = live_server.url
    clerk = _as(chromium, base, "motcua.tinh")
    clerk.get_by_role("navigation").get_by_role("link", name="Tiếp nhận hồ sơ").click()
    clerk.get_by_label("Tên hoặc mã thủ tục (có hoặc không dấu)").fill("giay phep xay dung cong trinh")
    clerk.get_by_role("button", name="Tìm").click()
    clerk.locator(".card", has_text="1.009793").get_by_role("link").first.click()
    clerk.get_by_label("Họ và tên chủ hồ sơ").fill("Công ty TNHH Xây dựng Hậu Giang")
    clerk.get_by_label("Số giấy tờ (số định danh cá nhân)").fill("6300123456")
    clerk.get_by_label("Điện thoại").fill("0939123456")
    for box in clerk.locator("input[type=checkbox][name^=received_]").all():
        box.check()
    clerk.get_by_role("button", name="Tiếp nhận và hẹn trả").click()
    # Số hóa is the default: a received paper without its scan is refused until it is uploaded or marked paper only.
    clerk.get_by_text("Chưa có bản scan của").wait_for()
    for radio in clerk.locator("input[type=radio][value=paper]").all():
        radio.check()
    for box in clerk.locator("input[type=checkbox][name^=received_]").all():
        box.check()
    clerk.get_by_role("button", name="Tiếp nhận và hẹn trả").click()
    clerk.get_by_text("Đã tiếp nhận hồ sơ").wait_for()
    dossier = Dossier.objects.get(owner_name="Công ty TNHH Xây dựng Hậu Giang")
    assert dossier.code.startswith("000.00.02.H13-") and dossier.status == Status.RECEIVED
    _pdf(clerk, "Giấy tiếp nhận, hẹn trả (01)")

    _act(clerk, "Chuyển xử lý", {"Người nhận": "Lê Hoàng Nam"})

    specialist = _as(chromium, base, "chuyenvien.sxd")
    specialist.get_by_role("navigation").get_by_role("link", name="Hồ sơ", exact=True).click()
    specialist.get_by_role("link", name=dossier.code).click()
    _act(specialist, "Yêu cầu bổ sung", {"Nội dung cần bổ sung (nêu đầy đủ một lần)": "Bổ sung bản vẽ mặt bằng"})
    assert "Yêu cầu bổ sung" in specialist.locator("h1").inner_text()

    # Three days pass while the applicant gathers the papers.
    dossier.refresh_from_db()
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    Dossier.objects.filter(pk=dossier.pk).update(counting_from=three_days_ago - datetime.timedelta(days=1),
                                                 received_at=three_days_ago - datetime.timedelta(days=1))
    DossierPause.objects.filter(dossier=dossier).update(started_at=three_days_ago)
    calendar = get_calendar()
    expected_due = calendar.add_working_time(dossier.due_at, calendar.working_time_between(three_days_ago,
                                                                                            timezone.now()))

    drawing = tmp_path / "ban-ve.pdf"
    drawing.write_bytes(make_pdf("BAN VE MAT BANG"))
    clerk.reload()
    clerk.locator("details summary", has_text="Nộp hồ sơ bổ sung").click()
    clerk.locator("details[open] form").get_by_label("Giấy tờ bổ sung").set_input_files(str(drawing))
    clerk.locator("details[open] form").get_by_role("button", name="Nộp hồ sơ bổ sung").click()
    clerk.get_by_text("Đã thực hiện: Nộp hồ sơ bổ sung.").wait_for()
    _act(clerk, "Tiếp nhận bổ sung")
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert abs((dossier.due_at - expected_due).total_seconds()) < 120
    assert timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y") in clerk.locator("#due-at").inner_text()

    specialist.reload()
    _act(specialist, "Chuyển xử lý", {"Người nhận": "Phạm Thị Lan"})
    head = _as(chromium, base, "truongphong.sxd")
    head.goto(f"{base}/dossiers/{dossier.code}/")
    _act(head, "Chuyển xử lý", {"Người nhận": "Võ Quốc Dũng"})
    leader = _as(chromium, base, "lanhdao.sxd")
    leader.goto(f"{base}/dossiers/{dossier.code}/")
    permit = tmp_path / "giay-phep.pdf"
    permit.write_bytes(drawing.read_bytes())
    leader.locator("details summary", has_text="Hoàn thành, có kết quả").click()
    finish_form = leader.locator("details[open] form")
    finish_form.get_by_label("Số, ký hiệu").fill("125/GPXD")
    finish_form.get_by_label("Tệp kết quả").set_input_files(str(permit))
    finish_form.get_by_role("button", name="Hoàn thành, có kết quả").click()
    leader.get_by_text("Đã thực hiện: Hoàn thành, có kết quả.").wait_for()

    clerk.get_by_role("navigation").get_by_role("link", name="Hồ sơ", exact=True).click()
    clerk.get_by_role("link", name="Chờ trả kết quả").click()
    clerk.get_by_role("link", name=dossier.code).click()
    _act(clerk, "Trả kết quả", {"Người nhận kết quả": "Trần Văn Bình (ủy quyền)"})
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.returned_to == "Trần Văn Bình (ủy quyền)"

    timeline = clerk.locator("#timeline tbody tr")
    actions_seen = [timeline.nth(i).locator("code").inner_text() for i in range(timeline.count())]
    assert actions_seen == ["receive", "forward", "request_supplement", "submit_supplement", "accept_supplement",
                            "forward", "forward", "finish", "return_result"]
    _pdf(clerk, "Phiếu kiểm soát quá trình (06)")
