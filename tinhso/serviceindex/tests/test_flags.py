"""The per-dossier flags the index counts (tinhso/dossiers/flags.py) follow the actions that change the rows
they summarise, in the same transaction: reception (papers), every transition and the national portal's
acknowledgement (sync), settling and refunding a payment (payments); the backfill recomputes them from raw
rows."""

import pytest
from django.test import Client

from tinhso.dossiers import actions as dossier_actions
from tinhso.dossiers import flags
from tinhso.dossiers.actions import ComponentInput
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.conftest import pdf, receive, vn, world  # noqa: F401 - reused fixture
from tinhso.nationalportal.tests.conftest import portal  # noqa: F401 - reused fixture
from tinhso.payments import actions as pay_actions
from tinhso.payments.tests.conftest import (citizen, fees, in_processing, paygov, receipts,  # noqa: F401
                                            result_message)

pytestmark = pytest.mark.django_db


def _flags(dossier) -> dict:
    return Dossier.objects.filter(pk=dossier.pk).values(*flags.ALL).get()


def _recomputed(dossier) -> dict:
    """The flags as the backfill computes them from the raw rows."""
    flags.refresh_many(Dossier.objects.filter(pk=dossier.pk))
    return _flags(dossier)


def test_reception_sets_the_paper_flags_with_the_new_row(world):
    comp = world.case.components.get(order=1)
    scanned = dossier_actions.receive_at_counter(
        acting_user=world.clerk, receiving_agency=world.centre, case=world.case, applicant=dict(
            owner_name="Nguyễn Văn An", owner_id_number="092095000111"), area=world.commune, at=vn(2026, 3, 2, 8),
        components=[ComponentInput(required_component_id=comp.pk, originals=1, files=[pdf()])])
    paper = dossier_actions.receive_at_counter(
        acting_user=world.clerk, receiving_agency=world.centre, case=world.case, applicant=dict(
            owner_name="Trần Thị Bình", owner_id_number="092095000222"), area=world.commune, at=vn(2026, 3, 2, 9),
        components=[ComponentInput(required_component_id=comp.pk, originals=1, paper_only=True)])
    assert _flags(scanned)["components_digitised"] and not _flags(paper)["components_digitised"]
    for d in (scanned, paper):
        assert _flags(d) == _recomputed(d)


def test_a_transition_clears_the_sync_flag_and_the_portals_acknowledgement_sets_it(world, portal):  # noqa: F811
    from tinhso.nationalportal.sender import send_pending

    d = receive(world, at=vn(2026, 3, 2, 8))
    assert not _flags(d)["portal_synced"]
    assert send_pending()["sent"] == 1
    assert _flags(d)["portal_synced"]
    d = dossier_actions.forward(acting_user=world.clerk, dossier=d, receiver=world.specialist, at=vn(2026, 3, 2, 9))
    assert not _flags(d)["portal_synced"]
    assert send_pending()["sent"] == 1
    assert _flags(d)["portal_synced"] and _flags(d) == _recomputed(d)


def test_settling_a_payment_sets_the_dossiers_payment_flags(fees, citizen, paygov, receipts):  # noqa: F811
    online = in_processing(fees, citizen)
    payment = pay_actions.create_payment_request(acting_user=fees.specialist, dossier=online)
    assert not _flags(online)["fee_settled"]
    pay_actions.start_online_payment(acting_user=citizen, payment=payment)
    payment.refresh_from_db()
    response = Client().post("/thanh-toan/cong/thong-bao/", result_message(payment))  # the platform's callback
    assert response.status_code == 200 and response.json()["MaLoi"] == "00"
    assert _flags(online)["fee_settled"] and _flags(online)["paid_online"]
    assert _flags(online) == _recomputed(online)

    counter = in_processing(fees)
    payment = pay_actions.create_payment_request(acting_user=fees.specialist, dossier=counter)
    pay_actions.record_counter_payment(acting_user=fees.clerk, payment=payment, receipt_no="0001")
    got = _flags(counter)
    assert got["fee_settled"] and not got["paid_online"]
    assert got == _recomputed(counter)
