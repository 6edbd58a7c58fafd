"""Processing: moving along the internal process, supplements, payment,
apology."""

from __future__ import annotations

import datetime

from django.db import transaction

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.core.errors import InvalidInput, PermissionDenied
from django.utils import timezone

from tinhso.dossiers.policies import (apology_approver_roles, apology_lead_hours, clock_restarts_after_supplement,
                                      max_apologies, max_reception_supplement_requests, max_supplement_requests,
                                      pauses_clock, supplement_working_days)
from tinhso.dossiers.actions._base import (lock, now, place_at_step, require_current_holder, require_status,
                                           require_text, store_files, write_event)
from tinhso.dossiers.models import DossierEvent, DossierPause, FileKind, PauseReason, Status
from tinhso.workcalendar.engine import get_calendar


def _targets(step, kind: str, ref=None):
    if ref is not None:  # a locked dossier: the same answer from the reference cache
        moves = [to_step for move_kind, to_step in ref.moves(step) if move_kind == kind]
        if moves:
            return moves
        steps = ref.steps(step.case_id)
        if kind == "forward":
            following = [s for s in steps if s.order > step.order][:1]
            return following
        return [s for s in steps if s.order < step.order]
    moves = [m.to_step for m in step.moves_out.select_related("to_step", "to_step__agency") if m.kind == kind]
    if moves:
        return moves
    steps = step.case.steps.select_related("agency").order_by("order")
    if kind == "forward":
        following = steps.filter(order__gt=step.order).first()
        return [following] if following else []
    return list(steps.filter(order__lt=step.order))


def allowed_targets(dossier, kind: str):
    return _targets(dossier.current_step, kind, getattr(dossier, "_refs", None)) if dossier.current_step_id else []


def _pick(dossier, kind: str, to_step):
    targets = allowed_targets(dossier, kind)
    if to_step is None:
        if len(targets) == 1:
            return targets[0]
        raise InvalidInput("Cần chọn bước chuyển đến.", code="step_required",
                           errors=[{"field": "to_step", "message": "Chọn bước."}])
    if to_step.pk not in {t.pk for t in targets}:
        word = "chuyển tiếp" if kind == "forward" else "trả lại"
        raise InvalidInput(f"Quy trình không cho phép {word} từ bước “{dossier.current_step.name}” đến “{to_step.name}”.",
                           code="move_not_allowed")
    return to_step


@transaction.atomic
def forward(*, acting_user, dossier, to_step=None, receiver=None, comment: str = "", version=None, at=None):
    """Chuyển xử lý: hand the dossier to the next step of the internal process."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.RECEIVED, Status.PROCESSING], "chuyển xử lý")
    require_current_holder(acting_user, dossier)
    target = _pick(dossier, "forward", to_step)
    return _move(dossier, acting_user, target, receiver, comment, "forward", now(at))


@transaction.atomic
def send_back(*, acting_user, dossier, to_step=None, receiver=None, comment: str = "", version=None, at=None):
    """Trả lại bước trước (with a reason)."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.PROCESSING], "trả lại")
    require_current_holder(acting_user, dossier)
    comment = require_text(comment, "comment", "lý do trả lại")
    target = _pick(dossier, "back", to_step)
    return _move(dossier, acting_user, target, receiver, comment, "send_back", now(at))


def _move(dossier, actor, target, receiver, comment, action, at):
    from_status, from_step, previous_due = dossier.status, dossier.current_step, dossier.step_due_at
    place_at_step(dossier, target, at, receiver=receiver)
    dossier.status = Status.PROCESSING
    write_event(dossier, actor=actor, action=action, at=at, from_status=from_status, from_step=from_step,
                comment=comment, previous_step_due=previous_due)
    return dossier


@transaction.atomic
def recall(*, acting_user, dossier, comment: str = "", version=None, at=None):
    """Thu hồi: the sender takes back a dossier the receiver has not acted on."""
    dossier = lock(dossier, version, acting_user)
    last = dossier.events.order_by("-at", "-id").first()
    if last is None or last.action not in ("forward", "send_back") or last.sender_id != acting_user.pk:
        raise InvalidInput("Chỉ thu hồi được hồ sơ mình vừa chuyển và người nhận chưa xử lý.", code="cannot_recall")
    if dossier.current_step_id != last.to_step_id:
        raise InvalidInput("Người nhận đã xử lý hồ sơ; không thể thu hồi.", code="cannot_recall")
    at = now(at)
    from_status, from_step = dossier.status, dossier.current_step
    dossier.current_step = last.from_step
    dossier.current_agency = last.sender_agency or dossier.current_agency
    dossier.current_role = last.from_step.role if last.from_step_id else dossier.current_role
    dossier.current_handler = acting_user
    dossier.step_due_at = last.previous_step_due_at
    dossier.status = last.from_status or dossier.status
    write_event(dossier, actor=acting_user, action="recall", at=at, from_status=from_status, from_step=from_step,
                comment=comment or "Thu hồi hồ sơ")
    return dossier


