"""Payment requests over the API: scoped like the staff pages, operations
through the actions, refusals as 4xx with the house error format."""

import json

import pytest

from tinhso.payments import actions
from tinhso.payments.tests.conftest import in_processing


@pytest.fixture
def payment(fees, citizen, paygov, receipts):
    return actions.create_payment_request(acting_user=fees.specialist, dossier=in_processing(fees, citizen))


def _post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_staff_read_payments_in_their_scope_only(client, fees, payment):
    assert client.get("/api/v1/payments").status_code == 401
    client.force_login(fees.outsider)
    assert client.get("/api/v1/payments").json()["count"] == 0
    assert client.get(f"/api/v1/payments/{payment.reference}").status_code == 403
    client.force_login(fees.clerk)
    body = client.get("/api/v1/payments", {"status": "pending"}).json()
    assert [p["reference"] for p in body["items"]] == [payment.reference]
    one = client.get(f"/api/v1/payments/{payment.reference}").json()
    assert one["amount"] == payment.amount and one["lines"] and one["dossier_code"] == payment.dossier.code
    assert client.get("/api/v1/payments/KHONG-CO").status_code == 404
    assert client.get("/api/v1/payments", {"status": "stolen"}).status_code == 422


def test_counter_payment_and_refund_through_the_api(client, fees, payment):
    client.force_login(fees.specialist)
    refused = _post(client, f"/api/v1/payments/{payment.reference}/counter", {"receipt_no": "1"})
    assert refused.status_code == 403 and refused.json()["message"]
    client.force_login(fees.clerk)
    paid = _post(client, f"/api/v1/payments/{payment.reference}/counter", {"receipt_no": "0001234"})
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    again = _post(client, f"/api/v1/payments/{payment.reference}/counter", {})
    assert again.status_code in (409, 422)
    assert _post(client, f"/api/v1/payments/{payment.reference}/refund", {"amount": 0, "reason": "x"}
                 ).status_code == 422


def test_staff_create_a_payment_request_through_the_api(client, fees, citizen, paygov, receipts):
    d = in_processing(fees, citizen)
    client.force_login(fees.outsider)
    assert _post(client, "/api/v1/payments", {"dossier": d.code}).status_code == 404  # not in their scope
    client.force_login(fees.specialist)
    made = _post(client, "/api/v1/payments", {"dossier": d.code})
    assert made.status_code == 201 and made.json()["dossier_code"] == d.code and made.json()["amount"] > 0
    d.refresh_from_db()
    assert d.status == 6  # the clock stops while the fee is due
    assert _post(client, "/api/v1/payments", {"dossier": d.code, "method": "barter"}).status_code == 422
