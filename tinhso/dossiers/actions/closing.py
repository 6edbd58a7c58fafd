"""Finishing, returning, withdrawing, stopping; the administrator's reset."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role, require_role
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.dossiers.policies import counted_closure, finish_roles
from tinhso.dossiers.actions._base import (lock, now, place_at_step, require_current_holder, require_status,
                                           require_text, store_files, write_event)
from tinhso.dossiers.models import (OPEN_STATUSES_LIST, FileKind, Outcome, ResultForm, ResultKind, ReturnMethod,
                                   Status)
from tinhso.workcalendar.engine import get_calendar



def outcome_of(finished_at: datetime.datetime, due_at: datetime.datetime | None) -> str:
    """Trước hạn: finished on an earlier day than the appointment; đúng hạn: on
    the appointment day, not after the time; quá hạn: after it."""
    if due_at is None:
        return Outcome.ON_TIME
    if finished_at > due_at:
        return Outcome.LATE
    if timezone.localdate(finished_at) == timezone.localdate(due_at):
        return Outcome.ON_TIME
    return Outcome.EARLY


def judged_due(dossier) -> datetime.datetime | None:
    """The appointment an outcome is judged against: the original one, moved
    only by the waits that do not count (supplement, payment) — never by an
    apology letter, whose new appointment is shown beside it."""
    return dossier.original_due_at or dossier.due_at


def _judge(dossier, at) -> None:
    dossier.handled_at = at
    dossier.outcome = outcome_of(at, judged_due(dossier))


def _return_step(case, ref):
    """The case's last step when it is the one-stop shop's (results are
    returned there), from the reference snapshot `ref`."""
    steps = ref.steps(case.pk)
    last = steps[-1] if steps else None
    return last if last is not None and last.role == Role.CLERK else None


def finish(*, acting_user, dossier, result_summary: str, result_number: str = "", result_signer: str = "",
           result_signed_at: datetime.date | None = None, result_files=(), comment: str = "", version=None, at=None,
           remote_otp: str = "", kind: str = ResultKind.GRANTED, result_form: str = ""):
    """Hoàn thành (4 -> 9): the result is numbered and signed; the dossier goes
    to the one-stop desk to be returned. The result files are signed first
    (outside the transaction), then the transition runs atomically.
    `result_form`: electronic (signed file) or paper; by default electronic
    when a result file is attached, paper otherwise (a paper result is
    digitised later with `digitise_result`)."""
    from tinhso.dossiers.actions._base import read_with_refs
    from tinhso.dossiers.signing import sign_uploads

    current = read_with_refs(dossier.pk, acting_user)
    require_status(current, [Status.PROCESSING], "hoàn thành")
    if current.current_role not in finish_roles(current, now(at)):
        raise InvalidInput("Hồ sơ chỉ được hoàn thành ở bước lãnh đạo ký duyệt hoặc văn thư ban hành.",
                           code="not_finish_step")
    require_current_holder(acting_user, current)
    signed = sign_uploads(current, result_files, signer=acting_user, remote_otp=(remote_otp or "").strip())
    return _finish(acting_user=acting_user, dossier=dossier, result_summary=result_summary,
                   result_number=result_number, result_signer=result_signer, result_signed_at=result_signed_at,
                   result_files=signed, comment=comment, version=version, at=at, kind=kind, result_form=result_form)


def refuse(*, acting_user, dossier, reason: str, letter_files=(), letter_number: str = "", comment: str = "",
           version=None, at=None, remote_otp: str = ""):
    """Từ chối giải quyết sau thẩm định (4 -> 9): the competent agency refuses
    the request on its merits with a reason and a signed letter; the letter is
    the dossier's result (returned like any result) and the dossier counts as
    handled, early, on time or late like a granted one."""
    reason = require_text(reason, "reason", "lý do từ chối giải quyết")
    if not letter_files:
        raise InvalidInput("Cần đính kèm văn bản từ chối giải quyết (PDF) để ký số và gửi công dân.",
                           code="letter_required", errors=[{"field": "letter_files", "message": "Chưa có tệp."}])
    return finish(acting_user=acting_user, dossier=dossier, result_summary=f"Từ chối giải quyết: {reason}",
                  result_number=letter_number, result_files=letter_files, comment=comment or reason, version=version,
                  at=at, remote_otp=remote_otp, kind=ResultKind.REFUSED)


@transaction.atomic
def _finish(*, acting_user, dossier, result_summary, result_number, result_signer, result_signed_at, result_files,
            comment, version, at, kind=ResultKind.GRANTED, result_form=""):
    if result_form and result_form not in ResultForm.values:
        raise InvalidInput("Hình thức kết quả không hợp lệ (điện tử hoặc giấy).", code="invalid_result_form",
                           errors=[{"field": "result_form", "message": "Chọn kết quả điện tử hoặc giấy."}])
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.PROCESSING], "hoàn thành")
    if dossier.current_role not in finish_roles(dossier, now(at)):
        raise InvalidInput("Hồ sơ chỉ được hoàn thành ở bước lãnh đạo ký duyệt hoặc văn thư ban hành.",
                           code="not_finish_step")
    require_current_holder(acting_user, dossier)
    result_summary = require_text(result_summary, "result_summary", "trích yếu kết quả")
    if dossier.case.digital_signature_required and not result_files:
        raise InvalidInput("Trường hợp này yêu cầu kết quả điện tử đã ký số: cần đính kèm tệp kết quả.",
                           code="result_file_required", errors=[{"field": "result_files", "message": "Chưa có tệp."}])
    if dossier.procedure.result_name.strip() and not result_files:
        raise InvalidInput(f"Thủ tục có kết quả là “{dossier.procedure.result_name.strip()}”: cần đính kèm tệp kết "
                           "quả (bản điện tử, hoặc bản chụp của kết quả giấy).", code="result_file_required",
                           errors=[{"field": "result_files", "message": "Chưa có tệp."}])
    at = now(at)
    files = store_files(dossier, result_files, kind=FileKind.RESULT, actor=acting_user, field="result_files")
    from tinhso.dossiers.signing import register_results

    register_results(dossier, files)
    from_step, previous_due = dossier.current_step, dossier.step_due_at
    dossier.result_summary = result_summary
    dossier.result_number = result_number.strip()
    dossier.result_signer = result_signer.strip() or acting_user.get_full_name()
    dossier.result_signed_at = result_signed_at or timezone.localdate(at)
    dossier.finished_at = at
    dossier.result_kind = kind
    dossier.result_form = result_form or (ResultForm.ELECTRONIC if files else ResultForm.PAPER)
    _judge(dossier, at)
    dossier.status = Status.FINISHED
    step = _return_step(dossier.case, dossier._refs)
    if step is not None:
        place_at_step(dossier, step, at)
    else:
        dossier.current_step, dossier.current_agency = None, dossier.receiving_agency
        dossier.current_role, dossier.current_handler, dossier.step_due_at = Role.CLERK, None, None
    action = "refuse_on_merits" if kind == ResultKind.REFUSED else "finish"
    write_event(dossier, actor=acting_user, action=action, at=at, from_status=Status.PROCESSING, from_step=from_step,
                comment=comment or f"Có kết quả: {result_summary}", attachments=files, previous_step_due=previous_due,
                data={"outcome": dossier.outcome, "judged_due": _iso(judged_due(dossier)),
                      "due_at": _iso(dossier.due_at)})
    return dossier


@transaction.atomic
def return_result(*, acting_user, dossier, method: str, returned_to: str, comment: str = "", version=None, at=None):
    """Trả kết quả (9 -> 10) and record who received it."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.FINISHED], "trả kết quả")
    require_role(acting_user, Role.CLERK, dossier.receiving_agency)
    if method not in ReturnMethod.values:
        raise InvalidInput("Hình thức trả kết quả không hợp lệ.", code="invalid_method",
                           errors=[{"field": "method", "message": "Chọn hình thức trả."}])
    returned_to = require_text(returned_to, "returned_to", "người nhận kết quả")
    at = now(at)
    from_step, previous_due = dossier.current_step, dossier.step_due_at
    dossier.status = Status.RETURNED
    dossier.return_method = method
    dossier.returned_to = returned_to[:200]
    dossier.returned_at = dossier.closed_at = at
    dossier.current_handler = None
    write_event(dossier, actor=acting_user, action="return_result", at=at, from_status=Status.FINISHED,
                from_step=from_step, comment=comment or f"Trả kết quả cho {returned_to}", previous_step_due=previous_due)
    from tinhso.datastore.actions import store_results

    store_results(dossier)  # the result goes to the citizen's data store
    return dossier