def _may_handle_supplement(actor, dossier) -> bool:
    return has_role(actor, Role.CLERK, dossier.receiving_agency) or (
        bool(dossier.current_role) and has_role(actor, dossier.current_role, dossier.current_agency))


def supplement_stage(dossier) -> str:
    """"reception": the desk checking an online dossier before receiving it
    (status 1); "appraisal": the competent agency (or the desk) after reception.
    Each has its own limit of requests."""
    return "reception" if dossier.status == Status.SUBMITTED else "appraisal"


def supplement_requests_left(dossier, at=None) -> int:
    stage = supplement_stage(dossier)
    limit = (max_reception_supplement_requests(dossier, at) if stage == "reception"
             else max_supplement_requests(dossier, at))
    from tinhso.dossiers.models import DossierEvent

    rows = DossierEvent.objects.filter(dossier_id=dossier.pk, action="request_supplement").values_list("from_status",
                                                                                                      "data")
    made = sum(1 for from_status, data in rows
               if ((data or {}).get("stage") or ("reception" if from_status == Status.SUBMITTED else "appraisal"))
               == stage)
    return max(0, limit - made)


def _supplement_due(at, deadline, dossier) -> datetime.datetime:
    """The supplement deadline: the end of the working day chosen on form 02,
    or the "dossiers.supplement_working_days" rule's number of working days."""
    calendar = get_calendar()
    if deadline is None:
        return calendar.add(at, supplement_working_days(dossier, at), "working_days")
    if isinstance(deadline, datetime.datetime):
        deadline = timezone.localdate(deadline)
    if deadline <= timezone.localdate(at):
        raise InvalidInput("Hạn bổ sung phải sau ngày yêu cầu.", code="invalid_supplement_deadline",
                           errors=[{"field": "deadline", "message": "Hạn bổ sung không hợp lệ."}])
    # to the end of the day written on the form (a citizen may send papers online until midnight)
    return datetime.datetime.combine(deadline, datetime.time(23, 59, 59), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def request_supplement(*, acting_user, dossier, reason: str, deadline: datetime.date | None = None,
                       attachments=(), version=None, at=None):
    """Yêu cầu bổ sung, hoàn thiện hồ sơ (form 02): one complete list of what
    is missing, with a deadline. The clock stops until the supplement is
    accepted. The desk's check of an online dossier (status 1) and the
    agency's appraisal each have their own limit of requests."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING], "yêu cầu bổ sung")
    if not _may_handle_supplement(acting_user, dossier):
        raise PermissionDenied("Chỉ cán bộ một cửa hoặc người đang xử lý hồ sơ được yêu cầu bổ sung.")
    reason = require_text(reason, "reason", "nội dung cần bổ sung")
    at = now(at)
    stage = supplement_stage(dossier)
    if supplement_requests_left(dossier, at) <= 0:
        who = "bộ phận một cửa (kiểm tra hồ sơ trực tuyến)" if stage == "reception" else "cơ quan giải quyết"
        raise InvalidInput(f"Hồ sơ đã được {who} yêu cầu bổ sung; theo quy định chỉ yêu cầu một lần, nêu đầy đủ "
                           "nội dung.", code="supplement_limit")
    due = _supplement_due(at, deadline, dossier)
    files = store_files(dossier, attachments, kind=FileKind.ATTACHMENT, actor=acting_user)
    DossierPause.objects.create(dossier=dossier, reason=PauseReason.SUPPLEMENT, started_at=at,
                                note=f"resume:{dossier.status}")
    from_status = dossier.status
    dossier.status = Status.SUPPLEMENT
    dossier.reason = reason
    dossier.supplement_requests += 1
    dossier.supplement_due_at, dossier.supplement_reminded = due, False
    dossier.overdue_notified = False  # now the flag of the supplement deadline (see jobs._flag_supplements)
    write_event(dossier, actor=acting_user, action="request_supplement", at=at, from_status=from_status,
                comment=reason + f"\nHạn bổ sung: {timezone.localtime(due):%d/%m/%Y}", attachments=files,
                data={"stage": stage, "deadline": due.isoformat()})
    return dossier


@transaction.atomic
def submit_supplement(*, acting_user, dossier, files, note: str = "", version=None, at=None):
    """Nộp bổ sung (5 -> 5): the applicant (online, or through the clerk) sends
    the missing papers."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.SUPPLEMENT], "nộp bổ sung")
    is_owner = dossier.citizen_id is not None and dossier.citizen_id == getattr(acting_user, "pk", None)
    if not is_owner and not _may_handle_supplement(acting_user, dossier):
        raise PermissionDenied("Bạn không được nộp bổ sung cho hồ sơ này.")
    if not files:
        raise InvalidInput("Cần đính kèm giấy tờ bổ sung.", code="files_required",
                           errors=[{"field": "files", "message": "Chưa có tệp."}])
    at = now(at)
    stored = store_files(dossier, files, kind=FileKind.SUPPLEMENT, actor=acting_user)
    write_event(dossier, actor=acting_user, action="submit_supplement", at=at, from_status=dossier.status,
                comment=note or "Nộp hồ sơ bổ sung", attachments=stored)
    return dossier


def _end_pause(dossier, reason: str, at) -> None:
    """Close the open pause and move the due times by the working time paused."""
    pause = dossier.pauses.filter(reason=reason, ended_at__isnull=True).order_by("-started_at").first()
    if pause is None:
        return
    pause.ended_at = at
    pause.save(update_fields=["ended_at"])
    calendar = get_calendar()
    if dossier.counting_from is None or not pauses_clock(reason, pause.started_at, dossier):
        return pause
    start = max(pause.started_at, dossier.counting_from)
    paused = calendar.working_time_between(start, at) if at > start else datetime.timedelta(0)
    if paused and dossier.due_at is not None and pause.started_at < dossier.due_at:
        dossier.due_at = calendar.add_working_time(dossier.due_at, paused)
    if paused and dossier.original_due_at is not None and pause.started_at < dossier.original_due_at:
        # the appointment an outcome is judged against moves with the waits that do not count (not apologies)
        dossier.original_due_at = calendar.add_working_time(dossier.original_due_at, paused)
    if paused and dossier.step_due_at is not None and pause.started_at < dossier.step_due_at:
        dossier.step_due_at = calendar.add_working_time(dossier.step_due_at, paused)
    return pause


@transaction.atomic
def accept_supplement(*, acting_user, dossier, comment: str = "", version=None, at=None):
    """Tiếp nhận hồ sơ bổ sung (5 -> 2/4): the clock runs again; the due time
    moves by the working time paused."""
    from tinhso.dossiers.actions.reception import _first_step, _start_clock

    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.SUPPLEMENT], "tiếp nhận bổ sung")
    if not _may_handle_supplement(acting_user, dossier):
        raise PermissionDenied("Chỉ cán bộ một cửa hoặc người đang xử lý hồ sơ được tiếp nhận bổ sung.")
    at = now(at)
    pause = dossier.pauses.filter(reason=PauseReason.SUPPLEMENT, ended_at__isnull=True).first()
    resume = int(pause.note.split(":")[1]) if pause and pause.note.startswith("resume:") else Status.PROCESSING
    pause_started = pause.started_at if pause else at
    _end_pause(dossier, PauseReason.SUPPLEMENT, at)
    restarted = False
    if resume == Status.SUBMITTED:  # asked before reception: accepting the supplement receives the dossier
        dossier.received_by = acting_user
        _start_clock(dossier, at)
        place_at_step(dossier, _first_step(dossier.case, dossier._refs), at, receiver=acting_user)
        resume = Status.RECEIVED
    elif dossier.due_at is not None and clock_restarts_after_supplement(dossier, pause_started):
        # the "dossiers.after_supplement_clock" rule in force when the request was made: the whole time limit
        # counts again from the complete dossier (the appointment moves; the reception time does not)
        received_at = dossier.received_at
        _start_clock(dossier, at)
        dossier.received_at = received_at
        dossier.overdue_notified = dossier.due_soon_notified = False
        restarted = True
    dossier.status = resume
    dossier.supplement_due_at = None
    dossier.overdue_notified = dossier.overdue_notified and dossier.due_at is not None and dossier.due_at < at
    write_event(dossier, actor=acting_user, action="accept_supplement", at=at, from_status=Status.SUPPLEMENT,
                comment=(comment or "Tiếp nhận hồ sơ bổ sung")
                + (f"\nTính lại thời hạn: hẹn trả mới {timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}"
                   if restarted else ""), data={"clock": "restart" if restarted else "resume"})
    return dossier


