"""Issue 5 in a real headless Chromium: a citizen pays a fee through the
sandbox payment gateway (real redirect, server-to-server callback, redirect
back), downloads the signed e-receipt, and the public verification page says
it is valid."""

from urllib.parse import urljoin

import pytest

from tinhso.dossiers import actions
from tinhso.dossiers.models import Status
from tinhso.payments import actions as payments
from tinhso.payments.models import PaymentRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_pays_downloads_the_signed_receipt_and_verifies_it(chromium, live_server, world, settings, tmp_path):
    from tinhso.accounts.models import User
    from tinhso.dossiers.tests.conftest import receive

    settings.TINHSO_BASE_URL = live_server.url
    settings.TINHSO_PAYGOV_SANDBOX = True
    citizen = User.objects.create_user(username="cd-092085001234", is_citizen=True, id_number="092085001234",
                                       full_name="Nguyễn Văn An", password="x")
    d = receive(world)
    d.citizen = citizen
    d.save(update_fields=["citizen"])
    d = actions.forward(acting_user=world.clerk, dossier=d, receiver=world.specialist)
    payment = payments.create_payment_request(acting_user=world.specialist, dossier=d, moment="during_processing",
                                              method="online",
                                              lines=[{"name": "Lệ phí đăng ký kết hôn", "kind": "charge",
                                                      "amount": 50000}])
    d.refresh_from_db()
    assert d.status == Status.PAYMENT

    context = chromium.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    # Signed in as the citizen (the e-ID journey itself is covered in the portal test).
    from django.test import Client

    client = Client()
    client.force_login(citizen)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])

    page.goto(f"{live_server.url}/dvc/ho-so/{d.code}/")
    page.get_by_role("link", name="Thanh toán trực tuyến").click()
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.get_by_text("Cổng thanh toán").first.wait_for()  # the sandbox gateway's own page
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.get_by_role("heading", name="Đã thanh toán").wait_for()

    payment.refresh_from_db()
    d.refresh_from_db()
    assert payment.status == "paid" and d.status == Status.PROCESSING  # confirmed by the verified callback

    page.goto(f"{live_server.url}/dvc/ho-so/{d.code}/")
    link = page.get_by_role("link", name="Tải biên lai điện tử")
    response = page.request.get(urljoin(page.url, link.get_attribute("href")))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    receipt = tmp_path / "bien-lai.pdf"
    receipt.write_bytes(response.body())

    page.goto(f"{live_server.url}/xac-thuc/")
    page.get_by_label("Tệp PDF cần kiểm tra").set_input_files(str(receipt))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    page.get_by_text("Văn bản có chữ ký số hợp lệ").wait_for()
    assert "Trung tâm PVHCC Phường Vị Thanh" in page.content()  # the collecting desk signs its receipt

    # One changed byte and the same page says the document was altered.
    data = bytearray(receipt.read_bytes())
    spot = data.find(b"/Producer") if data.find(b"/Producer") > 0 else len(data) // 3
    data[spot + 2] ^= 0x01
    receipt.write_bytes(bytes(data))
    page.goto(f"{live_server.url}/xac-thuc/")
    page.get_by_label("Tệp PDF cần kiểm tra").set_input_files(str(receipt))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    assert "Văn bản có chữ ký số hợp lệ" not in page.locator("main").inner_text()
    context.close()
    assert PaymentRequest.objects.get(pk=payment.pk).status == "paid"
