"""Processing: moving along the internal process, supplements, payment,
apology."""

from __future__ import annotations

import datetime

from django.db import transaction

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.dossiers.policies import max_supplement_requests, pauses_clock
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


@transaction.atomic
def request_supplement(*, acting_user, dossier, reason: str, deadline: datetime.date | None = None,
                       attachments=(), version=None, at=None):
    """Yêu cầu bổ sung, hoàn thiện hồ sơ (form 02): one complete list of what
    is missing. The clock stops until the supplement is accepted."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING], "yêu cầu bổ sung")
    if not _may_handle_supplement(acting_user, dossier):
        raise PermissionDenied("Chỉ cán bộ một cửa hoặc người đang xử lý hồ sơ được yêu cầu bổ sung.")
    reason = require_text(reason, "reason", "nội dung cần bổ sung")
    if dossier.supplement_requests >= max_supplement_requests(dossier, now(at)):
        raise InvalidInput("Hồ sơ đã được yêu cầu bổ sung; theo quy định chỉ yêu cầu một lần, nêu đầy đủ nội dung.",
                           code="supplement_limit")
    at = now(at)
    files = store_files(dossier, attachments, kind=FileKind.ATTACHMENT, actor=acting_user)
    DossierPause.objects.create(dossier=dossier, reason=PauseReason.SUPPLEMENT, started_at=at,
                                note=f"resume:{dossier.status}")
    from_status = dossier.status
    dossier.status = Status.SUPPLEMENT
    dossier.reason = reason
    dossier.supplement_requests += 1
    write_event(dossier, actor=acting_user, action="request_supplement", at=at, from_status=from_status,
                comment=reason + (f"\nHạn bổ sung: {deadline:%d/%m/%Y}" if deadline else ""), attachments=files)
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
    _end_pause(dossier, PauseReason.SUPPLEMENT, at)
    if resume == Status.SUBMITTED:  # asked before reception: accepting the supplement receives the dossier
        dossier.received_by = acting_user
        _start_clock(dossier, at)
        place_at_step(dossier, _first_step(dossier.case, dossier._refs), at, receiver=acting_user)
        resume = Status.RECEIVED
    dossier.status = resume
    write_event(dossier, actor=acting_user, action="accept_supplement", at=at, from_status=Status.SUPPLEMENT,
                comment=comment or "Tiếp nhận hồ sơ bổ sung")
    return dossier


@transaction.atomic
def refuse_after_supplement_deadline(*, acting_user, dossier, reason: str, version=None, at=None):
    """Không tiếp nhận (5 -> 3) when the supplement did not come in time."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.SUPPLEMENT], "từ chối do quá hạn bổ sung")
    if not has_role(acting_user, Role.CLERK, dossier.receiving_agency):
        raise PermissionDenied("Chỉ cán bộ một cửa nơi tiếp nhận được thực hiện thao tác này.")
    reason = require_text(reason, "reason", "lý do")
    at = now(at)
    dossier.pauses.filter(ended_at__isnull=True).update(ended_at=at)
    dossier.status = Status.REFUSED
    dossier.reason = reason
    dossier.closed_at = at
    write_event(dossier, actor=acting_user, action="refuse_after_supplement", at=at, from_status=Status.SUPPLEMENT,
                comment=reason)
    return dossier


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


@transaction.atomic
def apologise(*, acting_user, dossier, new_due_at: datetime.datetime, reason: str, version=None, at=None):
    """Văn bản xin lỗi và hẹn lại (form 04): only before the due time passes."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.RECEIVED, Status.PROCESSING], "xin lỗi, gia hạn")
    if not has_role(acting_user, (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER), dossier.current_agency) \
            and not has_role(acting_user, Role.LEADER, dossier.competent_agency):
        raise PermissionDenied("Chỉ chuyên viên hoặc lãnh đạo đang xử lý hồ sơ được gửi văn bản xin lỗi.")
    reason = require_text(reason, "reason", "lý do chậm giải quyết")
    at = now(at)
    if dossier.due_at is None:
        raise InvalidInput("Hồ sơ không có ngày hẹn trả.", code="no_due")
    if at >= dossier.due_at:
        raise InvalidInput("Đã quá hạn giải quyết: văn bản xin lỗi phải được ban hành trước khi hết hạn.",
                           code="apology_too_late")
    if new_due_at is None or new_due_at <= dossier.due_at:
        raise InvalidInput("Ngày hẹn mới phải sau ngày hẹn hiện tại.", code="invalid_new_due",
                           errors=[{"field": "new_due_at", "message": "Ngày hẹn mới không hợp lệ."}])
    new_due_at = get_calendar().add(new_due_at, 0, "working_hours")
    old = dossier.due_at
    dossier.due_at = new_due_at
    dossier.extensions += 1
    dossier.overdue_notified = dossier.due_soon_notified = False
    write_event(dossier, actor=acting_user, action="apologise", at=at, from_status=dossier.status,
                comment=f"{reason}\nHẹn cũ: {old.isoformat()} → hẹn mới: {new_due_at.isoformat()}")
    return dossier


__all__ = ["DossierEvent"]