@transaction.atomic
def refuse_after_supplement_deadline(*, acting_user, dossier, reason: str, version=None, at=None):
    """The supplement did not come in time (only once its deadline has passed).
    An online dossier the desk asked to complete before receiving it is not
    received (5 -> 3); a dossier already received is closed as stopped
    (5 -> 8, form 05), never as "not received"."""
    from tinhso.dossiers.actions.closing import _close

    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.SUPPLEMENT], "từ chối do quá hạn bổ sung")
    if not has_role(acting_user, Role.CLERK, dossier.receiving_agency):
        raise PermissionDenied("Chỉ cán bộ một cửa nơi tiếp nhận được thực hiện thao tác này.")
    reason = require_text(reason, "reason", "lý do")
    at = now(at)
    if dossier.supplement_due_at is not None and at <= dossier.supplement_due_at:
        raise InvalidInput("Chưa hết hạn bổ sung (hạn: %s); chưa thể từ chối vì quá hạn."
                           % f"{timezone.localtime(dossier.supplement_due_at):%H:%M %d/%m/%Y}",
                           code="supplement_not_due")
    pause = dossier.pauses.filter(reason=PauseReason.SUPPLEMENT, ended_at__isnull=True).first()
    before_reception = pause is not None and pause.note == f"resume:{Status.SUBMITTED}"
    if before_reception or dossier.received_at is None:
        dossier.pauses.filter(ended_at__isnull=True).update(ended_at=at)
        dossier.status = Status.REFUSED
        dossier.reason = reason
        dossier.closed_at = at
        dossier.supplement_due_at = None
        write_event(dossier, actor=acting_user, action="refuse_after_supplement", at=at,
                    from_status=Status.SUPPLEMENT, comment=reason)
        return dossier
    dossier.supplement_due_at = None
    return _close(dossier, acting_user, Status.STOPPED, "stop_after_supplement", reason, at, kind="supplement_missed")


