"""Outgoing documents: drafted by a specialist, approved by the head of
division, signed by the leader, numbered, sealed and issued by the clerical
office the same day, and delivered (Decree 30/2020, articles 11-16)."""

from __future__ import annotations

import hashlib
import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.agencies.models import Agency
from tinhso.core.errors import InvalidInput
from tinhso.dossiers.uploads import check_upload
from tinhso.officialdocs.actions.common import (
    DRAFTERS, clerical_of, clerks, holders_of, locked, log, member_of, next_number, register_for, require,
    require_status, tell,
)
from tinhso.officialdocs.actions.profiles import profile
from tinhso.officialdocs.models import (
    DocStatus, Direction, DocumentFile, DocumentType, OfficialDocument, Recipient, Secrecy, Series, Urgency,
)

BODY_TYPES = {"application/pdf": "pdf"}
ORGAN_ID = re.compile(r"^[0-9A-Z]{2,3}(\.[0-9A-Z]{2,5}){2,3}$")  # mã định danh, e.g. 000.00.00.G22, 000.31135.H13


def _text(value: str, field: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"Nhập {label}.", code="required", errors=[{"field": field, "message": f"Nhập {label}."}])
    if len(value) > limit:
        raise InvalidInput(f"{label.capitalize()} tối đa {limit} ký tự.", code="too_long",
                           errors=[{"field": field, "message": f"Tối đa {limit} ký tự."}])
    return value


@transaction.atomic
def create_draft(*, acting_user, agency, doc_type_id, summary: str, body, recipient_ids=(), external=(),
                 attachments=(), relates_to_id=None, relation: str = "", urgency: str = Urgency.NORMAL, secrecy: str = Secrecy.NONE, series: str = Series.NORMAL,
                 reply_due=None, at=None) -> OfficialDocument:
    at = at or timezone.now()
    require(member_of(acting_user, DRAFTERS, agency), "Chỉ chuyên viên, lãnh đạo của cơ quan được soạn văn bản.")
    errors = []
    doc_type = DocumentType.objects.filter(pk=doc_type_id, is_active=True).first() if str(doc_type_id or "").isdigit() \
        else None
    if doc_type is None:
        errors.append({"field": "doc_type", "message": "Chọn loại văn bản."})
    try:
        summary = _text(summary, "summary", "trích yếu", 500)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    checked = None
    if body is None:
        errors.append({"field": "body", "message": "Đính kèm tệp văn bản (PDF) để ký số."})
    else:
        try:
            checked = check_upload(body, "body", allowed=BODY_TYPES, label="PDF")
        except InvalidInput as exc:
            errors.extend(exc.errors)
    recipients = list(Agency.objects.filter(pk__in=[int(r) for r in recipient_ids if str(r).isdigit()],
                                            is_active=True))
    outside = []
    for item in external:
        organ_id, name = (str(item[0]).strip(), str(item[1]).strip()) if len(item) == 2 else ("", "")
        if not ORGAN_ID.match(organ_id) or not name or len(name) > 255:
            errors.append({"field": "external", "message": f"Nơi nhận ngoài tỉnh không hợp lệ: “{organ_id} {name}” "
                                                           "(mã định danh dạng 000.00.00.H13 và tên)."})
        elif organ_id in {a.code for a in recipients} | {o for o, _ in outside}:
            errors.append({"field": "external", "message": f"Nơi nhận {organ_id} bị lặp."})
        else:
            outside.append((organ_id, name))
    if not recipients and not outside:
        errors.append({"field": "recipients", "message": "Chọn ít nhất một nơi nhận."})
    elif any(r.pk == agency.pk for r in recipients):
        errors.append({"field": "recipients", "message": "Nơi nhận không được là chính cơ quan ban hành."})
    if urgency not in Urgency.values or secrecy not in Secrecy.values or series not in Series.values:
        errors.append({"field": "urgency", "message": "Độ khẩn, độ mật hoặc sổ không hợp lệ."})
    related = None
    if relates_to_id or relation:
        related = OfficialDocument.objects.filter(pk=relates_to_id, agency=agency, direction=Direction.OUTGOING,
                                                  status=DocStatus.ISSUED).first() \
            if str(relates_to_id or "").isdigit() else None
        if related is None or relation not in ("replace", "correct"):
            errors.append({"field": "relates_to", "message": "Chọn văn bản đã phát hành của cơ quan cần thay thế "
                                                             "(sai nội dung) hoặc đính chính (sai thể thức)."})
    if secrecy != Secrecy.NONE:
        series = Series.SECRET  # secret documents are numbered in their own register (Decree 30)
    extra = []
    for upload in attachments or []:
        try:
            extra.append(check_upload(upload, "attachments"))  # PDF, DOCX, XLSX … checked by content
        except InvalidInput as exc:
            errors.extend(exc.errors)
    if errors:
        raise InvalidInput(errors[0]["message"], code="invalid_document", errors=errors)
    doc = OfficialDocument.objects.create(
        direction=Direction.OUTGOING, agency=agency, doc_type=doc_type, series=series, summary=summary,
        status=DocStatus.DRAFT, urgency=urgency, secrecy=secrecy, reply_due=reply_due, drafter=acting_user,
        holder=acting_user, search_text="", relates_to=related, relation=relation if related else "")
    row = DocumentFile(document=doc, role="body", original_name=checked.name, content_type=checked.content_type,
                       sha256=checked.sha256)
    row.file.save(checked.name, checked.content(), save=True)
    for item in extra:
        attached = DocumentFile(document=doc, role="attachment", original_name=item.name,
                                content_type=item.content_type, sha256=item.sha256)
        attached.file.save(item.name, item.content(), save=True)
    for agency_row in recipients:
        Recipient.objects.create(document=doc, agency=agency_row, organ_id=agency_row.code, name=agency_row.name)
    for organ_id, name in outside:
        Recipient.objects.create(document=doc, organ_id=organ_id, name=name)
    log(doc, "draft", DocStatus.DRAFT, actor=acting_user, at=at, from_status="")
    return doc


