"""The transitions of a report after it arrives, one function each: atomic,
permission-checked, with a history row, an audit row and notices after
commit (tinhso/fieldreports/actions/common.py)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tinhso.agencies.models import Agency
from tinhso.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tinhso.fieldreports import policies, rules
from tinhso.audit.actions import record
from tinhso.fieldreports.actions.common import (
    clean_text, end_stage, enter_stage, is_centre, locked, log, now, reason, require_centre, require_handler,
    require_status, save, tell_citizens, tell_staff,
)
from tinhso.fieldreports.actions.submit import _store_files, categories_in_force
from tinhso.fieldreports.media import check_media
from tinhso.fieldreports.models import (
    FieldReport, Rating, ReasonKind, ReportFollower, ReportMedia, Status,
)
from tinhso.fieldreports.models.report import AT_AGENCY, OPEN_STATUSES
from tinhso.fieldreports.people import centre_staff, handlers


def _route_to(report, agency, at, actor, action: str, note: str = "", *, public: bool = True,
              data: dict | None = None) -> None:
    """Give the report to `agency` (its handle stage starts) or, with none,
    leave it in the centre's queue (the confirm stage goes on)."""
    previous = report.status
    if agency is None:
        report.status, report.agency = Status.CONFIRMED, None
        if report.stage != "confirm":
            enter_stage(report, "confirm", at)
        save(report)
        event = log(report, action, Status.CONFIRMED, actor=actor, at=at, from_status=previous, note=note,
                    public=public, data={"queue": "centre", **(data or {})})
        if public and action == "confirm":
            tell_citizens(report, event, "fr_confirmed")
        tell_staff(centre_staff(), report, "fieldreport.unrouted", f"Phản ánh chờ phân công: {report.code}",
                   "Chưa có cơ quan phụ trách lĩnh vực này tại địa bàn; cần phân công.")
        return
    report.status, report.agency = Status.ASSIGNED, agency
    enter_stage(report, "handle", at)
    save(report)
    event = log(report, action, Status.ASSIGNED, actor=actor, at=at, from_status=previous, note=note,
                data={"agency": agency.pk, "agency_name": agency.name})
    tell_staff(handlers(agency), report, "fieldreport.assigned", f"Phản ánh cần xử lý: {report.code}",
               f"{report.category.name} · {report.unit.name}\nHạn xử lý: "
               f"{timezone.localtime(report.stage_due_at):%H:%M %d/%m/%Y}")
    tell_citizens(report, event, "fr_assigned")


@transaction.atomic
def confirm(*, acting_user, code: str, category_code: str | None = None, note: str = "", at=None) -> FieldReport:
    """The centre confirms a new report (optionally in another category); it
    goes to the agency the routing table names, else stays in the centre's
    queue."""
    require_centre(acting_user)
    at = at or now()
    report = locked(code)
    require_status(report, (Status.NEW,), "xác nhận")
    note = clean_text(note, "note", "ghi chú", required=False)
    if category_code and category_code != report.category.code:
        category = categories_in_force(timezone.localdate(at)).filter(code=category_code).first()
        if category is None:
            raise InvalidInput("Lĩnh vực không hợp lệ.", code="invalid_category",
                               errors=[{"field": "category", "message": "Chọn lĩnh vực."}])
        record(actor=acting_user, action="fieldreports.reclassified", obj=report,
               changes={"category": [report.category.code, category.code]})
        report.category = category
        report.save(update_fields=["category"])
    agency = rules.route(report.category, report.unit, at)
    _route_to(report, agency, at, acting_user, "confirm", note)  # the confirm stage goes on while in the queue
    return report


@transaction.atomic
def reject(*, acting_user, code: str, reason_id, text: str = "", at=None) -> FieldReport:
    require_centre(acting_user)
    at = at or now()
    report = locked(code)
    require_status(report, (Status.NEW, Status.CONFIRMED), "từ chối")
    row, text = reason(ReasonKind.REJECT, reason_id, text)
    previous = report.status
    report.status, report.reason, report.reason_text, report.closed_at = Status.REJECTED, row, text, at
    end_stage(report, at)
    save(report, "reason", "reason_text", "closed_at")
    event = log(report, "reject", Status.REJECTED, actor=acting_user, at=at, from_status=previous,
                note=f"{row.label}. {text}".strip(". ").strip(), data={"reason": row.code})
    tell_citizens(report, event, "fr_rejected")
    return report


def _agency(agency_id) -> Agency:
    agency = Agency.objects.filter(pk=agency_id, is_active=True).first() if str(agency_id or "").isdecimal() else None
    if agency is None:
        raise InvalidInput("Chọn cơ quan xử lý.", code="agency_required",
                           errors=[{"field": "agency", "message": "Chọn cơ quan xử lý."}])
    return agency