@transaction.atomic
def request_payment(*, acting_user, dossier, amount: int, note: str = "", version=None, at=None):
    """Yêu cầu thực hiện nghĩa vụ tài chính (4 -> 6). The clock stops meanwhile."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.PROCESSING], "yêu cầu nộp phí, nghĩa vụ tài chính")
    require_current_holder(acting_user, dossier)
    if amount is None or int(amount) <= 0:
        raise InvalidInput("Số tiền phải lớn hơn 0.", code="invalid_amount",
                           errors=[{"field": "amount", "message": "Số tiền không hợp lệ."}])
    at = now(at)
    DossierPause.objects.create(dossier=dossier, reason=PauseReason.PAYMENT, started_at=at, note=f"amount:{int(amount)}")
    dossier.status = Status.PAYMENT
    write_event(dossier, actor=acting_user, action="request_payment", at=at, from_status=Status.PROCESSING,
                comment=(note or "Yêu cầu thực hiện nghĩa vụ tài chính") + f" ({int(amount):,} đồng)".replace(",", "."))
    return dossier


@transaction.atomic
def confirm_payment(*, acting_user, dossier, note: str = "", version=None, at=None, by_gateway: bool = False):
    """Xác nhận đã nộp (6 -> 4), recorded by a clerk or the handler, or by the
    system (`acting_user=None, by_gateway=True`) when the payment platform's
    verified callback or status query says the fee was paid."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.PAYMENT], "xác nhận đã nộp")
    if not (by_gateway and acting_user is None) and not _may_handle_supplement(acting_user, dossier):
        raise PermissionDenied("Chỉ cán bộ một cửa hoặc người đang xử lý được xác nhận nộp phí.")
    at = now(at)
    _end_pause(dossier, PauseReason.PAYMENT, at)
    dossier.status = Status.PROCESSING
    write_event(dossier, actor=acting_user, action="confirm_payment", at=at, from_status=Status.PAYMENT,
                comment=note or "Đã thực hiện nghĩa vụ tài chính")
    return dossier


def pending_apology(dossier):
    """The apology proposal waiting for the leader's decision, if any."""
    last = (dossier.events.filter(action__in=("propose_apology", "apologise", "reject_apology"))
            .order_by("-at", "-id").first())
    return last if last is not None and last.action == "propose_apology" else None