@transaction.atomic
def submit_for_review(*, acting_user, pk, at=None) -> OfficialDocument:
    at = at or timezone.now()
    doc = locked(pk)
    require(doc.drafter_id == getattr(acting_user, "pk", None), "Chỉ người soạn được trình dự thảo.")
    require_status(doc, (DocStatus.DRAFT,), "trình duyệt")
    from tinhso.officialdocs.policies import review_roles

    if review_roles(at):  # the route of the rule in force: the head of division first, or straight to the leader
        log(doc, "submit", DocStatus.REVIEW, actor=acting_user, at=at)
        doc.status, doc.holder = DocStatus.REVIEW, None
        tell(holders_of(Role.HEAD_OF_DIVISION, doc.agency), doc, f"Dự thảo chờ duyệt: {doc.summary[:80]}")
    else:
        log(doc, "submit", DocStatus.TO_SIGN, actor=acting_user, at=at)
        doc.status, doc.holder = DocStatus.TO_SIGN, None
        tell(holders_of(Role.LEADER, doc.agency), doc, f"Văn bản chờ ký: {doc.summary[:80]}")
    doc.save(update_fields=["status", "holder", "updated_at"])
    return doc


@transaction.atomic
def approve(*, acting_user, pk, note: str = "", at=None) -> OfficialDocument:
    at = at or timezone.now()
    doc = locked(pk)
    require(member_of(acting_user, (Role.HEAD_OF_DIVISION,), doc.agency), "Thao tác này cần vai trò lãnh đạo phòng.")
    require_status(doc, (DocStatus.REVIEW,), "duyệt")
    log(doc, "approve", DocStatus.TO_SIGN, actor=acting_user, at=at, note=(note or "").strip()[:2000])
    doc.status = DocStatus.TO_SIGN
    doc.save(update_fields=["status", "updated_at"])
    tell(holders_of(Role.LEADER, doc.agency), doc, f"Văn bản chờ ký: {doc.summary[:80]}")
    return doc