@transaction.atomic
def assign(*, acting_user, code: str, agency_id, note: str = "", at=None) -> FieldReport:
    """The centre gives a report from its queue to an agency by hand."""
    require_centre(acting_user)
    at = at or now()
    report = locked(code)
    require_status(report, (Status.NEW, Status.CONFIRMED), "phân công")
    agency = _agency(agency_id)
    _route_to(report, agency, at, acting_user, "assign", clean_text(note, "note", "ghi chú", required=False))
    return report


@transaction.atomic
def transfer(*, acting_user, code: str, agency_id, note: str = "", at=None) -> FieldReport:
    """The centre moves a report from one agency to another."""
    require_centre(acting_user)
    at = at or now()
    report = locked(code)
    require_status(report, AT_AGENCY, "chuyển cơ quan xử lý")
    agency = _agency(agency_id)
    if agency.pk == report.agency_id:
        raise Conflict("Phản ánh đang ở chính cơ quan này.", code="same_agency")
    _route_to(report, agency, at, acting_user, "transfer", clean_text(note, "note", "ghi chú", required=False))
    return report


@transaction.atomic
def accept(*, acting_user, code: str, at=None) -> FieldReport:
    at = at or now()
    report = locked(code)
    require_handler(acting_user, report)
    require_status(report, (Status.ASSIGNED,), "nhận xử lý")
    report.status = Status.ACCEPTED
    save(report)
    log(report, "accept", Status.ACCEPTED, actor=acting_user, at=at, from_status=Status.ASSIGNED)
    return report


@transaction.atomic
def return_to_centre(*, acting_user, code: str, reason_id, text: str = "", at=None) -> FieldReport:
    """The agency says the report is not theirs; the centre routes it again."""
    at = at or now()
    report = locked(code)
    require_handler(acting_user, report)
    require_status(report, (Status.ASSIGNED, Status.ACCEPTED), "trả lại trung tâm")
    row, text = reason(ReasonKind.RETURN, reason_id, text)
    agency = report.agency
    report.reason, report.reason_text = row, text
    report.save(update_fields=["reason", "reason_text"])
    _route_to(report, None, at, acting_user, "return", f"{row.label}. {text}".strip(". ").strip(), public=False,
              data={"reason": row.code, "from_agency": agency.pk})
    return report


@transaction.atomic
def start_work(*, acting_user, code: str, note: str = "", at=None) -> FieldReport:
    at = at or now()
    report = locked(code)
    require_handler(acting_user, report)
    require_status(report, (Status.ACCEPTED,), "bắt đầu xử lý")
    report.status = Status.IN_PROGRESS
    save(report)
    log(report, "start", Status.IN_PROGRESS, actor=acting_user, at=at, from_status=Status.ACCEPTED,
        note=clean_text(note, "note", "ghi chú", required=False))
    return report


@transaction.atomic
def answer(*, acting_user, code: str, text: str, files=(), at=None) -> FieldReport:
    """The agency's result with evidence (a photo or document; required where
    the category says so); the centre reviews it before it is published."""
    at = at or now()
    report = locked(code)
    require_handler(acting_user, report)
    require_status(report, (Status.ACCEPTED, Status.IN_PROGRESS), "trả lời kết quả")
    errors = []
    try:
        text = clean_text(text, "answer", "nội dung kết quả xử lý")
    except InvalidInput as exc:
        errors.extend(exc.errors)
    checked = []
    for upload in files:
        try:
            checked.append(check_media(upload, "evidence", evidence=True))
        except InvalidInput as exc:
            errors.extend(exc.errors)
    if report.category.requires_evidence and not checked and not any(e["field"] == "evidence" for e in errors):
        errors.append({"field": "evidence", "message": "Lĩnh vực này yêu cầu minh chứng: đính kèm ít nhất một ảnh "
                                                       "hoặc tài liệu về kết quả xử lý."})
    if errors:
        raise InvalidInput(errors[0]["message"], code="invalid_answer", errors=errors)
    previous = report.status
    report.status, report.answer, report.answered_at = Status.ANSWERED, text, at
    enter_stage(report, "answer", at)
    save(report, "answer", "answered_at")
    _store_files(report, checked, role="evidence", user=acting_user)
    log(report, "answer", Status.ANSWERED, actor=acting_user, at=at, from_status=previous, public=False,
        data={"files": len(checked)})
    tell_staff(centre_staff(), report, "fieldreport.answered", f"Phản ánh có kết quả chờ duyệt: {report.code}")
    return report


