import pytest
from django.db import transaction

from tinhso.audit.actions import AuditOutsideTransaction, record
from tinhso.audit.models import AuditEvent


@pytest.mark.django_db(transaction=True)
def test_audit_row_outside_a_transaction_is_refused(agency):
    with pytest.raises(AuditOutsideTransaction):
        record(actor=None, action="test.event", obj=agency)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_audit_row(agency):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            agency.name = "Đổi tên"
            agency.save()
            record(actor=None, action="agencies.agency.updated", obj=agency)
            raise RuntimeError("boom")
    assert not AuditEvent.objects.filter(action="agencies.agency.updated").exists()
    agency.refresh_from_db()
    assert agency.name != "Đổi tên"


@pytest.mark.django_db
def test_audit_row_names_actor_object_and_changes(admin_user, agency):
    with transaction.atomic():
        event = record(actor=admin_user, action="agencies.agency.updated", obj=agency, changes={"name": ["a", "b"]})
    event.refresh_from_db()
    assert (event.actor, event.actor_repr, event.object_id) == (admin_user, "admin", str(agency.pk))
    assert event.content_type.model == "agency"
    assert event.changes == {"name": ["a", "b"]}
