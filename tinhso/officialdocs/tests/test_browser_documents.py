"""Issue 12's journey in headless Chromium on the demo: a specialist of the
Department of Construction drafts a letter to Phường Ninh Kiều; the head of
division approves, the leader signs; the clerical office numbers, seals and
issues it; it arrives in the commune's inbox through the exchange (edXML);
the commune's clerical office registers it and its leader assigns it; the
sender sees the statuses 01, 03 and 04."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tinhso.officialdocs.models import OfficialDocument
from tinhso.testing import staff_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(real_units, settings):
    settings.TINHSO_REQUIRE_2FA = False
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def test_a_letter_from_the_department_reaches_the_commune(chromium, live_server, demo, tmp_path):
    from tinhso.signatures.tests.conftest import make_pdf

    base = live_server.url
    body = tmp_path / "cong-van.pdf"
    body.write_bytes(make_pdf("CONG VAN KIEM TRA TRAT TU XAY DUNG"))

    specialist = staff_page(chromium, base, "chuyenvien.sxd")
    specialist.goto(f"{base}/van-ban/soan-thao/")
    specialist.get_by_label("Cơ quan ban hành").select_option(label="Sở Xây dựng")
    specialist.get_by_label("Loại văn bản").select_option(label="Công văn (CV)")
    specialist.get_by_label("Trích yếu").fill("V/v kiểm tra trật tự xây dựng trên địa bàn phường")
    specialist.get_by_label("Tệp văn bản (PDF, để ký số)").set_input_files(str(body))
    specialist.get_by_label("Nơi nhận (giữ Ctrl để chọn nhiều)").select_option(
        label="Ủy ban nhân dân Phường Ninh Kiều")
    specialist.get_by_role("button", name="Lưu dự thảo").click()
    specialist.get_by_text("Đã lưu dự thảo.").wait_for()
    detail = specialist.url
    specialist.get_by_role("button", name="Trình duyệt").click()
    specialist.get_by_text("Chờ lãnh đạo phòng duyệt").first.wait_for()

    head = staff_page(chromium, base, "truongphong.sxd")
    head.goto(detail)
    head.get_by_role("button", name="Duyệt, trình ký").click()
    head.get_by_text("Chờ lãnh đạo ký").first.wait_for()

    leader = staff_page(chromium, base, "lanhdao.sxd")
    leader.goto(detail)
    leader.get_by_role("button", name="Ký duyệt").click()
    leader.get_by_text("Chờ văn thư phát hành").first.wait_for()

    clerk = staff_page(chromium, base, "vanthu.sxd")
    clerk.goto(f"{base}/van-ban/?tab=to_issue")
    clerk.get_by_role("link", name="(chưa có số)").first.click()
    clerk.get_by_role("button", name="Cấp số, ký số cơ quan và phát hành").click()
    clerk.get_by_text("Đã phát hành").first.wait_for()
    outgoing = OfficialDocument.objects.get(direction="out", status="issued")
    assert outgoing.reference.endswith("/SXD-QLXD") or outgoing.reference.endswith("/SXD")

    commune_clerk = staff_page(chromium, base, "vanthu.ninhkieu")
    commune_clerk.goto(f"{base}/van-ban/?tab=to_register")
    commune_clerk.get_by_role("link", name=outgoing.reference).click()
    commune_clerk.get_by_role("button", name="Vào sổ văn bản đến").click()
    commune_clerk.get_by_text("Đã vào sổ, chờ phân công").first.wait_for()

    commune_leader = staff_page(chromium, base, "lanhdao.ninhkieu")
    commune_leader.goto(f"{base}/van-ban/?tab=to_assign")
    commune_leader.get_by_role("link", name=outgoing.reference).click()
    commune_leader.get_by_label("Người xử lý").select_option(label="Châu Văn Phúc")
    commune_leader.get_by_label("Ý kiến chỉ đạo").fill("Giao công chức địa chính kiểm tra, báo cáo trong 5 ngày.")
    commune_leader.get_by_role("button", name="Phân công").click()
    commune_leader.get_by_text("Đã phân công xử lý").first.wait_for()

    specialist.goto(detail)
    history = specialist.locator("table").last.inner_text()
    for label in ("báo trạng thái 01 (Đã đến)", "báo trạng thái 03 (Đã tiếp nhận, vào sổ)",
                  "báo trạng thái 04 (Đã phân công xử lý)"):
        assert label in history, history
    recipients = specialist.locator("table", has_text="Mã định danh").inner_text()
    assert "Ủy ban nhân dân Phường Ninh Kiều" in recipients and "04" in recipients