def _check_apology(dossier, new_due_at, at) -> datetime.datetime:
    """The rules of form 04 in force at `at`: early enough before the
    appointment, not more often than allowed, a later new appointment."""
    if dossier.due_at is None:
        raise InvalidInput("Hồ sơ không có ngày hẹn trả.", code="no_due")
    if at >= dossier.due_at:
        raise InvalidInput("Đã quá hạn giải quyết: văn bản xin lỗi phải được ban hành trước khi hết hạn.",
                           code="apology_too_late")
    lead = apology_lead_hours(dossier, at)
    calendar = get_calendar()
    if lead and calendar.working_time_between(at, dossier.due_at) < datetime.timedelta(hours=lead):
        raise InvalidInput(f"Văn bản xin lỗi phải được ban hành trước hạn trả ít nhất {lead} giờ làm việc "
                           f"(hẹn trả: {timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}).", code="apology_too_late")
    if dossier.extensions >= max_apologies(dossier, at):
        raise InvalidInput("Hồ sơ đã có văn bản xin lỗi, hẹn lại; theo quy định không gia hạn thêm.",
                           code="apology_limit")
    if new_due_at is None or new_due_at <= dossier.due_at:
        raise InvalidInput("Ngày hẹn mới phải sau ngày hẹn hiện tại.", code="invalid_new_due",
                           errors=[{"field": "new_due_at", "message": "Ngày hẹn mới không hợp lệ."}])
    return calendar.add(new_due_at, 0, "working_hours")


def _may_propose_apology(actor, dossier) -> bool:
    return has_role(actor, (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER), dossier.current_agency) \
        or has_role(actor, Role.LEADER, dossier.competent_agency)


def may_approve_apology(actor, dossier, at=None) -> bool:
    return has_role(actor, tuple(apology_approver_roles(dossier, at)), dossier.competent_agency)


