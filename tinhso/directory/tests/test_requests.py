"""Requests for mailboxes and certificates through their approval flow;
certificates are the signatures app's credentials."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tinhso.audit.models import AuditEvent
from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.dashboard import programme
from tinhso.directory import actions
from tinhso.directory.models import (AccountRequest, CertificateState, DirectoryEvent, Mailbox, MailboxState,
                                     RequestKind, RequestState)
from tinhso.signatures import pki
from tinhso.signatures.models import SigningCredential

pytestmark = pytest.mark.django_db


def _figure(key):
    return next(f for f in programme.figures() if f.key == key)


def test_mailbox_goes_from_request_to_issue_with_history_audit_and_count(org):
    before = _figure("email_accounts").value
    req = actions.submit_request(acting_user=org.specialist, kind=RequestKind.MAILBOX,
                                 wanted_address="LeHoangNam@cantho.gov.vn")
    assert req.agency == org.sxd and req.person == org.specialist and req.wanted_address == "lehoangnam@cantho.gov.vn"
    actions.approve(req.pk, acting_user=org.leader)
    actions.start_processing(req.pk, acting_user=org.admin)
    actions.issue(req.pk, acting_user=org.admin)
    req.refresh_from_db()
    assert req.state == RequestState.ISSUED and req.mailbox.state == MailboxState.ACTIVE
    assert list(DirectoryEvent.objects.filter(request=req).values_list("action", flat=True)) == [
        "requested", "approved", "processing", "issued"]
    assert AuditEvent.objects.filter(action__startswith="directory.request.", object_id=str(req.pk)).count() == 4
    assert _figure("email_accounts").value == before + 1
    actions.set_mailbox_state(req.mailbox.pk, acting_user=org.admin, state=MailboxState.SUSPENDED, reason="nghỉ phép")
    assert _figure("email_accounts").value == before


def test_only_the_right_people_may_move_a_request(org):
    with pytest.raises(PermissionDenied):  # someone else's agency's office
        actions.submit_request(acting_user=org.other_office, kind=RequestKind.MAILBOX, person_id=org.specialist.pk,
                               wanted_address="a@cantho.gov.vn")
    req = actions.submit_request(acting_user=org.office, kind=RequestKind.MAILBOX, person_id=org.specialist.pk,
                                 wanted_address="a@cantho.gov.vn")
    for user in (org.specialist, org.other_leader, org.admin):
        with pytest.raises(PermissionDenied):
            actions.approve(req.pk, acting_user=user)
    with pytest.raises(Conflict):  # not yet approved
        actions.start_processing(req.pk, acting_user=org.admin)
    actions.approve(req.pk, acting_user=org.leader)
    with pytest.raises(PermissionDenied):
        actions.issue(req.pk, acting_user=org.leader)
    assert AccountRequest.objects.get(pk=req.pk).state == RequestState.APPROVED


def test_bad_input_is_refused_and_nothing_is_saved(org):
    with pytest.raises(InvalidInput) as bad:
        actions.submit_request(acting_user=org.specialist, kind=RequestKind.MAILBOX, wanted_address="khong-hop-le")
    assert "không phải là địa chỉ thư" in bad.value.message
    with pytest.raises(InvalidInput):
        actions.submit_request(acting_user=org.specialist, kind="fax")
    Mailbox.objects.create(address="trung@cantho.gov.vn", agency=org.sxd, display_name="x")
    with pytest.raises(Conflict):
        actions.submit_request(acting_user=org.specialist, kind=RequestKind.MAILBOX, wanted_address="trung@cantho.gov.vn")
    actions.submit_request(acting_user=org.specialist, kind=RequestKind.MAILBOX, wanted_address="moi@cantho.gov.vn")
    with pytest.raises(Conflict):  # one open request of a kind at a time
        actions.submit_request(acting_user=org.specialist, kind=RequestKind.MAILBOX, wanted_address="moi2@cantho.gov.vn")
    assert AccountRequest.objects.count() == 1
    req = AccountRequest.objects.get()
    with pytest.raises(InvalidInput):
        actions.reject(req.pk, acting_user=org.leader, note=" ")
    assert AccountRequest.objects.get().state == RequestState.REQUESTED


def _issue_certificate(org, **kwargs):
    req = actions.submit_request(acting_user=org.specialist, kind=RequestKind.PERSONAL_CERTIFICATE, **kwargs)
    actions.approve(req.pk, acting_user=org.leader)
    actions.start_processing(req.pk, acting_user=org.admin)
    return actions.issue(req.pk, acting_user=org.admin).credential


def test_issued_certificate_is_the_signing_credential_and_revoking_stops_signing(org):
    before = _figure("certificates").value
    cred = _issue_certificate(org)
    assert cred.purpose == "personal" and cred.user == org.specialist and cred.is_active
    assert pki.credential_for_user(org.specialist) == cred  # the signatures app signs with this very row
    assert _figure("certificates").value == before + 1
    actions.revoke_certificate(cred.pk, acting_user=org.admin, reason="Mất thiết bị")
    cred.refresh_from_db()
    assert not cred.is_active and cred.directory_status.state == CertificateState.REVOKED
    assert pki.credential_for_user(org.specialist) != cred  # never signs with the revoked one again
    with pytest.raises(Conflict):
        actions.resume_certificate(cred.pk, acting_user=org.admin)
    with pytest.raises(PermissionDenied):
        actions.revoke_certificate(cred.pk, acting_user=org.leader, reason="x")


def test_suspend_resume_and_renewal_supersedes(org):
    cred = _issue_certificate(org)
    with pytest.raises(InvalidInput):
        actions.suspend_certificate(cred.pk, acting_user=org.admin, reason="")
    actions.suspend_certificate(cred.pk, acting_user=org.admin, reason="Điều tra sự cố")
    assert not SigningCredential.objects.get(pk=cred.pk).is_active
    actions.resume_certificate(cred.pk, acting_user=org.admin)
    assert SigningCredential.objects.get(pk=cred.pk).is_active
    new = _issue_certificate(org, renews_id=cred.pk)
    cred.refresh_from_db()
    assert new != cred and new.is_active and not cred.is_active
    assert cred.directory_status.state == CertificateState.SUPERSEDED


def test_expiry_reminders_once_per_mark_from_the_dated_rule(org, django_capture_on_commit_callbacks):
    from tinhso.notifications.models import Notification
    from tinhso.policies.actions import schedule

    cred = _issue_certificate(org)
    now = timezone.now()
    SigningCredential.objects.filter(pk=cred.pk).update(not_after=now + datetime.timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_expiry_reminders(now) == 1
    assert actions.send_expiry_reminders(now) == 0
    assert Notification.objects.filter(recipient=org.specialist, title__contains="hết hạn sau 7 ngày").exists()
    schedule(acting_user=None, key="directory.certificate_reminder_days", value="3",
             effective_from=now - datetime.timedelta(days=1))
    assert actions.send_expiry_reminders(now) == 0  # 5 days left: not yet within 3
    assert actions.send_expiry_reminders(now + datetime.timedelta(days=2, hours=1)) == 1
