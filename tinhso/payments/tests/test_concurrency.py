"""Two copies of the same callback arriving at the same moment (the platform
retrying while the first is in flight): exactly one is applied."""

import pytest

from tinhso.payments import actions
from tinhso.payments.models import GatewayMessage, PaymentRequest
from tinhso.payments.tests.conftest import in_processing, result_message
from tinhso.testing import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_identical_callbacks_apply_once(fees, citizen, paygov, receipts):
    d = in_processing(fees, citizen)
    payment = actions.create_payment_request(acting_user=fees.specialist, dossier=d)
    message = result_message(payment)

    def deliver():
        return actions.handle_callback(message).outcome

    outcomes = run_together(deliver, deliver, deliver)
    assert sorted(outcomes) == ["accepted", "already_processed", "already_processed"]
    payment = PaymentRequest.objects.get(pk=payment.pk)
    assert payment.status == "paid"
    assert GatewayMessage.objects.filter(kind="result", applied=True).count() == 1
    assert len(receipts) == 1
    assert payment.dossier.events.filter(action="confirm_payment").count() == 1
