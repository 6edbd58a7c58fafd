"""The whole online payment with the sandbox gateway: a status-4 dossier gets a
payment request (-> status 6), the citizen pays on the sandbox page, the
sandbox calls the platform back over HTTP, the request is paid, the receipt
hook runs, and the dossier goes back to status 4."""

import pytest
from django.test import Client

from tinhso.audit.models import AuditEvent
from tinhso.dossiers.models import Status
from tinhso.payments import actions
from tinhso.payments.models import GatewayMessage, PaymentRequest, SandboxTransaction
from tinhso.payments.tests.conftest import TESTSERVER, in_processing, path_of, query

pytestmark = pytest.mark.django_db


def test_full_online_payment_through_the_sandbox(fees, citizen, paygov, receipts):
    w = fees
    d = in_processing(w, citizen)
    assert d.status == Status.PROCESSING

    payment = actions.create_payment_request(acting_user=w.specialist, dossier=d, moment="during_processing")
    d.refresh_from_db()
    assert d.status == Status.PAYMENT
    assert payment.amount == 50000 and payment.status == "pending"
    assert sorted((line.kind, line.amount) for line in payment.lines.all()) == [("charge", 20000), ("fee", 30000)]
    assert payment.reference.startswith("TS") and len(payment.reference) == 16

    browser = Client()
    browser.force_login(citizen)
    page = browser.get(f"/thanh-toan/{payment.reference}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thanh toán trực tuyến" in html and "50.000" in html

    go = browser.post(f"/thanh-toan/{payment.reference}/")
    assert go.status_code == 302
    gateway_url = go["Location"]
    assert gateway_url.startswith(f"{TESTSERVER}/sandbox/paygov/thanh-toan/?")
    sent = query(gateway_url)
    assert sent["MaThamChieu"] == payment.reference and sent["SoTien"] == "50000"
    assert sent["LoaiBanTin"] == "THANH_TOAN" and len(sent["MaXacThuc"]) == 64

    sandbox_page = browser.get(path_of(gateway_url))
    assert sandbox_page.status_code == 200
    text = sandbox_page.content.decode()
    assert "Cổng thanh toán (môi trường thử nghiệm)" in text
    assert payment.reference in text and "50.000" in text and d.code in text

    paid = browser.post(path_of(gateway_url), {"channel": "QR", "pay": "1"})
    assert paid.status_code == 302
    assert paid["Location"].startswith(f"{TESTSERVER}/thanh-toan/{payment.reference}/ket-qua/")
    # the sandbox called the platform back, server to server, over requests
    assert ("POST", "/thanh-toan/cong/thong-bao/", 200) in paygov.calls

    payment.refresh_from_db()
    d.refresh_from_db()
    txn = SandboxTransaction.objects.get(reference=payment.reference)
    assert payment.status == "paid" and payment.gateway_transaction_id == txn.transaction_id
    assert payment.channel == "QR" and payment.paid_at is not None and payment.gateway_status == "00"
    assert d.status == Status.PROCESSING
    assert d.events.filter(action="confirm_payment", sender__isnull=True).count() == 1
    assert receipts == [{"reference": payment.reference, "status": "paid", "atomic": True}]
    assert GatewayMessage.objects.filter(payment=payment, kind="result", applied=True, verified=True).count() == 1
    assert AuditEvent.objects.filter(action="payments.paid", object_id=str(payment.pk)).count() == 1

    back = browser.get(path_of(paid["Location"]))
    assert back.status_code == 200 and "Đã thanh toán" in back.content.decode()


def test_cancel_on_the_gateway_leaves_the_request_unpaid(fees, citizen, paygov, receipts):
    d = in_processing(fees, citizen)
    payment = actions.create_payment_request(acting_user=fees.specialist, dossier=d)
    browser = Client()
    browser.force_login(citizen)
    gateway_url = browser.post(f"/thanh-toan/{payment.reference}/")["Location"]
    cancelled = browser.post(path_of(gateway_url), {"cancel": "1"})
    assert cancelled.status_code == 302
    payment.refresh_from_db()
    assert payment.status == "pending" and payment.gateway_status == "02"
    assert receipts == []
    back = browser.get(path_of(cancelled["Location"]))
    assert "Chưa thanh toán" in back.content.decode()
    # the citizen may try again; the second attempt pays
    again = browser.post(f"/thanh-toan/{payment.reference}/")["Location"]
    browser.post(path_of(again), {"channel": "ATM", "pay": "1"})
    payment.refresh_from_db()
    assert payment.status == "paid"


def test_the_return_page_never_marks_paid(fees, citizen, paygov):
    d = in_processing(fees, citizen)
    payment = actions.create_payment_request(acting_user=fees.specialist, dossier=d)
    browser = Client()
    browser.force_login(citizen)
    # a forged "success" in the return URL's query string changes nothing
    page = browser.get(f"/thanh-toan/{payment.reference}/ket-qua/?MaLoi=00&MaGiaoDich=X1&MaXacThuc=abc")
    assert page.status_code == 200 and "Chưa thanh toán" in page.content.decode()
    assert PaymentRequest.objects.get(pk=payment.pk).status == "pending"


def test_before_reception_request_by_the_clerk(fees, citizen, paygov, receipts):
    from tinhso.dossiers.tests.conftest import receive

    d = receive(fees)
    assert d.status == Status.RECEIVED
    with pytest.raises(Exception) as denied:
        actions.create_payment_request(acting_user=fees.specialist, dossier=d, moment="before_reception")
    assert "một cửa" in str(denied.value)
    payment = actions.create_payment_request(acting_user=fees.clerk, dossier=d, moment="before_reception",
                                             lines=[{"name": "Lệ phí", "kind": "charge", "amount": 15000}])
    d.refresh_from_db()
    assert d.status == Status.RECEIVED and payment.amount == 15000
    # one open request per dossier
    from tinhso.core.errors import Conflict

    with pytest.raises(Conflict):
        actions.create_payment_request(acting_user=fees.clerk, dossier=d, moment="before_reception")


def test_the_citizen_app_starts_an_online_payment_over_the_api(fees, citizen, paygov, receipts):
    """/api/v1/me/payments/{reference}/pay gives the platform's payment address,
    as the page does; only the dossier's citizen may start it."""
    from tinhso.payments.tests.conftest import make_citizen

    w = fees
    d = in_processing(w, citizen)
    payment = actions.create_payment_request(acting_user=w.specialist, dossier=d, moment="during_processing")
    app = Client()
    app.force_login(citizen)
    mine = app.get(f"/api/v1/me/dossiers/{d.code}").json()
    assert mine["waiting_for_me"] == ["payment"] and mine["payments"][0]["reference"] == payment.reference
    r = app.post(f"/api/v1/me/payments/{payment.reference}/pay")
    assert r.status_code == 200, r.content
    url = r.json()["redirect_url"]
    assert url.startswith(f"{TESTSERVER}/sandbox/paygov/thanh-toan/?")
    assert query(url)["MaThamChieu"] == payment.reference and query(url)["SoTien"] == "50000"
    payment.refresh_from_db()
    assert payment.started_at is not None and payment.status == "pending"  # paid only on the platform's callback

    other = Client()
    other.force_login(make_citizen("092090000002", "Lê Văn Khác"))
    assert other.post(f"/api/v1/me/payments/{payment.reference}/pay").status_code == 404


def test_a_person_exempt_by_category_pays_nothing_and_a_reduction_is_on_record(fees, citizen):
    """Miễn, giảm phí, lệ phí theo đối tượng: dated data; a 100% exemption of the charge and the fee leaves nothing
    to pay (no wait, no platform), a 50% reduction of the charge only halves that line."""
    import datetime

    from tinhso.catalogue.models import FeeExemption
    from tinhso.core.errors import InvalidInput

    w = fees
    poor = FeeExemption.objects.create(code="ho-ngheo", name="Hộ nghèo", percent=100, applies_to="all",
                                       legal_basis="Thông tư 85/2019/TT-BTC")
    half = FeeExemption.objects.create(code="khuyet-tat", name="Người khuyết tật", percent=50, applies_to="charge",
                                       legal_basis="Nghị quyết HĐND tỉnh")
    expired = FeeExemption.objects.create(code="cu", name="Đối tượng cũ", percent=100, legal_basis="x",
                                          valid_to=datetime.date(2020, 1, 1))
    d = in_processing(w, citizen)
    with pytest.raises(InvalidInput):
        actions.create_payment_request(acting_user=w.specialist, dossier=d, exemption=expired)
    payment = actions.create_payment_request(acting_user=w.specialist, dossier=d, exemption=half)
    lines = sorted((line.kind, line.full_amount, line.amount) for line in payment.lines.all())
    assert lines == [("charge", 20000, 10000), ("fee", 30000, 30000)] and payment.amount == 40000
    actions.cancel_payment(acting_user=w.clerk, payment=payment, reason="Chọn sai đối tượng")
    d.refresh_from_db()
    payment = actions.create_payment_request(acting_user=w.specialist, dossier=d, exemption=poor)
    d.refresh_from_db()
    assert payment.status == "exempt" and payment.amount == 0 and d.status == Status.PROCESSING
    assert {line.amount for line in payment.lines.all()} == {0}
