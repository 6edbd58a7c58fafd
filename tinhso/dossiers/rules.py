"""Which transitions a user may start on a dossier now: drives the buttons on
the dossier page and the `allowed_actions` of the API. The actions check the
same rules again when called."""

from __future__ import annotations

from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.dossiers.actions.closing import FINISH_ROLES
from tinhso.dossiers.actions.processing import allowed_targets, max_supplement_requests
from tinhso.dossiers.models import Status

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
    "finish": "Hoàn thành, có kết quả",
    "return_result": "Trả kết quả",
    "withdraw": "Rút hồ sơ",
    "stop": "Dừng xử lý",
    "reset_due": "Đặt lại ngày hẹn (quản trị)",
}


def _holder(user, d) -> bool:
    return (bool(d.current_role) and has_role(user, d.current_role, d.current_agency)
            and (d.current_handler_id is None or d.current_handler_id == user.pk))


def _desk(user, d) -> bool:
    return has_role(user, Role.CLERK, d.receiving_agency)


def _supplement_handler(user, d) -> bool:
    return _desk(user, d) or (bool(d.current_role) and has_role(user, d.current_role, d.current_agency))


def allowed_actions(user, d, *, last_event=None) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    s = d.status
    out = []
    if s == Status.SUBMITTED and _desk(user, d):
        out += ["accept_online", "refuse_online"]
    if s in (Status.RECEIVED, Status.PROCESSING) and _holder(user, d):
        if d.current_role in FINISH_ROLES and s == Status.PROCESSING:
            out.append("finish")
        if allowed_targets(d, "forward"):
            out.append("forward")
        if s == Status.PROCESSING and allowed_targets(d, "back"):
            out.append("send_back")
        if s == Status.PROCESSING:
            out.append("request_payment")
    if last_event is None:
        last_event = d.events.order_by("-at", "-id").first()
    if (last_event is not None and last_event.action in ("forward", "send_back") and last_event.sender_id == user.pk
            and d.current_step_id == last_event.to_step_id and s in (Status.RECEIVED, Status.PROCESSING)):
        out.append("recall")
    if (s in (Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING) and _supplement_handler(user, d)
            and d.supplement_requests < max_supplement_requests()):
        out.append("request_supplement")
    if s == Status.SUPPLEMENT and _supplement_handler(user, d):
        out += ["submit_supplement", "accept_supplement"]
    if s == Status.SUPPLEMENT and _desk(user, d):
        out.append("refuse_after_supplement_deadline")
    if s == Status.PAYMENT and _supplement_handler(user, d):
        out.append("confirm_payment")
    if (s in (Status.RECEIVED, Status.PROCESSING) and d.due_at and timezone.now() < d.due_at
            and (has_role(user, (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER), d.current_agency)
                 or has_role(user, Role.LEADER, d.competent_agency))):
        out.append("apologise")
    if s == Status.FINISHED and _desk(user, d):
        out.append("return_result")
    if d.is_open and _desk(user, d):
        out.append("withdraw")
    if s in (Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT) and has_role(
            user, Role.LEADER, d.competent_agency):
        out.append("stop")
    if d.due_at and s not in (Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED) and has_role(
            user, Role.SYSTEM_ADMIN):
        out.append("reset_due")
    return out


def visible_to(user):
    """Dossiers a staff member may see: received, resolved or now held by an
    agency in their scope."""
    from django.db.models import Q

    from tinhso.accounts.permissions import agencies_in_scope
    from tinhso.dossiers.models import Dossier

    scope = agencies_in_scope(user, Role.values)
    return Dossier.objects.filter(Q(receiving_agency__in=scope) | Q(competent_agency__in=scope)
                                  | Q(current_agency__in=scope))