@transaction.atomic
def propose_apology(*, acting_user, dossier, new_due_at: datetime.datetime, reason: str, version=None, at=None):
    """Đề xuất văn bản xin lỗi và hẹn lại (form 04): the specialist proposes
    the new appointment and the reason; the leader approves and signs."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.RECEIVED, Status.PROCESSING], "xin lỗi, gia hạn")
    if not _may_propose_apology(acting_user, dossier):
        raise PermissionDenied("Chỉ chuyên viên hoặc lãnh đạo đang xử lý hồ sơ được đề xuất văn bản xin lỗi.")
    reason = require_text(reason, "reason", "lý do chậm giải quyết")
    at = now(at)
    if pending_apology(dossier) is not None:
        raise InvalidInput("Đã có đề xuất xin lỗi, hẹn lại đang chờ lãnh đạo duyệt.", code="apology_pending")
    new_due_at = _check_apology(dossier, new_due_at, at)
    write_event(dossier, actor=acting_user, action="propose_apology", at=at, from_status=dossier.status,
                comment=f"{reason}\nĐề xuất hẹn mới: {timezone.localtime(new_due_at):%H:%M %d/%m/%Y}",
                data={"new_due_at": new_due_at.isoformat(), "reason": reason})
    return dossier


def approve_apology(*, acting_user, dossier, comment: str = "", version=None, at=None, remote_otp: str = ""):
    """Duyệt và ký văn bản xin lỗi (form 04): the leader of the competent
    agency approves the proposal; the letter is rendered, signed (the leader
    and the agency's seal, PAdES) before the transaction, then issued: the
    appointment moves, the original appointment (against which the outcome
    is judged) does not, and the citizen receives the signed PDF."""
    from tinhso.dossiers.actions._base import read_with_refs

    at = now(at)
    current = read_with_refs(dossier.pk, acting_user)
    require_status(current, [Status.RECEIVED, Status.PROCESSING], "duyệt văn bản xin lỗi")
    if not may_approve_apology(acting_user, current, at):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan giải quyết được duyệt, ký văn bản xin lỗi.")
    proposal = pending_apology(current)
    if proposal is None:
        raise InvalidInput("Không có đề xuất xin lỗi, hẹn lại nào đang chờ duyệt.", code="no_apology_proposal")
    new_due_at = datetime.datetime.fromisoformat(proposal.data["new_due_at"])
    _check_apology(current, new_due_at, at)
    letter = _signed_apology(current, acting_user, proposal, new_due_at, at, remote_otp)
    return _issue_apology(acting_user=acting_user, dossier=dossier, proposal_id=proposal.pk, new_due_at=new_due_at,
                          reason=proposal.data.get("reason", ""), comment=comment, letter=letter, version=version,
                          at=at)


def _apology_comment(reason, old, new) -> str:
    return f"{reason}\nHẹn cũ: {old.isoformat()} → hẹn mới: {new.isoformat()}"


def _signed_apology(dossier, leader, proposal, new_due_at, at, remote_otp):
    """Form 04 as it will be issued, signed by the leader and sealed."""
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tinhso.dossiers.documents import render_form
    from tinhso.dossiers.models import DossierEvent
    from tinhso.signatures.service import sign_pdf, sign_pdf_remote

    issued = DossierEvent(dossier=dossier, at=at, action="apologise", sender_name=leader.get_full_name(),
                          comment=_apology_comment(proposal.data.get("reason", ""), dossier.due_at, new_due_at))
    pdf = render_form(dossier, "04", base_url=settings.TINHSO_BASE_URL, event=issued)
    reason, location = f"Văn bản xin lỗi, hẹn lại hồ sơ {dossier.code}", dossier.competent_agency.name
    if remote_otp:
        pdf = sign_pdf_remote(pdf, user=leader, otp=remote_otp.strip(), agency=dossier.competent_agency, seal=True,
                              reason=reason, location=location)
    else:
        pdf = sign_pdf(pdf, agency=dossier.competent_agency, person=leader, reason=reason, location=location)
    return SimpleUploadedFile(f"xin-loi-hen-lai-{dossier.code}.pdf", pdf, content_type="application/pdf")


@transaction.atomic
def _issue_apology(*, acting_user, dossier, proposal_id, new_due_at, reason, comment, letter, version, at):
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.RECEIVED, Status.PROCESSING], "duyệt văn bản xin lỗi")
    proposal = pending_apology(dossier)
    if proposal is None or proposal.pk != proposal_id:
        raise InvalidInput("Đề xuất xin lỗi đã được xử lý hoặc đã thay đổi; hãy tải lại trang.",
                           code="no_apology_proposal")
    _check_apology(dossier, new_due_at, at)
    files = store_files(dossier, [letter], kind=FileKind.ATTACHMENT, actor=acting_user, field="letter")
    from tinhso.signatures.service import register_signed_document

    with files[0].file.open("rb") as handle:
        register_signed_document(handle.read(), "apology", code=f"XL-{dossier.code}-{dossier.extensions + 1}")
    old = dossier.due_at
    dossier.due_at = new_due_at
    dossier.extensions += 1
    dossier.overdue_notified = dossier.due_soon_notified = False
    write_event(dossier, actor=acting_user, action="apologise", at=at, from_status=dossier.status,
                comment=_apology_comment(reason, old, new_due_at) + (f"\n{comment}" if comment else ""),
                attachments=files, data={"proposal": proposal_id, "letter": files[0].pk})
    return dossier


@transaction.atomic
def reject_apology(*, acting_user, dossier, reason: str, version=None, at=None):
    """Không duyệt đề xuất xin lỗi: the leader sends it back with a reason."""
    dossier = lock(dossier, version, acting_user)
    at = now(at)
    if not may_approve_apology(acting_user, dossier, at):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan giải quyết được duyệt văn bản xin lỗi.")
    proposal = pending_apology(dossier)
    if proposal is None:
        raise InvalidInput("Không có đề xuất xin lỗi, hẹn lại nào đang chờ duyệt.", code="no_apology_proposal")
    reason = require_text(reason, "reason", "lý do không duyệt")
    write_event(dossier, actor=acting_user, action="reject_apology", at=at, from_status=dossier.status,
                comment=reason, data={"proposal": proposal.pk})
    return dossier


def apologise(*, acting_user, dossier, new_due_at: datetime.datetime, reason: str, version=None, at=None,
              remote_otp: str = ""):
    """Văn bản xin lỗi và hẹn lại (form 04). A specialist's call proposes it
    for the leader's approval; a leader who may approve issues it at once
    (proposal and signed approval in one step)."""
    at = now(at)
    propose_apology(acting_user=acting_user, dossier=dossier, new_due_at=new_due_at, reason=reason,
                    version=version, at=at)
    if not may_approve_apology(acting_user, dossier, at):
        return type(dossier).objects.get(pk=dossier.pk)
    return approve_apology(acting_user=acting_user, dossier=dossier, at=at, remote_otp=remote_otp)


__all__ = ["DossierEvent"]
