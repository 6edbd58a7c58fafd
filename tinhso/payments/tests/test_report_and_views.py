"""The daily reconciliation report (rows, totals, disagreements, Excel) and
the pages' permission checks."""

import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tinhso.payments import actions
from tinhso.payments.models import PaymentRequest
from tinhso.payments.report import build_report, report_xlsx
from tinhso.payments.tests.conftest import in_processing, make_citizen, path_of, result_message

pytestmark = pytest.mark.django_db


def _new(w, citizen=None, amount=None):
    d = in_processing(w, citizen)
    lines = [{"name": "Lệ phí", "kind": "charge", "amount": amount}] if amount else None
    return actions.create_payment_request(acting_user=w.specialist, dossier=d, lines=lines)


@pytest.fixture
def day_of_payments(fees, citizen, paygov, receipts):
    """Online paid 50.000; cash 50.000; refunded 70.000 (refund 20.000); cancelled 10.000; and a pending
    10.000 that the gateway reports paid (disagreement)."""
    w = fees
    browser = Client()
    browser.force_login(citizen)

    def pay(payment):
        browser.post(path_of(browser.post(f"/thanh-toan/{payment.reference}/")["Location"]),
                     {"channel": "QR", "pay": "1"})
        payment.refresh_from_db()
        assert payment.status == "paid"

    online = _new(w, citizen)
    pay(online)
    cash = _new(w)
    actions.record_counter_payment(acting_user=w.clerk, payment=cash, receipt_no="BL-01")
    refunded = _new(w, citizen, amount=70000)
    pay(refunded)
    actions.refund_payment(acting_user=w.leader, payment=refunded, amount=20000, reason="Thu thừa")
    cancelled = _new(w, amount=10000)
    actions.cancel_payment(acting_user=w.clerk, payment=cancelled, reason="Tạo nhầm")
    lost = _new(w, amount=10000)
    PaymentRequest.objects.filter(pk=lost.pk).update(gateway_status="00", started_at=timezone.now(), method="online")
    return {"online": online, "cash": cash, "refunded": refunded, "cancelled": cancelled, "lost": lost}


def test_report_rows_totals_and_disagreements(fees, day_of_payments):
    report = build_report(fees.centre, timezone.localdate())
    refs = [p.reference for p, _ in report.rows]
    assert sorted(refs) == sorted(p.reference for p in day_of_payments.values())
    totals = {label: (count, amount) for label, count, amount in report.totals}
    assert totals["Đã thanh toán"] == (2, 100000)
    assert totals["Đã hoàn tiền"] == (1, 70000)
    assert totals["Đã hủy"] == (1, 10000)
    assert totals["Chờ thanh toán"] == (1, 10000)
    assert totals["Hết hạn"] == (0, 0)
    assert report.collected == 170000 and report.refunded == 20000 and report.net == 150000
    assert [(p.reference, note) for p, note in report.disagreements] == [
        (day_of_payments["lost"].reference, "Hệ thống: Chờ thanh toán; cổng: Đã thanh toán (chưa ghi nhận trên hệ thống)")]
    # another agency's report is empty
    assert build_report(fees.other_centre, timezone.localdate()).rows == []


def test_report_excel(fees, day_of_payments):
    report = build_report(fees.centre, timezone.localdate())
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    assert book.sheetnames == ["Đối soát", "Lệch trạng thái", "Giao dịch chưa ghi nhận"]
    sheet = book["Đối soát"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0].startswith("BÁO CÁO ĐỐI SOÁT THANH TOÁN NGÀY")
    assert rows[4][:5] == ["STT", "Mã tham chiếu", "Mã hồ sơ", "Người nộp", "Số tiền (đồng)"]
    data = {row[1]: row for row in rows[5:5 + len(report.rows)]}
    online = data[day_of_payments["online"].reference]
    assert online[4] == 50000 and online[6] == "QR" and online[7] == day_of_payments["online"].gateway_transaction_id
    assert online[8] == "Đã thanh toán" and online[9] == "Đã thanh toán"
    assert data[day_of_payments["cash"].reference][5] == "Nộp tại quầy"
    assert data[day_of_payments["refunded"].reference][11] == 20000
    labels = {row[1]: row[4] for row in rows if row and row[1] in ("Tổng cộng", "Thực thu", "Đã hoàn tiền")}
    assert labels == {"Tổng cộng": 190000, "Đã hoàn tiền": 20000, "Thực thu": 150000}
    mismatch = [[c.value for c in row] for row in book["Lệch trạng thái"].iter_rows(min_row=2)]
    assert [row[1] for row in mismatch] == [day_of_payments["lost"].reference]


def test_report_lists_verified_results_that_were_not_applied(fees, day_of_payments):
    cancelled = day_of_payments["cancelled"]
    Client().post("/thanh-toan/cong/thong-bao/", result_message(cancelled, MaGiaoDich="GD-LATE"))
    report = build_report(fees.centre, timezone.localdate())
    assert [m.transaction_id for m in report.unapplied] == ["GD-LATE"]


