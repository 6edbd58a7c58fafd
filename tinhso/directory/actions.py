"""Every state change of the directory, mailboxes and certificates: atomic,
permission-checked in the object's agency, audited, with a history row and
notifications after commit."""

from __future__ import annotations

import datetime

from django.core.validators import validate_email
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role, RoleAssignment, User
from tinhso.accounts.permissions import has_role, require_role
from tinhso.agencies.models import Agency
from tinhso.audit.actions import record
from tinhso.core.errors import Conflict, InvalidInput, NotFound
from tinhso.core.text import fold
from tinhso.directory.models import (AccountRequest, CertificateState, CertificateStatus, DirectoryEntry,
                                     DirectoryEvent, Mailbox, MailboxState, RequestKind, RequestState)
from tinhso.signatures.models import CredentialPurpose, SigningCredential

IT_ROLES = (Role.SYSTEM_ADMIN,)
APPROVER_ROLES = (Role.LEADER,)
OFFICE_ROLES = (Role.CLERICAL_OFFICE,)
CERTIFICATE_PURPOSES = (CredentialPurpose.PERSONAL, CredentialPurpose.SEAL)


def _history(actor, action: str, note: str = "", **targets) -> DirectoryEvent:
    return DirectoryEvent.objects.create(actor=actor if getattr(actor, "is_authenticated", False) else None,
                                         action=action, note=note[:500], **targets)


def _notify(users, title: str, url: str = "") -> None:
    from tinhso.notifications.actions import notify

    users = [u for u in users if u is not None]
    if users:
        transaction.on_commit(lambda: notify(users, kind="directory", title=title, url=url))


def _holders(roles, agency) -> list[User]:
    """Active holders of `roles` in `agency` or an agency above it."""
    paths = [agency.path[:i] for i in range(1, len(agency.path) + 1)]
    return list(User.objects.filter(
        pk__in=RoleAssignment.objects.active().filter(role__in=roles, agency__path__in=paths).values("user_id")))


