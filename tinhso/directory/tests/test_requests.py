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
    assert cred.revoked_at is not None
    assert _figure("certificates").value == before  # a revoked certificate no longer counts
    # never signs with the revoked one again, and the demo PKI does not quietly issue a fresh one either:
    # the person is told to request a new certificate
    with pytest.raises(pki.CredentialStopped) as stopped:
        pki.credential_for_user(org.specialist)
    assert "đã bị thu hồi" in stopped.value.message and "Đề nghị cấp" in stopped.value.message
    assert SigningCredential.objects.filter(user=org.specialist).count() == 1
    with pytest.raises(Conflict):
        actions.resume_certificate(cred.pk, acting_user=org.admin)
    with pytest.raises(PermissionDenied):
        actions.revoke_certificate(cred.pk, acting_user=org.leader, reason="x")
    new = _issue_certificate(org)  # a new request, approved and issued: signing works again
    assert pki.credential_for_user(org.specialist) == new


def test_suspend_resume_and_renewal_supersedes(org):
    cred = _issue_certificate(org)
    with pytest.raises(InvalidInput):
        actions.suspend_certificate(cred.pk, acting_user=org.admin, reason="")
    actions.suspend_certificate(cred.pk, acting_user=org.admin, reason="Điều tra sự cố")
    assert not SigningCredential.objects.get(pk=cred.pk).is_active
    with pytest.raises(pki.CredentialStopped) as stopped:  # no silent re-issue while suspended
        pki.credential_for_user(org.specialist)
    assert "đang bị tạm dừng" in stopped.value.message
    actions.resume_certificate(cred.pk, acting_user=org.admin)
    assert pki.credential_for_user(org.specialist) == cred
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


def _processing(org, kind=RequestKind.PERSONAL_CERTIFICATE, **kwargs):
    acting = org.office if kind == RequestKind.AGENCY_CERTIFICATE else org.specialist
    req = actions.submit_request(acting_user=acting, kind=kind, **kwargs)
    actions.approve(req.pk, acting_user=org.leader)
    actions.start_processing(req.pk, acting_user=org.admin)
    return req


def _refused(org, req, fingerprint, exc, code, words):
    with pytest.raises(exc) as refused:
        actions.issue(req.pk, acting_user=org.admin, fingerprint=fingerprint)
    assert refused.value.code == code and words in refused.value.message, refused.value.message
    assert refused.value.errors[0]["field"] == "fingerprint"
    assert AccountRequest.objects.get(pk=req.pk).state == RequestState.PROCESSING
    assert AccountRequest.objects.get(pk=req.pk).credential is None


def test_an_imported_certificate_is_linked_only_when_it_fits_the_request(org):
    """Issuing with a fingerprint links an imported credential: it must be the
    requested person's (or agency's), in use, unexpired and not already given
    out by another request; each refusal says why, in Vietnamese."""
    req = _processing(org)
    mine = pki.issue_user_credential(org.specialist, agency=org.sxd)  # as `manage.py pki_import --user` would
    someone_else = pki.issue_user_credential(org.office, agency=org.sxd)
    seal = pki.issue_agency_credential(org.sxd)
    _refused(org, req, "ab" * 32, InvalidInput, "unknown_credential", "Không có chứng thư")
    _refused(org, req, someone_else.fingerprint, InvalidInput, "credential_other_holder", "Huỳnh Thị Mai")
    _refused(org, req, seal.fingerprint, InvalidInput, "credential_wrong_kind", "không phải loại được đề nghị")
    expired = pki.issue_user_credential(org.specialist, agency=org.sxd)
    SigningCredential.objects.filter(pk=expired.pk).update(not_after=timezone.now() - datetime.timedelta(days=1))
    _refused(org, req, expired.fingerprint, Conflict, "credential_expired", "đã hết hạn")
    suspended = pki.issue_user_credential(org.specialist, agency=org.sxd)
    actions.suspend_certificate(suspended.pk, acting_user=org.admin, reason="Điều tra sự cố")
    _refused(org, req, suspended.fingerprint, Conflict, "credential_inactive", "tạm dừng")
    revoked = pki.issue_user_credential(org.specialist, agency=org.sxd)
    actions.revoke_certificate(revoked.pk, acting_user=org.admin, reason="Lộ khóa")
    _refused(org, req, revoked.fingerprint, Conflict, "credential_revoked", "đã bị thu hồi")

    issued = actions.issue(req.pk, acting_user=org.admin, fingerprint=mine.fingerprint.upper())
    assert issued.state == RequestState.ISSUED and issued.credential == mine
    # the same credential cannot answer a second request
    AccountRequest.objects.filter(pk=req.pk).update(state=RequestState.REJECTED)  # no longer open
    again = _processing(org)
    _refused(org, again, mine.fingerprint, Conflict, "credential_claimed", f"đề nghị số {req.pk}")


def test_an_agency_certificate_takes_only_that_agencys_seal_and_a_renewal_a_new_one(org):
    req = _processing(org, RequestKind.AGENCY_CERTIFICATE, agency_id=org.sxd.pk)
    other_seal = pki.issue_agency_credential(org.stp)
    personal = pki.issue_user_credential(org.specialist, agency=org.sxd)
    _refused(org, req, other_seal.fingerprint, InvalidInput, "credential_other_holder", "Sở Xây dựng")
    _refused(org, req, personal.fingerprint, InvalidInput, "credential_wrong_kind", "không phải loại")
    seal = pki.issue_agency_credential(org.sxd)
    assert actions.issue(req.pk, acting_user=org.admin, fingerprint=seal.fingerprint).credential == seal

    old = _issue_certificate(org)
    renewal = _processing(org, renews_id=old.pk)
    _refused(org, renewal, old.fingerprint, InvalidInput, "credential_is_renewed", "đang được gia hạn")
    assert SigningCredential.objects.get(pk=old.pk).is_active  # nothing superseded by the refusal


def test_the_certificates_figure_counts_certificates_held_by_staff_and_agencies(org):
    """The seeds' "digital certificates issued": personal and agency (seal)
    certificates in force, whether issued through a request, imported from
    the CA, or (demo PKI only) issued when someone first signed; never the
    PKI's own CA and time-stamping certificates, nor a suspended, revoked or
    expired one."""
    before = _figure("certificates").value
    pki.ensure_demo_hierarchy()  # root CA, agency CA, TSA
    assert _figure("certificates").value == before
    auto = pki.credential_for_user(org.leader)  # the demo PKI's certificate for a leader who signs
    pki.credential_for_agency(org.stp)
    requested = _issue_certificate(org)
    assert _figure("certificates").value == before + 3
    SigningCredential.objects.filter(pk=auto.pk).update(not_after=timezone.now() - datetime.timedelta(days=1))
    actions.suspend_certificate(requested.pk, acting_user=org.admin, reason="Điều tra")
    assert _figure("certificates").value == before + 1
