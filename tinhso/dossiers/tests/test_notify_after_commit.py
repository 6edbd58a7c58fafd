"""The after-commit notifications of a transition use the event and dossier
in memory (no re-read), and describe the dossier as committed: when a later
transition in the same transaction moved it again, they read it again."""

from django.db import transaction

from tinhso.accounts.models import User
from tinhso.dossiers import actions
from tinhso.dossiers.notifications import notify_transition
from tinhso.dossiers.tests.conftest import APPLICANT, pdf, receive
from tinhso.notifications.models import Notification, OutgoingMessage


def _submit(w, citizen):
    comps = [actions.ComponentInput(required_component_id=w.case.components.get(order=1).pk, files=[pdf()])]
    return actions.submit_online(acting_user=citizen, receiving_agency=w.centre, case=w.case,
                                 applicant={**APPLICANT, "owner_email": "an@example.vn"}, components=comps,
                                 area=w.commune)


def test_an_event_notified_twice_queues_each_citizen_message_once(world, django_capture_on_commit_callbacks):
    citizen = User.objects.create_user(username="congdan", password="Matkhau-2026!", full_name="Nguyễn Văn An",
                                       is_citizen=True, email="an@example.vn", phone="0912345678")
    with django_capture_on_commit_callbacks(execute=True):
        d = _submit(world, citizen)
    queued = set(OutgoingMessage.objects.filter(dossier=d).values_list("channel", "dedupe_key"))
    event = d.events.get()
    assert queued == {("email", f"event:{event.pk}:email"), ("sms", f"event:{event.pk}:sms")}
    notify_transition(event.pk)  # a retried hook: nothing is queued twice
    assert set(OutgoingMessage.objects.filter(dossier=d).values_list("channel", "dedupe_key")) == queued
    assert Notification.objects.filter(kind="dossier.submit", recipient=world.clerk).count() == 2  # staff: again


def test_two_transitions_in_one_transaction_are_told_as_committed(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        d = receive(world)  # waits at the clerk who received it: nobody else is told...
        actions.forward(acting_user=world.clerk, dossier=d, receiver=world.specialist)
    # ...but once committed the dossier is with the specialist, and both
    # notifications describe that state, as when each re-read the dossier.
    assert sorted(Notification.objects.filter(recipient=world.specialist).values_list("kind", flat=True)) == [
        "dossier.forward", "dossier.receive"]
    assert not Notification.objects.filter(recipient=world.clerk).exists()


def test_each_transition_committed_alone_is_told_from_memory(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(world)
    with django_capture_on_commit_callbacks(execute=True):
        d = actions.forward(acting_user=world.clerk, dossier=d, receiver=world.specialist)
    assert list(Notification.objects.values_list("kind", "recipient__username")) == [
        ("dossier.forward", "chuyenvien")]