def _email(address: str, field: str = "address") -> str:
    address = (address or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        message = f"“{address}” không phải là địa chỉ thư điện tử hợp lệ."
        raise InvalidInput(message, code="invalid_email", errors=[{"field": field, "message": message}]) from None
    return address


def primary_agency(user) -> Agency | None:
    assignment = (RoleAssignment.objects.active().filter(user=user).select_related("agency")
                  .order_by("-agency__depth", "pk").first())
    return assignment.agency if assignment else None


# --- the directory ----------------------------------------------------------------

def _search_text(entry: DirectoryEntry) -> str:
    user = entry.user
    return fold(" ".join([user.full_name or user.username, user.job_title, entry.agency.name,
                          entry.agency.short_name]))[:500]


@transaction.atomic
def sync_entries(*, acting_user=None) -> int:
    """A directory card for every active staff member who has none (agency:
    where they hold a role, deepest first). System (acting_user None) or IT."""
    if acting_user is not None:
        require_role(acting_user, IT_ROLES)
    have = set(DirectoryEntry.objects.values_list("user_id", flat=True))
    created = 0
    seen = set()
    for a in (RoleAssignment.objects.active().exclude(user_id__in=have).select_related("user", "agency")
              .order_by("user_id", "-agency__depth", "pk")):
        if a.user_id in seen or a.role == Role.SYSTEM_ADMIN and a.user.is_superuser:
            continue
        seen.add(a.user_id)
        entry = DirectoryEntry(user=a.user, agency=a.agency, office_phone=a.agency.phone)
        entry.search_text = _search_text(entry)
        entry.save()
        created += 1
    if created:
        record(actor=acting_user, action="directory.entries_synced", changes={"created": created})
    return created


@transaction.atomic
def update_entry(entry_id: int, *, acting_user, office_phone: str, listed: bool) -> DirectoryEntry:
    entry = DirectoryEntry.objects.select_for_update().select_related("user", "agency").filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("Không có mục danh bạ này.")
    if acting_user.pk != entry.user_id:
        require_role(acting_user, OFFICE_ROLES + IT_ROLES, entry.agency)
    phone = (office_phone or "").strip()
    if len(phone) > 30 or any(c not in "0123456789 +().-" for c in phone):
        raise InvalidInput("Số điện thoại cơ quan chỉ gồm chữ số, dấu cách, + ( ) . - và tối đa 30 ký tự.",
                           code="invalid_phone", errors=[{"field": "office_phone", "message": "Số điện thoại không hợp lệ."}])
    changes = {k: [getattr(entry, k), v] for k, v in (("office_phone", phone), ("listed", bool(listed)))
               if getattr(entry, k) != v}
    entry.office_phone, entry.listed = phone, bool(listed)
    entry.search_text = _search_text(entry)
    entry.save()
    record(actor=acting_user, action="directory.entry_updated", obj=entry, changes=changes)
    return entry


# --- requests ------------------------------------------------------------------------

def _request(request_id, *, lock=True) -> AccountRequest:
    qs = AccountRequest.objects.select_related("agency", "person", "renews")
    obj = (qs.select_for_update(of=("self",)) if lock else qs).filter(pk=request_id).first()
    if obj is None:
        raise NotFound("Không có đề nghị này.")
    return obj


@transaction.atomic
def submit_request(*, acting_user, kind: str, agency_id: int | None = None, person_id: int | None = None,
                   wanted_address: str = "", reason: str = "", renews_id: int | None = None) -> AccountRequest:
    """A person asks for themself; the clerical office (văn thư) asks for anyone
    of its agency, or for the agency's own mailbox or seal certificate."""
    if kind not in RequestKind.values:
        raise InvalidInput("Loại đề nghị không hợp lệ.", code="invalid_kind",
                           errors=[{"field": "kind", "message": "Chọn hộp thư công vụ, chứng thư số cá nhân hoặc cơ quan."}])
    person = User.objects.filter(pk=person_id, is_active=True).first() if person_id else None
    if person_id and person is None:
        raise InvalidInput("Không có cán bộ này.", code="unknown_person",
                           errors=[{"field": "person", "message": "Không có cán bộ này."}])
    if kind == RequestKind.AGENCY_CERTIFICATE:
        person = None
    elif person is None and (kind == RequestKind.PERSONAL_CERTIFICATE or not agency_id):
        person = acting_user  # for oneself; an office naming only its agency asks for the agency's mailbox
    agency = Agency.objects.filter(pk=agency_id).first() if agency_id else (primary_agency(person) if person else None)
    if agency is None:
        raise InvalidInput("Chọn cơ quan của đề nghị.", code="missing_agency",
                           errors=[{"field": "agency", "message": "Chọn cơ quan."}])
    for_self = person is not None and person.pk == acting_user.pk
    if not for_self:
        require_role(acting_user, OFFICE_ROLES, agency,
                     "Chỉ người được cấp tự đề nghị, hoặc văn thư của cơ quan đề nghị thay.")
    renews = None
    if renews_id:
        if kind == RequestKind.MAILBOX:
            raise InvalidInput("Chỉ chứng thư số mới gia hạn được.", code="invalid_renewal")
        renews = SigningCredential.objects.filter(pk=renews_id, purpose__in=CERTIFICATE_PURPOSES).first()
        if renews is None or (renews.user_id != (person.pk if person else None) and person is not None) \
                or (person is None and renews.agency_id != agency.pk):
            raise InvalidInput("Chứng thư cần gia hạn không thuộc người hoặc cơ quan được đề nghị.",
                               code="invalid_renewal", errors=[{"field": "renews", "message": "Chứng thư không khớp."}])
    address = ""
    if kind == RequestKind.MAILBOX:
        address = _email(wanted_address, "wanted_address")
        if Mailbox.objects.filter(address=address).exists():
            raise Conflict(f"Địa chỉ {address} đã được cấp.", code="address_taken")
    open_same = AccountRequest.objects.filter(kind=kind, agency=agency, person=person, state__in=[
        RequestState.REQUESTED, RequestState.APPROVED, RequestState.PROCESSING])
    if open_same.exists():
        raise Conflict("Đã có một đề nghị cùng loại đang chờ xử lý.", code="request_open")
    req = AccountRequest.objects.create(kind=kind, agency=agency, person=person, requested_by=acting_user,
                                        wanted_address=address, reason=(reason or "")[:500], renews=renews)
    _history(acting_user, "requested", reason, request=req)
    record(actor=acting_user, action="directory.request.submitted", obj=req,
           changes={"kind": kind, "agency": agency.code, "person": person.username if person else None})
    _notify(_holders(APPROVER_ROLES, agency), f"Đề nghị cấp {req.get_kind_display().lower()} chờ duyệt",
            f"/danh-ba/de-nghi/{req.pk}/")
    return req


def _move(req: AccountRequest, to: str, *, actor, action: str, note: str = "") -> None:
    before = req.state
    req.state = to
    req.save(update_fields=["state", "updated_at"])
    _history(actor, action, note, request=req)
    record(actor=actor, action=f"directory.request.{action}", obj=req, changes={"state": [before, to]}, note=note)


def _expect(req, *states):
    if req.state not in states:
        raise Conflict(f"Đề nghị đang ở trạng thái “{req.get_state_display()}”, không thực hiện được thao tác này.",
                       code="invalid_state")


@transaction.atomic
def approve(request_id, *, acting_user, note: str = "") -> AccountRequest:
    req = _request(request_id)
    require_role(acting_user, APPROVER_ROLES, req.agency)
    _expect(req, RequestState.REQUESTED)
    _move(req, RequestState.APPROVED, actor=acting_user, action="approved", note=note)
    _notify(_holders(IT_ROLES, req.agency), f"Đề nghị cấp {req.get_kind_display().lower()} chờ xử lý",
            f"/danh-ba/de-nghi/{req.pk}/")
    return req


@transaction.atomic
def reject(request_id, *, acting_user, note: str) -> AccountRequest:
    req = _request(request_id)
    if not (has_role(acting_user, APPROVER_ROLES, req.agency) or has_role(acting_user, IT_ROLES)):
        require_role(acting_user, APPROVER_ROLES, req.agency)
    _expect(req, RequestState.REQUESTED, RequestState.APPROVED, RequestState.PROCESSING)
    if not (note or "").strip():
        raise InvalidInput("Ghi lý do từ chối.", code="missing_reason",
                           errors=[{"field": "note", "message": "Ghi lý do từ chối."}])
    _move(req, RequestState.REJECTED, actor=acting_user, action="rejected", note=note)
    _notify([req.requested_by, req.person], "Đề nghị bị từ chối: " + note[:200], f"/danh-ba/de-nghi/{req.pk}/")
    return req


@transaction.atomic
def start_processing(request_id, *, acting_user) -> AccountRequest:
    req = _request(request_id)
    require_role(acting_user, IT_ROLES, req.agency)
    _expect(req, RequestState.APPROVED)
    _move(req, RequestState.PROCESSING, actor=acting_user, action="processing")
    return req


def _refuse_credential(message: str, code: str, exc=InvalidInput):
    raise exc(message, code=code, errors=[{"field": "fingerprint", "message": message}])


def _imported_credential(req: AccountRequest, fingerprint: str, purpose: str) -> SigningCredential:
    """The imported credential with this fingerprint, if it may answer this
    request: of the requested kind, held by the requested person (a personal
    certificate) or agency (an agency certificate), in use (not suspended,
    revoked or superseded), not expired, not the credential being renewed,
    and not already given out by another request."""
    cred = (SigningCredential.objects.select_for_update(of=("self",)).filter(fingerprint=fingerprint.strip().lower())
            .select_related("user", "agency").first())
    if cred is None or cred.purpose not in CERTIFICATE_PURPOSES:
        _refuse_credential("Không có chứng thư đã nhập với dấu vân tay này.", "unknown_credential")
    if cred.purpose != purpose:
        _refuse_credential(f"Chứng thư này là “{cred.get_purpose_display()}”, không phải loại được đề nghị.",
                           "credential_wrong_kind")
    if req.kind == RequestKind.PERSONAL_CERTIFICATE and cred.user_id != req.person_id:
        _refuse_credential(f"Chứng thư này cấp cho {cred.user.get_full_name() if cred.user else 'người khác'}, "
                           f"không phải {req.person.get_full_name()} là người được đề nghị cấp.",
                           "credential_other_holder")
    if req.kind == RequestKind.AGENCY_CERTIFICATE and (cred.agency_id != req.agency_id or cred.user_id is not None):
        _refuse_credential(f"Chứng thư này không phải chứng thư của {req.agency.name}.", "credential_other_holder")
    if req.renews_id and cred.pk == req.renews_id:
        _refuse_credential("Đây là chứng thư đang được gia hạn; hãy nhập chứng thư mới.", "credential_is_renewed")
    status = CertificateStatus.objects.filter(credential=cred).first()
    if cred.revoked_at is not None or (status is not None and status.state == CertificateState.REVOKED):
        _refuse_credential("Chứng thư này đã bị thu hồi, không cấp được.", "credential_revoked", Conflict)
    if not cred.is_active:
        state = status.get_state_display().lower() if status is not None else "không còn dùng"
        _refuse_credential(f"Chứng thư này đang ở tình trạng “{state}”, không cấp được.", "credential_inactive",
                           Conflict)
    if cred.not_after <= timezone.now():
        _refuse_credential(f"Chứng thư này đã hết hạn ngày {timezone.localtime(cred.not_after):%d/%m/%Y}.",
                           "credential_expired", Conflict)
    other = AccountRequest.objects.filter(credential=cred).exclude(pk=req.pk).first()
    if other is not None:
        _refuse_credential(f"Chứng thư này đã được cấp theo đề nghị số {other.pk}.", "credential_claimed", Conflict)
    return cred


@transaction.atomic
def issue(request_id, *, acting_user, fingerprint: str = "") -> AccountRequest:
    """The IT department issues: a mailbox at the requested address, or a
    certificate. With `fingerprint`, the credential imported from the
    certification authority (manage.py pki_import) is linked, once it is
    checked to be the requested holder's, in use and unclaimed
    (`_imported_credential`); without it, the
    platform's own PKI issues one (demo PKI only: otherwise refused with the
    signatures app's message)."""
    from tinhso.signatures import pki

    req = _request(request_id)
    require_role(acting_user, IT_ROLES, req.agency)
    _expect(req, RequestState.PROCESSING, RequestState.APPROVED)
    if req.kind == RequestKind.MAILBOX:
        if Mailbox.objects.filter(address=req.wanted_address).exists():
            raise Conflict(f"Địa chỉ {req.wanted_address} đã được cấp.", code="address_taken")
        name = req.person.get_full_name() if req.person else req.agency.name
        req.mailbox = Mailbox.objects.create(address=req.wanted_address, agency=req.agency, user=req.person,
                                             display_name=name[:200])
        _history(acting_user, "created", mailbox=req.mailbox)
    else:
        purpose = CredentialPurpose.PERSONAL if req.kind == RequestKind.PERSONAL_CERTIFICATE else CredentialPurpose.SEAL
        if fingerprint:
            cred = _imported_credential(req, fingerprint, purpose)
        elif req.kind == RequestKind.PERSONAL_CERTIFICATE:
            cred = pki.issue_user_credential(req.person, agency=req.agency, actor=acting_user)
        else:
            cred = pki.issue_agency_credential(req.agency, actor=acting_user)
        req.credential = cred
        _history(acting_user, "issued", credential=cred)
        if req.renews_id:
            _stop(req.renews, CertificateState.SUPERSEDED, actor=acting_user, reason=f"Gia hạn bằng chứng thư {cred.serial}")
    req.save(update_fields=["mailbox", "credential", "updated_at"])
    _move(req, RequestState.ISSUED, actor=acting_user, action="issued")
    _notify([req.requested_by, req.person], f"Đã cấp {req.get_kind_display().lower()}", f"/danh-ba/de-nghi/{req.pk}/")
    return req


# --- mailboxes ------------------------------------------------------------------------

@transaction.atomic
def set_mailbox_state(mailbox_id, *, acting_user, state: str, reason: str = "") -> Mailbox:
    box = Mailbox.objects.select_for_update().select_related("agency").filter(pk=mailbox_id).first()
    if box is None:
        raise NotFound("Không có hộp thư này.")
    require_role(acting_user, IT_ROLES, box.agency)
    if state not in MailboxState.values:
        raise InvalidInput("Trạng thái không hợp lệ.", code="invalid_state")
    if box.state == MailboxState.CLOSED:
        raise Conflict("Hộp thư đã đóng, không đổi trạng thái được.", code="mailbox_closed")
    if box.state == state:
        return box
    before, box.state = box.state, state
    box.save(update_fields=["state"])
    _history(acting_user, state, reason, mailbox=box)
    record(actor=acting_user, action="directory.mailbox.state", obj=box, changes={"state": [before, state]},
           note=reason)
    return box


# --- certificates -----------------------------------------------------------------

def _credential(credential_id) -> SigningCredential:
    cred = (SigningCredential.objects.select_for_update().filter(pk=credential_id, purpose__in=CERTIFICATE_PURPOSES)
            .first())
    if cred is None:
        raise NotFound("Không có chứng thư số này.")
    return cred


def _stop(cred: SigningCredential, state: str, *, actor, reason: str) -> None:
    """The signatures app signs only with active credentials (pki._active), so
    clearing `is_active` stops every later signature with this one."""
    cred.is_active = False
    fields = ["is_active", "updated_at"]
    if state == CertificateState.REVOKED:
        cred.revoked_at = timezone.now()  # what signature verification compares the signing time with
        fields.append("revoked_at")
    cred.save(update_fields=fields)
    CertificateStatus.objects.update_or_create(credential=cred, defaults={"state": state, "reason": reason[:500]})
    _history(actor, state, reason, credential=cred)
    record(actor=actor, action=f"directory.certificate.{state}", obj=cred, changes={"is_active": [True, False]},
           note=reason)


@transaction.atomic
def suspend_certificate(credential_id, *, acting_user, reason: str) -> SigningCredential:
    cred = _credential(credential_id)
    require_role(acting_user, IT_ROLES)
    if not (reason or "").strip():
        raise InvalidInput("Ghi lý do tạm dừng.", code="missing_reason", errors=[{"field": "reason", "message": "Ghi lý do."}])
    if not cred.is_active:
        raise Conflict("Chỉ tạm dừng được chứng thư đang dùng.", code="invalid_state")
    _stop(cred, CertificateState.SUSPENDED, actor=acting_user, reason=reason)
    return cred


@transaction.atomic
def resume_certificate(credential_id, *, acting_user, reason: str = "") -> SigningCredential:
    cred = _credential(credential_id)
    require_role(acting_user, IT_ROLES)
    status = CertificateStatus.objects.filter(credential=cred, state=CertificateState.SUSPENDED).first()
    if status is None:
        raise Conflict("Chỉ khôi phục được chứng thư đang tạm dừng; chứng thư đã thu hồi không dùng lại được.",
                       code="invalid_state")
    if cred.not_after <= timezone.now():
        raise Conflict("Chứng thư đã hết hạn, hãy đề nghị gia hạn.", code="expired")
    cred.is_active = True
    cred.save(update_fields=["is_active", "updated_at"])
    status.delete()
    _history(acting_user, "resumed", reason, credential=cred)
    record(actor=acting_user, action="directory.certificate.resumed", obj=cred, changes={"is_active": [False, True]},
           note=reason)
    return cred


@transaction.atomic
def revoke_certificate(credential_id, *, acting_user, reason: str) -> SigningCredential:
    """Final: the credential is never used to sign again. Documents signed
    before keep their signature (they were valid when signed)."""
    cred = _credential(credential_id)
    require_role(acting_user, IT_ROLES)
    if not (reason or "").strip():
        raise InvalidInput("Ghi lý do thu hồi.", code="missing_reason", errors=[{"field": "reason", "message": "Ghi lý do."}])
    status = CertificateStatus.objects.filter(credential=cred).first()
    if status is not None and status.state == CertificateState.REVOKED:
        raise Conflict("Chứng thư đã bị thu hồi.", code="already_revoked")
    _stop(cred, CertificateState.REVOKED, actor=acting_user, reason=reason)
    _notify([cred.user], f"Chứng thư số {cred.serial} đã bị thu hồi: {reason[:200]}")
    return cred


# --- reminders --------------------------------------------------------------------------

def send_expiry_reminders(now: datetime.datetime | None = None) -> int:
    """Remind the holder (and the IT department) at each policy mark before a
    valid certificate expires; each mark once (a history row remembers it)."""
    from tinhso.directory.policies import reminder_days

    now = now or timezone.now()
    marks = reminder_days(now)
    if not marks:
        return 0
    sent = 0
    horizon = now + datetime.timedelta(days=max(marks))
    for cred in (SigningCredential.objects.filter(purpose__in=CERTIFICATE_PURPOSES, is_active=True,
                                                  not_after__gt=now, not_after__lte=horizon)
                 .select_related("user", "agency")):
        left = (cred.not_after - now).total_seconds() / 86400
        due = [m for m in marks if left <= m]
        if not due:
            continue
        mark = min(due)
        note = f"{mark}"
        with transaction.atomic():
            if DirectoryEvent.objects.filter(credential=cred, action="reminded", note=note).exists():
                continue
            _history(None, "reminded", note, credential=cred)
            record(actor=None, action="directory.certificate.reminded", obj=cred, changes={"days": mark})
            users = [cred.user] + (_holders(IT_ROLES, cred.agency) if cred.agency else [])
            _notify(users, f"Chứng thư số “{cred.label}” hết hạn sau {mark} ngày ({cred.not_after:%d/%m/%Y})",
                    "/danh-ba/chung-thu/")
        sent += 1
    return sent