@transaction.atomic
def send_back(*, acting_user, pk, note: str, at=None) -> OfficialDocument:
    at = at or timezone.now()
    doc = locked(pk)
    require(member_of(acting_user, (Role.HEAD_OF_DIVISION, Role.LEADER), doc.agency),
            "Chỉ lãnh đạo được trả lại dự thảo.")
    require_status(doc, (DocStatus.REVIEW, DocStatus.TO_SIGN), "trả lại")
    note = _text(note, "note", "lý do trả lại", 2000)
    log(doc, "send_back", DocStatus.DRAFT, actor=acting_user, at=at, note=note)
    doc.status, doc.holder = DocStatus.DRAFT, doc.drafter
    doc.save(update_fields=["status", "holder", "updated_at"])
    tell([doc.drafter], doc, f"Dự thảo bị trả lại: {doc.summary[:80]}", note)
    return doc


def sign(*, acting_user, pk, remote_otp: str = "", at=None) -> OfficialDocument:
    """The leader signs the document personally (PAdES, visible signature):
    with the key the platform holds, or from a phone through the remote
    signing service with a one-time code. The clerical office then numbers
    it and adds the agency seal. Signing happens before the transaction opens
    (a remote service must not wait on a row lock)."""
    from tinhso.signatures.service import sign_pdf_person, sign_pdf_remote

    at = at or timezone.now()
    doc = OfficialDocument.objects.select_related("agency").get(pk=pk)
    require(has_role(acting_user, (Role.LEADER,), doc.agency), "Chỉ lãnh đạo cơ quan được ký văn bản.")
    require_status(doc, (DocStatus.TO_SIGN,), "ký")
    with doc.files.filter(role="body").first().file.open("rb") as handle:
        data = handle.read()
    reason = f"Ký ban hành: {doc.summary[:200]}"
    if remote_otp:
        signed = sign_pdf_remote(data, user=acting_user, otp=remote_otp, agency=doc.agency, reason=reason,
                                 location=doc.agency.name, seal=False)
    else:
        signed = sign_pdf_person(data, person=acting_user, agency=doc.agency, reason=reason,
                                 location=doc.agency.name)
    with transaction.atomic():
        doc = locked(pk)
        require_status(doc, (DocStatus.TO_SIGN,), "ký")
        row = DocumentFile(document=doc, role="leader_signed", original_name="van-ban-lanh-dao-da-ky.pdf",
                           content_type="application/pdf", sha256=hashlib.sha256(signed).hexdigest())
        row.file.save(row.original_name, ContentFile(signed), save=True)
        doc.status, doc.signer = DocStatus.TO_ISSUE, acting_user
        doc.signer_name, doc.signer_position = acting_user.get_full_name(), acting_user.job_title or "Lãnh đạo"
        doc.save(update_fields=["status", "signer", "signer_name", "signer_position", "updated_at"])
        log(doc, "sign", DocStatus.TO_ISSUE, actor=acting_user, at=at, from_status=DocStatus.TO_SIGN,
            data={"remote": bool(remote_otp)})
        tell(clerks(doc.agency), doc, f"Văn bản chờ phát hành: {doc.summary[:80]}")
    return doc


def symbol_for(doc) -> str:
    issuer = profile(doc.agency).abbreviation
    if doc.doc_type.is_letter:
        unit = doc.drafter and _drafting_unit(doc)
        return f"{issuer}-{unit}" if unit else issuer
    return f"{doc.doc_type.abbreviation}-{issuer}"


def _drafting_unit(doc) -> str:
    from tinhso.accounts.models import RoleAssignment

    row = (RoleAssignment.objects.active().filter(user=doc.drafter, agency__parent=doc.agency)
           .select_related("agency").first())
    if row is None:
        return ""
    return (row.agency.short_name or "").replace("P.", "").replace(".", "").replace(" ", "")


