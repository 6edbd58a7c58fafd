"""End to end over real HTTP: a `requests` session plays the citizen's browser
against pytest-django's live server; the sandbox gateway on that server calls
the platform's callback URL back with a real HTTP POST (no transport
adapter), exactly the demo set-up (TINHSO_PAYGOV_PAY_URL unset)."""

import re

import pytest
import requests
from django.conf import settings as django_settings
from django.test import Client

from tinhso.dossiers.models import Status
from tinhso.integration import outbound
from tinhso.payments import actions
from tinhso.payments.models import PaymentRequest
from tinhso.payments.tests.conftest import in_processing

pytestmark = pytest.mark.django_db(transaction=True)


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_payment_over_real_http(fees, citizen, live_server, settings, receipts):
    settings.TINHSO_BASE_URL = live_server.url
    settings.TINHSO_PAYGOV_SANDBOX = True
    settings.TINHSO_PAYGOV_PAY_URL = ""
    assert not outbound.TRANSPORT_MOUNTS
    d = in_processing(fees, citizen)
    payment = actions.create_payment_request(acting_user=fees.specialist, dossier=d)

    signed_in = Client()
    signed_in.force_login(citizen)
    browser = requests.Session()
    browser.cookies.set(django_settings.SESSION_COOKIE_NAME, signed_in.cookies[django_settings.SESSION_COOKIE_NAME].value)

    page = browser.get(f"{live_server.url}/thanh-toan/{payment.reference}/", timeout=20)
    assert page.status_code == 200 and "Thanh toán trực tuyến" in page.text
    go = browser.post(page.url, data={"csrfmiddlewaretoken": _csrf(page.text)}, allow_redirects=False, timeout=20)
    assert go.status_code == 302
    gateway_url = go.headers["Location"]
    assert gateway_url.startswith(f"{live_server.url}/sandbox/paygov/thanh-toan/?")

    sandbox = browser.get(gateway_url, timeout=20)
    assert sandbox.status_code == 200 and "Cổng thanh toán (môi trường thử nghiệm)" in sandbox.text
    paid = browser.post(gateway_url, data={"csrfmiddlewaretoken": _csrf(sandbox.text), "channel": "VI", "pay": "1"},
                        allow_redirects=False, timeout=30)
    assert paid.status_code == 302
    back = browser.get(paid.headers["Location"], timeout=20)
    assert back.status_code == 200 and "Đã thanh toán" in back.text

    payment = PaymentRequest.objects.get(pk=payment.pk)
    assert payment.status == "paid" and payment.channel == "VI"
    assert payment.dossier.status == Status.PROCESSING
    assert payment.messages.filter(kind="result", applied=True, verified=True).count() == 1
    assert len(receipts) == 1
    # the refund goes over real HTTP too
    actions.refund_payment(acting_user=fees.leader, payment=payment, amount=50000, reason="Thử hoàn tiền")
    assert PaymentRequest.objects.get(pk=payment.pk).status == "refunded"