@transaction.atomic
def send_back(*, acting_user, code: str, reason_id, text: str = "", at=None) -> FieldReport:
    """The centre finds the answer not good enough: back to the agency."""
    require_centre(acting_user)
    at = at or now()
    report = locked(code)
    require_status(report, (Status.ANSWERED,), "yêu cầu xử lý lại")
    row, text = reason(ReasonKind.SEND_BACK, reason_id, text)
    report.status = Status.IN_PROGRESS
    enter_stage(report, "handle", at)
    save(report)
    log(report, "send_back", Status.IN_PROGRESS, actor=acting_user, at=at, from_status=Status.ANSWERED,
        public=False, note=f"{row.label}. {text}".strip(". ").strip(), data={"reason": row.code})
    tell_staff(handlers(report.agency), report, "fieldreport.sent_back", f"Phản ánh cần xử lý lại: {report.code}",
               f"{row.label}. {text}")
    return report


@transaction.atomic
def publish(*, acting_user, code: str, text: str | None = None, at=None) -> FieldReport:
    """The centre approves the answer (it may tidy the wording) and publishes it."""
    require_centre(acting_user)
    at = at or now()
    report = locked(code)
    require_status(report, (Status.ANSWERED,), "công khai kết quả")
    if text is not None and text.strip():
        report.answer = clean_text(text, "answer", "nội dung kết quả xử lý")
    report.status, report.published_at, report.published_answer = Status.PUBLISHED, at, report.answer
    end_stage(report, at)
    save(report, "answer", "published_at", "published_answer")
    ReportMedia.objects.filter(report=report, role="evidence", published=False).update(published=True)
    event = log(report, "publish", Status.PUBLISHED, actor=acting_user, at=at, from_status=Status.ANSWERED,
                note=report.answer)
    tell_citizens(report, event, "fr_answered")
    return report


def _is_reporter(user, report) -> bool:
    return getattr(user, "is_authenticated", False) and report.reporter_id == user.pk


@transaction.atomic
def rate(*, acting_user, code: str, rating: str, comment: str = "", reporter_ok: bool = False, at=None) -> FieldReport:
    """The reporter rates the published answer; the report closes. `reporter_ok`:
    the caller proved it is the reporter another way (the link sent to the
    reporter's phone)."""
    at = at or now()
    report = locked(code)
    if not (reporter_ok or _is_reporter(acting_user, report)):
        raise PermissionDenied("Chỉ người phản ánh được đánh giá kết quả.", code="not_reporter")
    require_status(report, (Status.PUBLISHED,), "đánh giá")
    if rating not in Rating.values:
        raise InvalidInput("Chọn mức hài lòng.", code="rating_required",
                           errors=[{"field": "rating", "message": "Chọn mức hài lòng."}])
    comment = clean_text(comment, "comment", "ý kiến", required=False, limit=2000)
    report.status, report.rating, report.rating_comment = Status.CLOSED, rating, comment
    report.rated_at = report.closed_at = at
    save(report, "rating", "rating_comment", "rated_at", "closed_at")
    log(report, "rate", Status.CLOSED, actor=acting_user, at=at, from_status=Status.PUBLISHED,
        note=Rating(rating).label, data={"rating": rating})
    return report


@transaction.atomic
def reopen(*, acting_user, code: str, comment: str, reporter_ok: bool = False, at=None) -> FieldReport:
    """Not satisfied: the reporter reopens within the window; the report goes
    back to the agency that handled it."""
    at = at or now()
    report = locked(code)
    if not (reporter_ok or _is_reporter(acting_user, report)):
        raise PermissionDenied("Chỉ người phản ánh được mở lại phản ánh.", code="not_reporter")
    require_status(report, (Status.PUBLISHED, Status.CLOSED), "mở lại")
    if report.rating and report.rating != Rating.NOT_SATISFIED:
        raise Conflict("Chỉ mở lại được khi không hài lòng với kết quả.", code="reopen_satisfied")
    window = datetime.timedelta(days=policies.reopen_days(report.published_at))
    if report.published_at is None or at > report.published_at + window:
        raise Conflict(f"Đã quá {window.days} ngày kể từ khi công khai kết quả; hãy gửi phản ánh mới.",
                       code="reopen_window_passed")
    comment = clean_text(comment, "comment", "lý do mở lại", limit=2000)
    report.reopen_count += 1
    report.rating_comment = comment
    report.closed_at = None
    if not report.rating:  # reopening an unrated answer says the reporter is not satisfied
        report.rating, report.rated_at = Rating.NOT_SATISFIED, at
    report.save(update_fields=["reopen_count", "rating_comment", "closed_at", "rating", "rated_at"])
    agency = report.agency or rules.route(report.category, report.unit, at)
    _route_to(report, agency, at, acting_user, "reopen", comment)
    return report