def issue(*, acting_user, pk, at=None) -> OfficialDocument:
    """Number and date from the register, the agency seal on the leader's
    signed PDF (PAdES; the number and date in the signature's reason and the
    register), then delivery the same day."""
    from tinhso.signatures.service import register_signed_document, sign_pdf

    at = at or timezone.now()
    doc = OfficialDocument.objects.select_related("agency", "doc_type", "signer").get(pk=pk)
    require(clerical_of(acting_user, doc.agency), "Chỉ văn thư của cơ quan được phát hành văn bản.")
    require_status(doc, (DocStatus.TO_ISSUE,), "phát hành")
    body = doc.files.filter(role="leader_signed").first()
    if body is None:
        raise InvalidInput("Văn bản chưa có chữ ký của lãnh đạo.", code="not_signed")
    with body.file.open("rb") as handle:
        data = handle.read()
    with transaction.atomic():
        doc = locked(pk)
        require_status(doc, (DocStatus.TO_ISSUE,), "phát hành")
        register = register_for(doc.agency, timezone.localdate(at).year, Direction.OUTGOING, doc.series)
        doc.register, doc.number = register, next_number(register)
        doc.symbol, doc.issued_on, doc.place = symbol_for(doc), timezone.localdate(at), profile(doc.agency).place
        signed = sign_pdf(data, agency=doc.agency, after_person=True,
                          reason=f"Ban hành văn bản số {doc.number}/{doc.symbol} ngày {doc.issued_on:%d/%m/%Y}",
                          location=doc.place)
        row = DocumentFile(document=doc, role="signed", original_name=f"{doc.number}-{doc.symbol}.pdf",
                           content_type="application/pdf", sha256=hashlib.sha256(signed).hexdigest())
        row.file.save(row.original_name, ContentFile(signed), save=True)
        doc.status, doc.holder = DocStatus.ISSUED, None
        doc.search_text = _search_text(doc)
        doc.save()
        log(doc, "issue", DocStatus.ISSUED, actor=acting_user, at=at, from_status=DocStatus.TO_ISSUE,
            data={"number": doc.number, "symbol": doc.symbol})
        register_signed_document(signed, "officialdoc", actor=acting_user)
        from tinhso.officialdocs.exchange import queue_document

        business = {"replace": 3, "correct": 2}.get(doc.relation, 0)
        if doc.relation == "replace":
            OfficialDocument.objects.filter(pk=doc.relates_to_id).update(status=DocStatus.REPLACED)
        queue_document(doc, signed, at=at, business_type=business,
                       reason=f"{doc.get_relation_display()} văn bản {doc.relates_to.reference}" if business else "")
    return doc


def _search_text(doc) -> str:
    from tinhso.core.text import fold

    return fold(" ".join([doc.summary, doc.reference, doc.sender_name, doc.doc_type.name]))


@transaction.atomic
def request_recall(*, acting_user, pk, reason: str, at=None) -> OfficialDocument:
    """Recall an issued e-document (Decree 30: the receivers cancel it on their
    system and tell the sender): the edXML goes again with BussinessDocType 1
    and the reason; each receiver answers 15 (cancelled) or 16 (refused)."""
    from tinhso.officialdocs.exchange import queue_document

    at = at or timezone.now()
    doc = locked(pk)
    require(clerical_of(acting_user, doc.agency) or has_role(acting_user, (Role.LEADER,), doc.agency),
            "Chỉ lãnh đạo hoặc văn thư của cơ quan ban hành được thu hồi văn bản.")
    require_status(doc, (DocStatus.ISSUED,), "thu hồi")
    reason = _text(reason, "reason", "lý do thu hồi", 500)
    doc.recall_requested_at, doc.recall_reason = at, reason
    doc.save(update_fields=["recall_requested_at", "recall_reason", "updated_at"])
    log(doc, "recall_request", doc.status, actor=acting_user, at=at, note=reason)
    queue_document(doc, b"", at=at, business_type=1, reason=reason)
    return doc
