"""Which transitions a user may start on a dossier now: drives the buttons on
the dossier page and the `allowed_actions` of the API. The actions check the
same rules again when called."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.dossiers.actions.processing import allowed_targets
from tinhso.dossiers.actions.counter import PAPER_STATUSES, may_send_papers, papers_at
from tinhso.dossiers.actions.processing import may_approve_apology, pending_apology, supplement_requests_left
from tinhso.dossiers.policies import finish_roles, max_apologies
from tinhso.dossiers.models import OPEN_STATUSES_LIST, Dossier, Status

# Roles that work on dossiers. The catalogue manager is left out on purpose:
# managing the procedure list gives no need to read citizens' dossiers.
DOSSIER_ROLES = (Role.CLERK, Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER, Role.CLERICAL_OFFICE,
                 Role.OPERATIONS_CENTRE, Role.SYSTEM_ADMIN)
RUNNING = (Status.RECEIVED, Status.PROCESSING)  # the clock runs

ACTION_LABELS = {
    "accept_online": "Tiếp nhận hồ sơ",
    "refuse_online": "Từ chối tiếp nhận",
    "forward": "Chuyển xử lý",
    "send_back": "Trả lại bước trước",
    "recall": "Thu hồi",
    "request_supplement": "Yêu cầu bổ sung",
    "submit_supplement": "Nộp hồ sơ bổ sung",
    "accept_supplement": "Tiếp nhận bổ sung",
    "refuse_after_supplement_deadline": "Từ chối do quá hạn bổ sung",
    "request_payment": "Yêu cầu nộp phí, nghĩa vụ tài chính",
    "confirm_payment": "Xác nhận đã nộp",
    "apologise": "Xin lỗi, hẹn lại ngày trả",
    "approve_apology": "Duyệt, ký văn bản xin lỗi",
    "reject_apology": "Không duyệt xin lỗi",
    "refuse": "Từ chối giải quyết (văn bản ký số)",
    "send_papers": "Gửi hồ sơ giấy",
    "receive_papers": "Nhận hồ sơ giấy",
    "finish": "Hoàn thành, có kết quả",
    "return_result": "Trả kết quả",
    "withdraw": "Rút hồ sơ",
    "stop": "Dừng xử lý",
    "reset_due": "Đặt lại ngày hẹn (quản trị)",
    "digitise_result": "Số hóa kết quả giấy",
}


def _may_recall(user, dossier: Dossier) -> bool:
    last = dossier.events.order_by("-at", "-id").first()
    return (last is not None and last.action in ("forward", "send_back") and last.sender_id == user.pk
            and dossier.current_step_id == last.to_step_id)


def allowed_actions(user, dossier: Dossier, at: datetime.datetime | None = None) -> list[str]:
    """The transitions `user` may perform on `dossier` now, in the order of
    ACTION_LABELS: the same status, role and step checks as the actions, so that a
    button is shown only when pressing it can succeed (input aside)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    at = at or timezone.now()
    status = dossier.status
    clerk_here = has_role(user, Role.CLERK, dossier.receiving_agency)
    holds_step = bool(dossier.current_role) and has_role(user, dossier.current_role, dossier.current_agency)
    is_holder = holds_step and dossier.current_handler_id in (None, user.pk)
    may_supplement = clerk_here or holds_step
    leader_competent = has_role(user, Role.LEADER, dossier.competent_agency)
    can = set()
    if status == Status.SUBMITTED and clerk_here:
        can |= {"accept_online", "refuse_online"}
    if status in RUNNING and is_holder and allowed_targets(dossier, "forward"):
        can.add("forward")
    if status == Status.PROCESSING and is_holder and allowed_targets(dossier, "back"):
        can.add("send_back")
    if _may_recall(user, dossier):
        can.add("recall")
    if status in (Status.SUBMITTED, *RUNNING) and may_supplement and supplement_requests_left(dossier, at) > 0:
        can.add("request_supplement")
    if status == Status.SUPPLEMENT:
        if may_supplement or (dossier.citizen_id is not None and dossier.citizen_id == user.pk):
            can.add("submit_supplement")
        if may_supplement:
            can.add("accept_supplement")
        if clerk_here and (dossier.supplement_due_at is None or at > dossier.supplement_due_at):
            can.add("refuse_after_supplement_deadline")
    if status == Status.PROCESSING and is_holder:
        can.add("request_payment")
    if status == Status.PAYMENT and may_supplement:
        can.add("confirm_payment")
    if status in RUNNING and dossier.due_at is not None and at < dossier.due_at:
        pending = pending_apology(dossier)
        if pending is None and dossier.extensions < max_apologies(dossier, at) and (
                has_role(user, (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER), dossier.current_agency)
                or leader_competent):
            can.add("apologise")
        if pending is not None and may_approve_apology(user, dossier, at):
            can |= {"approve_apology", "reject_apology"}
    if status == Status.PROCESSING and dossier.current_role in finish_roles(dossier, at) and is_holder:
        can |= {"finish", "refuse"}
    if status == Status.FINISHED and clerk_here:
        can.add("return_result")
    if status in OPEN_STATUSES_LIST and clerk_here:
        can.add("withdraw")
    if status in (*RUNNING, Status.SUPPLEMENT, Status.PAYMENT) and leader_competent:
        can.add("stop")
    if status in OPEN_STATUSES_LIST and has_role(user, Role.SYSTEM_ADMIN):
        can.add("reset_due")
    if (status in (Status.FINISHED, Status.RETURNED) and dossier.result_form == "paper"
            and dossier.result_digitised_at is None
            and (clerk_here or has_role(user, (Role.CLERK, Role.CLERICAL_OFFICE, Role.SPECIALIST),
                                        dossier.competent_agency))):
        can.add("digitise_result")
    if dossier.competent_agency_id != dossier.receiving_agency_id:
        here, moving = papers_at(dossier)
        if moving is None and status in PAPER_STATUSES and may_send_papers(user, dossier, here):
            can.add("send_papers")
        if moving is not None and has_role(user, tuple(Role.values), moving.to_agency):
            can.add("receive_papers")
    return [name for name in ACTION_LABELS if name in can]



def visible_to(user):
    """Dossiers a staff member may see: received, resolved or now held by an
    agency in their scope."""
    from django.db.models import Q

    from tinhso.accounts.permissions import agencies_in_scope

    scope = agencies_in_scope(user, DOSSIER_ROLES)
    return Dossier.objects.filter(Q(receiving_agency__in=scope) | Q(competent_agency__in=scope)
                                  | Q(current_agency__in=scope))
