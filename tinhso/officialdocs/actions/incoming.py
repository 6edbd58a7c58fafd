"""Incoming documents: received (from the exchange), checked, registered
with an incoming number the same day, assigned by a leader with a direction
and a deadline on the working calendar, handled; each step tells the sender
its status code (01 arrived, 02 returned, 03 registered, 04 assigned,
05 in progress, 06 done)."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from tinhso.accounts.models import Role, User
from tinhso.accounts.permissions import has_role
from tinhso.agencies.models import Agency
from tinhso.core.errors import InvalidInput, NotFound
from tinhso.officialdocs import edxml
from tinhso.officialdocs.actions.common import (
    clerical_of, clerks, holders_of, locked, log, next_number, register_for, require, require_status, tell,
)
from tinhso.officialdocs.models import (
    Assignment, DocStatus, Direction, DocumentEvent, DocumentFile, DocumentType, OfficialDocument, Recipient,
)
from tinhso.workcalendar.engine import get_calendar
from tinhso.workcalendar.policies import due_for
from tinhso.workcalendar.stages import next_rung

PRIORITY = {0: "normal", 1: "urgent", 2: "very_urgent", 3: "express"}
REMINDERS = (80, 100)  # remind the handler when 80% of the time is used, and when the deadline passes


def receive_message(data: bytes, *, to_organ: str, at=None):
    """Take an edXML message addressed to `to_organ` (an agency here): a
    document becomes an incoming document (status 01 goes back), a status
    updates the sender's recipient row. Raises EdxmlError on a bad message,
    with nothing registered."""
    at = at or timezone.now()
    parsed = edxml.parse(data)
    if isinstance(parsed, edxml.EdStatus):
        return _apply_status(parsed, at)
    agency = Agency.objects.filter(code=to_organ, is_active=True).first()
    if agency is None or to_organ not in [r.organ_id for r in parsed.recipients]:
        raise edxml.EdxmlError(f"R.To: gói tin không gửi tới {to_organ}.")
    existing = OfficialDocument.objects.filter(agency=agency, sender_document_id=parsed.document_id).first()
    if parsed.business_type == 1:
        return _recall_requested(existing, parsed, at)
    if existing is not None:
        return existing  # a duplicate (the same DocumentId): recognised, not registered twice
    from tinhso.officialdocs.exchange import queue_status

    doc_type = (DocumentType.objects.filter(abbreviation=parsed.type_code).first()
                or DocumentType.objects.filter(name="Công văn").first())
    try:
        with transaction.atomic():
            doc = OfficialDocument.objects.create(
                direction=Direction.INCOMING, agency=agency, doc_type=doc_type, summary=parsed.subject[:500],
                status=DocStatus.ARRIVED, urgency=PRIORITY.get(parsed.priority, "normal"),
                signer_name=parsed.signer_name, signer_position=parsed.signer_position,
                sender_name=parsed.sender.name, sender_organ_id=parsed.sender.organ_id,
                sender_reference=f"{parsed.code_number}/{parsed.code_notation}", sender_document_id=parsed.document_id,
                issued_on=parsed.promulgation_date, reply_due=parsed.due_date, received_at=at, place=parsed.place,
                source=OfficialDocument.objects.filter(direction=Direction.OUTGOING,
                                                       agency__code=parsed.sender.organ_id,
                                                       sender_document_id=parsed.document_id).first())
            for number, attachment in enumerate(parsed.attachments):
                row = DocumentFile(document=doc, role="body" if number == 0 else "attachment",
                                   original_name=attachment.name[:255],
                                   content_type=attachment.content_type[:100],
                                   sha256=hashlib.sha256(attachment.data).hexdigest())
                row.file.save(attachment.name[:120] or "van-ban.pdf", ContentFile(attachment.data), save=True)
            from tinhso.core.text import fold

            doc.search_text = fold(" ".join([doc.summary, doc.sender_reference, doc.sender_name]))
            doc.save(update_fields=["search_text"])
            if parsed.business_type in (2, 3) and parsed.response_for:
                _link_related(doc, parsed, at)
            log(doc, "arrive", DocStatus.ARRIVED, actor=None, at=at, from_status="",
                data={"from": parsed.sender.organ_id, "document_id": parsed.document_id})
            queue_status(incoming_doc=doc, code="01", description="Văn bản đã đến", at=at)
            tell(clerks(agency), doc, f"Văn bản đến: {doc.sender_reference} — {doc.summary[:80]}")
    except IntegrityError:
        return OfficialDocument.objects.get(agency=agency, sender_document_id=parsed.document_id)
    return doc


@transaction.atomic
def _apply_status(status: edxml.EdStatus, at):
    source = (OfficialDocument.objects.select_for_update().filter(
        direction=Direction.OUTGOING, agency__code=status.to_organ_id, sender_document_id=status.response_for).first())
    if source is None:
        raise edxml.EdxmlError(f"R.ResponseFor: không có văn bản {status.response_for}.")
    recipient = Recipient.objects.filter(document=source, organ_id=status.sender.organ_id).first()
    if recipient is None:
        raise edxml.EdxmlError(f"R.From: {status.sender.organ_id} không phải nơi nhận của văn bản.")
    recipient.status_code, recipient.status_at = status.status_code, status.timestamp
    recipient.status_note = status.description[:500]
    recipient.save(update_fields=["status_code", "status_at", "status_note"])
    if status.status_code == "15" and source.status == DocStatus.ISSUED and not source.recipients.exclude(
            status_code="15").exists():
        source.status = DocStatus.RECALLED
        source.save(update_fields=["status", "updated_at"])
    DocumentEvent.objects.create(document=source, at=at, action=f"status_{status.status_code}",
                                 from_status=source.status, to_status=source.status, actor_name=status.sender.name,
                                 note=f"{status.status_code} {edxml.STATUS_CODES[status.status_code]}: "
                                      f"{status.description}"[:2000],
                                 data={"organ": status.sender.organ_id, "code": status.status_code})
    return source


def _status(doc, code, description, actor, at):
    from tinhso.officialdocs.exchange import queue_status

    queue_status(incoming_doc=doc, code=code, description=description, actor=actor, at=at)


@transaction.atomic
def register_incoming(*, acting_user, pk, at=None) -> OfficialDocument:
    at = at or timezone.now()
    doc = locked(pk)
    require(clerical_of(acting_user, doc.agency), "Chỉ văn thư của cơ quan được vào sổ văn bản đến.")
    require_status(doc, (DocStatus.ARRIVED,), "vào sổ")
    register = register_for(doc.agency, timezone.localdate(at).year, Direction.INCOMING, doc.series)
    doc.register, doc.number = register, next_number(register)
    log(doc, "register", DocStatus.REGISTERED, actor=acting_user, at=at, data={"incoming_number": doc.number})
    doc.status = DocStatus.REGISTERED
    doc.save(update_fields=["register", "number", "status", "updated_at"])
    _status(doc, "03", f"Đã vào sổ văn bản đến, số đến {doc.number}", acting_user, at)
    tell(holders_of(Role.LEADER, doc.agency), doc, f"Văn bản đến chờ phân công: {doc.summary[:80]}")
    return doc


@transaction.atomic
def return_incoming(*, acting_user, pk, reason: str, at=None) -> OfficialDocument:
    """Misdelivered or not authentic: back to the sender (status 02)."""
    at = at or timezone.now()
    doc = locked(pk)
    require(clerical_of(acting_user, doc.agency), "Chỉ văn thư của cơ quan được trả lại văn bản đến.")
    require_status(doc, (DocStatus.ARRIVED,), "trả lại")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Nhập lý do trả lại.", code="reason_required",
                           errors=[{"field": "reason", "message": "Nhập lý do."}])
    log(doc, "return", DocStatus.RETURNED, actor=acting_user, at=at, note=reason[:2000])
    doc.status = DocStatus.RETURNED
    doc.save(update_fields=["status", "updated_at"])
    _status(doc, "02", reason[:500], acting_user, at)
    return doc


@transaction.atomic
def assign(*, acting_user, pk, unit_id, person_id=None, direction_note: str = "", days: int = 5,
           at=None) -> OfficialDocument:
    at = at or timezone.now()
    doc = locked(pk)
    require(has_role(acting_user, (Role.LEADER,), doc.agency), "Chỉ lãnh đạo cơ quan được phân công xử lý.")
    require_status(doc, (DocStatus.REGISTERED, DocStatus.ASSIGNED), "phân công")
    unit = Agency.objects.filter(pk=unit_id, path__startswith=doc.agency.path).first() \
        if str(unit_id or "").isdigit() else None
    if unit is None:
        raise InvalidInput("Chọn đơn vị xử lý thuộc cơ quan.", code="unit_required",
                           errors=[{"field": "unit", "message": "Chọn đơn vị xử lý."}])
    person = User.objects.filter(pk=person_id).first() if str(person_id or "").isdigit() else None
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 365:
        raise InvalidInput("Hạn xử lý từ 1 đến 365 ngày làm việc.", code="bad_deadline",
                           errors=[{"field": "days", "message": "Từ 1 đến 365 ngày làm việc."}])
    calendar = get_calendar()
    due = due_for(calendar, at, days, "working_days")
    doc.assignments.filter(done_at__isnull=True).update(done_at=at, next_reminder_at=None)  # re-assigned
    Assignment.objects.create(document=doc, unit=unit, person=person, direction_note=direction_note.strip()[:2000],
                              due_at=due, assigned_by=acting_user, assigned_at=at,
                              next_reminder_at=next_rung(calendar, at, due, REMINDERS, 0)[1])
    log(doc, "assign", DocStatus.ASSIGNED, actor=acting_user, at=at, note=direction_note.strip()[:2000],
        data={"unit": unit.name, "person": person.get_full_name() if person else "", "due": due.isoformat()})
    doc.status, doc.holder = DocStatus.ASSIGNED, person
    doc.save(update_fields=["status", "holder", "updated_at"])
    _status(doc, "04", f"Đã phân công {unit.name} xử lý", acting_user, at)
    tell([person] if person else holders_of(Role.HEAD_OF_DIVISION, unit), doc,
         f"Văn bản giao xử lý: {doc.summary[:80]}", direction_note)
    return doc


def _handler_ok(user, doc) -> bool:
    assignment = doc.assignments.order_by("-assigned_at").first()
    if assignment is None:
        return False
    return (assignment.person_id == getattr(user, "pk", None)
            or has_role(user, (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER), assignment.unit))


@transaction.atomic
def start_handling(*, acting_user, pk, at=None) -> OfficialDocument:
    at = at or timezone.now()
    doc = locked(pk)
    require(_handler_ok(acting_user, doc), "Chỉ người, đơn vị được phân công xử lý văn bản này.")
    require_status(doc, (DocStatus.ASSIGNED,), "bắt đầu xử lý")
    log(doc, "start", DocStatus.IN_PROGRESS, actor=acting_user, at=at)
    doc.status = DocStatus.IN_PROGRESS
    doc.save(update_fields=["status", "updated_at"])
    _status(doc, "05", "Đang xử lý", acting_user, at)
    return doc


@transaction.atomic
def complete(*, acting_user, pk, note: str = "", at=None) -> OfficialDocument:
    at = at or timezone.now()
    doc = locked(pk)
    require(_handler_ok(acting_user, doc), "Chỉ người, đơn vị được phân công xử lý văn bản này.")
    require_status(doc, (DocStatus.ASSIGNED, DocStatus.IN_PROGRESS), "hoàn thành")
    log(doc, "complete", DocStatus.DONE, actor=acting_user, at=at, note=(note or "").strip()[:2000])
    doc.status, doc.holder = DocStatus.DONE, None
    doc.save(update_fields=["status", "holder", "updated_at"])
    doc.assignments.filter(done_at__isnull=True).update(done_at=at, next_reminder_at=None)
    _status(doc, "06", "Hoàn thành xử lý", acting_user, at)
    return doc


def get_document(pk) -> OfficialDocument:
    doc = OfficialDocument.objects.select_related("agency", "doc_type").filter(pk=pk).first()
    if doc is None:
        raise NotFound("Không tìm thấy văn bản.", code="document_not_found")
    return doc


SCAN_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/tiff": "tif"}


def receive_paper(*, acting_user, agency, doc_type_id, sender_name: str, sender_reference: str, issued_on,
                  summary: str, scan, urgency: str = "normal", at=None) -> OfficialDocument:
    """A paper document received at the clerical office: the scan (PDF or a
    photo) becomes a PDF, its text is read (OCR, Vietnamese), the agency signs
    the digitised copy (seal at the top right of page 1, Decree 30), and it
    waits for registration like an electronic one. The slow parts run before
    the transaction opens."""
    from tinhso.core.text import fold
    from tinhso.dossiers.uploads import check_upload
    from tinhso.officialdocs import ocr
    from tinhso.signatures.service import sign_pdf

    at = at or timezone.now()
    require(clerical_of(acting_user, agency), "Chỉ văn thư của cơ quan được tiếp nhận văn bản giấy.")
    errors = []
    doc_type = DocumentType.objects.filter(pk=doc_type_id).first() if str(doc_type_id or "").isdigit() else None
    if doc_type is None:
        errors.append({"field": "doc_type", "message": "Chọn loại văn bản."})
    for field, value, label, limit in (("sender_name", sender_name, "nơi gửi", 255),
                                       ("sender_reference", sender_reference, "số, ký hiệu", 80),
                                       ("summary", summary, "trích yếu", 500)):
        if not (value or "").strip() or len(value.strip()) > limit:
            errors.append({"field": field, "message": f"Nhập {label} (tối đa {limit} ký tự)."})
    checked = None
    try:
        checked = check_upload(scan, "scan", allowed=SCAN_TYPES, label="PDF, JPG, PNG, TIFF") if scan else None
    except InvalidInput as exc:
        errors.extend(exc.errors)
    if checked is None and not any(e["field"] == "scan" for e in errors):
        errors.append({"field": "scan", "message": "Đính kèm bản quét văn bản."})
    if errors:
        raise InvalidInput(errors[0]["message"], code="invalid_document", errors=errors)
    pdf = checked.data if checked.content_type == "application/pdf" else ocr.image_to_pdf(checked.data)
    text = ocr.text_of(pdf)
    signed = sign_pdf(pdf, agency=agency, reason="Số hóa văn bản giấy đến", location=agency.name,
                      position="top-right")
    with transaction.atomic():
        doc = OfficialDocument.objects.create(
            direction=Direction.INCOMING, agency=agency, doc_type=doc_type, summary=summary.strip(),
            status=DocStatus.ARRIVED, urgency=urgency if urgency in PRIORITY.values() else "normal",
            sender_name=sender_name.strip(), sender_reference=sender_reference.strip(), issued_on=issued_on,
            received_at=at, search_text=fold(" ".join([summary, sender_reference, sender_name, text]))[:200_000])
        row = DocumentFile(document=doc, role="scan", original_name=f"{checked.name.rsplit('.', 1)[0]}.pdf",
                           content_type="application/pdf", sha256=hashlib.sha256(signed).hexdigest(), text=text)
        row.file.save(row.original_name, ContentFile(signed), save=True)
        log(doc, "receive_paper", DocStatus.ARRIVED, actor=acting_user, at=at, from_status="",
            data={"ocr_characters": len(text)})
    return doc


def remind(at=None) -> dict:
    """Remind handlers before the deadline of an assigned document (80% of the
    working time used) and tell them and the leaders when it passes; each
    reminder once (the job runs every 15 minutes on every worker, once per slot)."""
    at = at or timezone.now()
    calendar = get_calendar()
    counts = {"due_soon": 0, "overdue": 0}
    for pk in list(Assignment.objects.filter(next_reminder_at__lte=at, done_at__isnull=True)
                   .values_list("pk", flat=True)[:2000]):
        with transaction.atomic():
            row = (Assignment.objects.select_for_update(of=("self",)).select_related("document", "unit", "person")
                   .filter(pk=pk, next_reminder_at__lte=at, done_at__isnull=True).first())
            if row is None:
                continue
            reached = max(p for p in REMINDERS if p > row.reminded_percent and
                          next_rung(calendar, row.assigned_at, row.due_at, [p], 0)[1] <= at)
            people = [row.person] if row.person else holders_of(Role.HEAD_OF_DIVISION, row.unit)
            doc = row.document
            if reached >= 100:
                people += holders_of(Role.LEADER, doc.agency)
                tell(people, doc, f"Văn bản quá hạn xử lý: {doc.sender_reference or doc.summary[:60]}",
                     f"Hạn: {timezone.localtime(row.due_at):%H:%M %d/%m/%Y}")
                counts["overdue"] += 1
            else:
                tell(people, doc, f"Văn bản sắp đến hạn xử lý: {doc.sender_reference or doc.summary[:60]}",
                     f"Hạn: {timezone.localtime(row.due_at):%H:%M %d/%m/%Y}")
                counts["due_soon"] += 1
            row.reminded_percent = reached
            row.next_reminder_at = next_rung(calendar, row.assigned_at, row.due_at, REMINDERS, reached)[1]
            row.save(update_fields=["reminded_percent", "next_reminder_at"])
    return counts


def _recall_requested(doc, parsed, at):
    from tinhso.officialdocs.exchange import queue_status

    if doc is None:
        raise edxml.EdxmlError(f"R.DocumentId: không có văn bản {parsed.document_id} để thu hồi.")
    with transaction.atomic():
        doc = locked(doc.pk)
        if doc.recall_requested_at is None and doc.status != DocStatus.RECALLED:
            doc.recall_requested_at, doc.recall_reason = at, parsed.business_reason[:500]
            doc.save(update_fields=["recall_requested_at", "recall_reason", "updated_at"])
            log(doc, "recall_requested", doc.status, actor=None, at=at, note=parsed.business_reason[:2000])
            queue_status(incoming_doc=doc, code="13", description="Đã nhận đề nghị thu hồi", at=at)
            tell(clerks(doc.agency), doc, f"Nơi gửi đề nghị thu hồi văn bản {doc.sender_reference}",
                 parsed.business_reason)
    return doc


@transaction.atomic
def answer_recall(*, acting_user, pk, accept: bool, note: str = "", at=None) -> OfficialDocument:
    """The receiver's clerical office cancels the recalled document (15) or
    refuses the recall (16), and the sender is told."""
    at = at or timezone.now()
    doc = locked(pk)
    require(clerical_of(acting_user, doc.agency), "Chỉ văn thư của cơ quan được xử lý đề nghị thu hồi.")
    if doc.recall_requested_at is None or doc.status == DocStatus.RECALLED:
        raise InvalidInput("Văn bản này không có đề nghị thu hồi đang chờ.", code="no_recall")
    if accept:
        log(doc, "recall_accept", DocStatus.RECALLED, actor=acting_user, at=at, note=(note or "")[:2000])
        doc.status, doc.holder = DocStatus.RECALLED, None
        doc.save(update_fields=["status", "holder", "updated_at"])
        doc.assignments.filter(done_at__isnull=True).update(done_at=at, next_reminder_at=None)
        _status(doc, "15", "Đã hủy văn bản theo đề nghị thu hồi", acting_user, at)
    else:
        note = (note or "").strip()
        if not note:
            raise InvalidInput("Nhập lý do từ chối thu hồi.", code="reason_required",
                               errors=[{"field": "note", "message": "Nhập lý do."}])
        log(doc, "recall_refuse", doc.status, actor=acting_user, at=at, note=note[:2000])
        doc.recall_requested_at = None
        doc.save(update_fields=["recall_requested_at", "updated_at"])
        _status(doc, "16", note[:500], acting_user, at)
    return doc


def _link_related(doc, parsed, at) -> None:
    """A replacement (3) or correction (2) of a document received before: the
    new one points to it, a replaced one is marked so nobody acts on it."""
    earlier = OfficialDocument.objects.filter(agency=doc.agency, direction=Direction.INCOMING,
                                              sender_document_id=parsed.response_for).first()
    if earlier is None:
        return
    relation = "replace" if parsed.business_type == 3 else "correct"
    doc.relates_to, doc.relation = earlier, relation
    doc.save(update_fields=["relates_to", "relation"])
    if relation == "replace" and earlier.status not in (DocStatus.RETURNED, DocStatus.RECALLED):
        log(earlier, "replaced", DocStatus.REPLACED, actor=None, at=at, note=f"Được thay thế bởi {doc.sender_reference}")
        earlier.status, earlier.holder = DocStatus.REPLACED, None
        earlier.save(update_fields=["status", "holder", "updated_at"])
        earlier.assignments.filter(done_at__isnull=True).update(done_at=at, next_reminder_at=None)
    else:
        log(earlier, "corrected", earlier.status, actor=None, at=at, note=f"Được đính chính bởi {doc.sender_reference}")


@transaction.atomic
def note_progress(*, acting_user, pk, note: str, at=None) -> OfficialDocument:
    """The handler records how the work goes (without changing the state)."""
    at = at or timezone.now()
    doc = locked(pk)
    require(_handler_ok(acting_user, doc), "Chỉ người, đơn vị được phân công xử lý văn bản này.")
    require_status(doc, (DocStatus.ASSIGNED, DocStatus.IN_PROGRESS), "cập nhật tiến độ")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("Nhập nội dung tiến độ.", code="note_required",
                           errors=[{"field": "note", "message": "Nhập nội dung."}])
    log(doc, "progress", doc.status, actor=acting_user, at=at, note=note[:2000])
    return doc