@transaction.atomic
def merge(*, acting_user, code: str, into: str, note: str = "", at=None) -> FieldReport:
    """A duplicate joins the original: its followers and photos move there,
    and it says where it went."""
    require_centre(acting_user)
    at = at or now()
    if code == into:
        raise InvalidInput("Không thể gộp phản ánh vào chính nó.", code="merge_self")
    rows = {c: locked(c) for c in sorted([code, into])}  # a fixed order: two merges never wait on each other
    report, original = rows[code], rows[into]
    require_status(report, OPEN_STATUSES, "gộp")
    if original.status in (Status.MERGED, Status.REJECTED):
        raise Conflict(f"Phản ánh {original.code} không còn nhận gộp.", code="merge_target_closed")
    previous = report.status
    report.status, report.duplicate_of, report.closed_at = Status.MERGED, original, at
    end_stage(report, at)
    save(report, "duplicate_of", "closed_at")
    moved = 0
    for follower in report.followers.all():
        _, created = ReportFollower.objects.get_or_create(
            report=original, user=follower.user, phone=follower.phone if not follower.user_id else "",
            defaults={"email": follower.email})
        moved += created
    photos = ReportMedia.objects.filter(report=report, role="report").update(report=original, moved_from=report)
    event = log(report, "merge", Status.MERGED, actor=acting_user, at=at, from_status=previous,
                note=f"Trùng với phản ánh {original.code}. {note}".strip(),
                data={"into": original.code, "followers": moved, "photos": photos})
    log(original, "merged_in", original.status, actor=acting_user, at=at, public=False,
        note=f"Gộp phản ánh {report.code} vào đây.", data={"from": report.code})
    tell_citizens(report, event, "fr_merged")
    return report


@transaction.atomic
def hide(*, acting_user, code: str, reason_id, text: str = "", at=None) -> FieldReport:
    """Moderation: take a report off the public pages; the reporter is told why."""
    require_centre(acting_user)
    at = at or now()
    report = locked(code)
    if report.hidden_at is not None:
        raise Conflict("Phản ánh đã được ẩn.", code="already_hidden")
    row, text = reason(ReasonKind.HIDE, reason_id, text)
    report.hidden_at, report.hidden_reason = at, f"{row.label}. {text}".strip(". ").strip()
    report.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    event = log(report, "hide", report.status, actor=acting_user, at=at, public=False, note=report.hidden_reason,
                data={"reason": row.code})
    tell_citizens(report, event, "fr_hidden")
    return report


@transaction.atomic
def unhide(*, acting_user, code: str, at=None) -> FieldReport:
    require_centre(acting_user)
    at = at or now()
    report = locked(code)
    if report.hidden_at is None:
        raise Conflict("Phản ánh đang được công khai.", code="not_hidden")
    report.hidden_at, report.hidden_reason = None, ""
    report.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    log(report, "unhide", report.status, actor=acting_user, at=at, public=False)
    return report


@transaction.atomic
def withhold_media(*, acting_user, code: str, media_id: int, withheld: bool, at=None) -> ReportMedia:
    """Moderation of one file: a face or a number plate stays for staff only."""
    require_centre(acting_user)
    at = at or now()
    media = (ReportMedia.objects.select_for_update(of=("self",)).select_related("report")
             .filter(pk=media_id, report__code=code).first())
    if media is None:
        raise NotFound("Không có tệp này.", code="media_not_found")
    media.withheld = withheld
    media.save(update_fields=["withheld"])
    log(media.report, "withhold" if withheld else "release", media.report.status, actor=acting_user, at=at,
        public=False, data={"media": media.pk})
    return media


@transaction.atomic
def follow(*, acting_user, code: str, phone: str = "") -> ReportFollower:
    """A citizen with the same problem follows the report instead of sending a new one."""
    report = FieldReport.objects.select_related("category").filter(code=code).first()
    if report is None or not report.is_public:
        raise NotFound("Không tìm thấy phản ánh.", code="report_not_found")
    if not report.is_open:
        raise Conflict("Phản ánh đã xử lý xong; không cần theo dõi.", code="report_closed")
    if getattr(acting_user, "is_citizen", False):
        row, _ = ReportFollower.objects.get_or_create(report=report, user=acting_user)
        return row
    if not phone:
        raise PermissionDenied("Đăng nhập hoặc xác nhận số điện thoại để theo dõi.", code="identity_required")
    row, _ = ReportFollower.objects.get_or_create(report=report, user=None, phone=phone)
    return row


def reporter_can_act(user, report) -> bool:
    return _is_reporter(user, report) or is_centre(user)