def test_report_page_and_download(fees, day_of_payments):
    staff = Client()
    staff.force_login(fees.clerk)
    today = timezone.localdate().isoformat()
    page = staff.get("/thanh-toan/quan-ly/doi-soat/", {"agency": fees.centre.pk, "day": today})
    assert page.status_code == 200 and day_of_payments["online"].reference in page.content.decode()
    xlsx = staff.get("/thanh-toan/quan-ly/doi-soat/", {"agency": fees.centre.pk, "day": today, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    refresh = staff.post("/thanh-toan/quan-ly/doi-soat/", {"agency": fees.centre.pk, "day": today})
    assert refresh.status_code == 302
    # staff of another agency cannot pick this agency
    other = Client()
    other.force_login(fees.outsider)
    page = other.get("/thanh-toan/quan-ly/doi-soat/", {"agency": fees.centre.pk, "day": today})
    assert page.status_code == 200 and day_of_payments["online"].reference not in page.content.decode()


def test_citizen_pages_permissions(fees, citizen, paygov):
    payment = _new(fees, citizen)
    anonymous = Client().get(f"/thanh-toan/{payment.reference}/")
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"/dinh-danh/login/?next=%2Fthanh-toan%2F{payment.reference}%2F"
    other = Client()
    other.force_login(make_citizen("092095007777", "Trần Văn Khác"))
    assert other.get(f"/thanh-toan/{payment.reference}/").status_code == 404
    assert other.post(f"/thanh-toan/{payment.reference}/").status_code == 404
    assert other.get(f"/thanh-toan/{payment.reference}/ket-qua/").status_code == 404
    staff = Client()
    staff.force_login(fees.clerk)  # staff are not the payer
    assert staff.get(f"/thanh-toan/{payment.reference}/").status_code == 302
    owner = Client()
    owner.force_login(citizen)
    assert owner.get("/thanh-toan/TS000000NOTHING/").status_code == 404


def test_staff_pages_permissions(fees, citizen, paygov, receipts):
    payment = _new(fees, citizen)
    outsider = Client()
    outsider.force_login(fees.outsider)
    listing = outsider.get("/thanh-toan/quan-ly/")
    assert listing.status_code == 200 and payment.reference not in listing.content.decode()
    assert outsider.get(f"/thanh-toan/quan-ly/{payment.reference}/").status_code == 403
    assert outsider.post(f"/thanh-toan/quan-ly/{payment.reference}/counter/", {}).status_code == 403
    assert Client().get("/thanh-toan/quan-ly/").status_code == 302  # staff login
    citizen_client = Client()
    citizen_client.force_login(citizen)
    assert citizen_client.get("/thanh-toan/quan-ly/").status_code == 403

    clerk = Client()
    clerk.force_login(fees.clerk)
    listing = clerk.get("/thanh-toan/quan-ly/", {"status": "pending"})
    assert payment.reference in listing.content.decode()
    detail = clerk.get(f"/thanh-toan/quan-ly/{payment.reference}/")
    assert detail.status_code == 200 and "Ghi nhận đã thu tại quầy" in detail.content.decode()
    assert "Hoàn tiền" not in detail.content.decode()
    done = clerk.post(f"/thanh-toan/quan-ly/{payment.reference}/counter/", {"receipt_no": "BL-9"})
    assert done.status_code == 302
    payment.refresh_from_db()
    assert payment.status == "paid"
    # the clerk may not refund: a clear message, not a 500
    refused = clerk.post(f"/thanh-toan/quan-ly/{payment.reference}/refund/", {"amount": "1000", "reason": "x"})
    assert refused.status_code == 200 and "Chỉ lãnh đạo" in refused.content.decode()
    leader = Client()
    leader.force_login(fees.leader)
    assert "Hoàn tiền" in leader.get(f"/thanh-toan/quan-ly/{payment.reference}/").content.decode()
    bad = leader.post(f"/thanh-toan/quan-ly/{payment.reference}/refund/", {"amount": "abc", "reason": ""})
    assert bad.status_code == 200 and "Dữ liệu chưa hợp lệ" in bad.content.decode()
    ok = leader.post(f"/thanh-toan/quan-ly/{payment.reference}/refund/", {"amount": "50000", "reason": "Dừng"})
    assert ok.status_code == 302
    payment.refresh_from_db()
    assert payment.status == "refunded"


def test_staff_creates_a_request_from_the_page(fees, citizen, paygov):
    d = in_processing(fees, citizen)
    specialist = Client()
    specialist.force_login(fees.specialist)
    page = specialist.get("/thanh-toan/quan-ly/tao/", {"dossier": d.code})
    assert page.status_code == 200 and "Phí cấp bản sao trích lục" in page.content.decode()
    fee_ids = [str(f.pk) for f in fees.case.fees.all()]
    created = specialist.post("/thanh-toan/quan-ly/tao/", {
        "dossier": d.code, "moment": "during_processing", "method": "online", "fees": fee_ids,
        "line_name": "Phí thẩm định", "line_kind": "fee", "line_amount": "5000", "version": d.version})
    assert created.status_code == 302, created.content.decode()[:2000]
    payment = PaymentRequest.objects.get(dossier=d)
    assert payment.amount == 55000
    d.refresh_from_db()
    assert d.status == 6
    # the outsider cannot find the dossier
    outsider = Client()
    outsider.force_login(fees.outsider)
    page = outsider.get("/thanh-toan/quan-ly/tao/", {"dossier": d.code})
    assert "Không tìm thấy hồ sơ" in page.content.decode()


def test_sandbox_refuses_a_tampered_payment_link(fees, citizen, paygov):
    payment = _new(fees, citizen)
    browser = Client()
    browser.force_login(citizen)
    url = browser.post(f"/thanh-toan/{payment.reference}/")["Location"]
    tampered = path_of(url).replace("SoTien=50000", "SoTien=5000")
    page = browser.get(tampered)
    assert page.status_code == 400 and "Sai mã xác thực" in page.content.decode()