@transaction.atomic
def request_withdrawal(*, acting_user, dossier, reason: str, version=None, at=None):
    """Công dân đề nghị rút hồ sơ: the owner asks; a clerk confirms with `withdraw`."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, OPEN_STATUSES_LIST, "đề nghị rút hồ sơ")
    if dossier.citizen_id is None or dossier.citizen_id != getattr(acting_user, "pk", None):
        raise PermissionDenied("Chỉ chủ hồ sơ được đề nghị rút hồ sơ.")
    reason = require_text(reason, "reason", "lý do rút hồ sơ")
    if dossier.events.filter(action="request_withdrawal").exists():
        raise InvalidInput("Bạn đã gửi đề nghị rút hồ sơ; vui lòng chờ bộ phận một cửa xác nhận.",
                           code="already_requested")
    write_event(dossier, actor=acting_user, action="request_withdrawal", at=now(at), from_status=dossier.status,
                comment=reason)
    return dossier


@transaction.atomic
def withdraw(*, acting_user, dossier, reason: str, request_files=(), requested_by: str = "", version=None, at=None):
    """Rút hồ sơ (-> 7) at the applicant's request, confirmed by a clerk. The
    request is on record: the citizen's online request, or at the counter the
    applicant's written request (a scan, `request_files`) and who made it."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, OPEN_STATUSES_LIST, "rút hồ sơ")
    require_role(acting_user, Role.CLERK, dossier.receiving_agency)
    reason = require_text(reason, "reason", "lý do rút hồ sơ")
    files = []
    if not dossier.events.filter(action="request_withdrawal").exists():
        requested_by = require_text(requested_by, "requested_by", "người đề nghị rút hồ sơ (chủ hồ sơ hoặc người "
                                                                  "được ủy quyền)")
        if not request_files:
            raise InvalidInput("Cần đính kèm đơn đề nghị rút hồ sơ của người nộp (bản chụp).",
                               code="withdrawal_request_required",
                               errors=[{"field": "request_files", "message": "Chưa có tệp."}])
        files = store_files(dossier, request_files, kind=FileKind.ATTACHMENT, actor=acting_user,
                            field="request_files")
        reason = f"{reason}\nNgười đề nghị: {requested_by}"
    return _close(dossier, acting_user, Status.WITHDRAWN, "withdraw", reason, now(at), kind="withdrawn",
                  attachments=files)


