"""Two copies of the same callback arriving at the same moment (the platform
retrying while the first is in flight): exactly one is applied."""

import threading

import pytest
from django.db import connection

from tinhso.payments import actions
from tinhso.payments.models import GatewayMessage, PaymentRequest
from tinhso.payments.tests.conftest import in_processing, result_message

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_identical_callbacks_apply_once(fees, citizen, paygov, receipts):
    d = in_processing(fees, citizen)
    payment = actions.create_payment_request(acting_user=fees.specialist, dossier=d)
    message = result_message(payment)
    barrier = threading.Barrier(3)
    outcomes = []

    def deliver():
        try:
            barrier.wait()
            outcomes.append(actions.handle_callback(message).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["accepted", "already_processed", "already_processed"]
    payment = PaymentRequest.objects.get(pk=payment.pk)
    assert payment.status == "paid"
    assert GatewayMessage.objects.filter(kind="result", applied=True).count() == 1
    assert len(receipts) == 1
    assert payment.dossier.events.filter(action="confirm_payment").count() == 1