@transaction.atomic
def stop(*, acting_user, dossier, reason: str, version=None, at=None):
    """Dừng xử lý (-> 8, form 05), by a leader of the competent agency."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT], "dừng xử lý")
    if not has_role(acting_user, Role.LEADER, dossier.competent_agency):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan có thẩm quyền được dừng xử lý hồ sơ.")
    reason = require_text(reason, "reason", "lý do dừng xử lý")
    return _close(dossier, acting_user, Status.STOPPED, "stop", reason, now(at), kind="stopped")


def _iso(moment):
    return moment.isoformat() if moment is not None else None


def _close(dossier, actor, status, action, reason, at, *, kind: str, attachments=()):
    """Close without a result. Whether it counts as handled (and early, on
    time or late) is the "dossiers.counted_closures" rule in force now; the
    judgement is stored, so a later change of the rule rewrites nothing."""
    from_status = dossier.status
    dossier.pauses.filter(ended_at__isnull=True).update(ended_at=at)
    dossier.status = status
    dossier.reason = reason
    dossier.closed_at = at
    dossier.current_handler = None
    counted = dossier.received_at is not None and counted_closure(kind, dossier, at)
    if counted:
        _judge(dossier, at)
    write_event(dossier, actor=actor, action=action, at=at, from_status=from_status, comment=reason,
                attachments=attachments, data={"closure": kind, "counted": counted, "outcome": dossier.outcome or None})
    return dossier


@transaction.atomic
def reset_due(*, acting_user, dossier, new_due_at: datetime.datetime, reason: str, version=None, at=None):
    """Đặt lại ngày hẹn: system administrator only, always audited."""
    dossier = lock(dossier, version, acting_user)
    require_role(acting_user, Role.SYSTEM_ADMIN)
    reason = require_text(reason, "reason", "lý do đặt lại ngày hẹn")
    if new_due_at is None:
        raise InvalidInput("Cần nhập ngày hẹn mới.", code="required",
                           errors=[{"field": "new_due_at", "message": "Trường này là bắt buộc."}])
    at = now(at)
    new_due_at = get_calendar().add(new_due_at, 0, "working_hours")
    old = dossier.due_at
    # a correction of the appointment itself (a wrong time limit at reception): outcomes are judged against it
    dossier.due_at = dossier.original_due_at = new_due_at
    dossier.overdue_notified = dossier.due_soon_notified = False
    write_event(dossier, actor=acting_user, action="reset_due", at=at, from_status=dossier.status,
                comment=f"{reason}\nHẹn cũ: {old.isoformat() if old else '—'} → hẹn mới: {new_due_at.isoformat()}")
    return dossier
