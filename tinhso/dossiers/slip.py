"""Phiếu kiểm soát quá trình giải quyết hồ sơ (form 06), read from the history.

One row per hand-off (bàn giao) recorded in DossierEvent: who gave the dossier
to whom and when, the deadline of the step that was handed over
(`previous_step_due_at`) and whether that step finished early, on time or
late. A pure read: one query for the events (two if the dossier's receiving
agency is not loaded yet)."""

from __future__ import annotations

from tinhso.dossiers.actions.closing import outcome_of
from tinhso.dossiers.models import DossierEvent, Outcome

ACTION_LABELS = {
    "submit": "Nộp hồ sơ trực tuyến",
    "receive": "Tiếp nhận hồ sơ",
    "accept": "Tiếp nhận hồ sơ trực tuyến",
    "refuse": "Từ chối tiếp nhận",
    "forward": "Chuyển xử lý",
    "send_back": "Trả lại bước trước",
    "recall": "Thu hồi hồ sơ",
    "request_supplement": "Yêu cầu bổ sung hồ sơ",
    "submit_supplement": "Nộp hồ sơ bổ sung",
    "accept_supplement": "Tiếp nhận hồ sơ bổ sung",
    "refuse_after_supplement": "Không tiếp nhận (quá hạn bổ sung)",
    "request_payment": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "confirm_payment": "Xác nhận đã thực hiện nghĩa vụ tài chính",
    "apologise": "Xin lỗi, hẹn lại ngày trả kết quả",
    "finish": "Có kết quả giải quyết",
    "return_result": "Trả kết quả",
    "withdraw": "Rút hồ sơ",
    "stop": "Dừng giải quyết hồ sơ",
    "stop_after_supplement": "Dừng giải quyết (quá hạn bổ sung)",
    "refuse_on_merits": "Từ chối giải quyết (văn bản ký số)",
    "propose_apology": "Đề xuất xin lỗi, hẹn lại",
    "reject_apology": "Không duyệt đề xuất xin lỗi",
    "reset_due": "Đặt lại ngày hẹn trả",
    # the public-utility post (tinhso/postal)
    "postal_pickup_requested": "Yêu cầu bưu điện thu gom hồ sơ",
    "postal_delivery_requested": "Yêu cầu bưu điện chuyển phát kết quả",
    "postal_created": "Bưu điện nhận yêu cầu",
    "postal_picked_up": "Bưu điện đã nhận hồ sơ, kết quả",
    "postal_delivered": "Bưu điện đã phát thành công",
    "postal_returned": "Bưu điện phát không thành công",
    "postal_failed": "Bưu điện từ chối yêu cầu",
}

# Hand-offs to the applicant: the dossier (or a request) leaves the agencies.
TO_APPLICANT = {"request_supplement", "request_payment", "refuse", "refuse_after_supplement", "stop",
                "stop_after_supplement", "return_result", "withdraw"}
# Hand-offs from the applicant.
FROM_APPLICANT = {"submit"}

OUTCOME_LABELS = dict(Outcome.choices)


def _role_label(role: str) -> str:
    from tinhso.accounts.models import Role

    try:
        return str(Role(role).label)
    except ValueError:
        return role


def _agency_name(agency) -> str:
    return agency.name if agency is not None else ""


def control_slip_rows(dossier) -> list[dict]:
    """The rows of the control slip, oldest first. Each row is a dict:

    - `index` (1-based), `at` (aware datetime of the hand-off), `action` and
      `action_label`;
    - `step_name`: the step handed over (the one that just ended; for the
      first row, the step the dossier entered), `next_step_name`: the step the
      dossier went into;
    - `giver`, `giver_agency`, `receiver`, `receiver_agency` (names);
    - `due_at`: deadline of the step handed over (None when it had none);
    - `outcome`: "early" / "on_time" / "late" for that step, None without a
      deadline; `outcome_label` in Vietnamese ("" when None);
    - `note`: the event's comment.
    """
    events = (DossierEvent.objects.filter(dossier=dossier)
              .select_related("from_step", "sender_agency", "receiver_agency")
              .order_by("at", "id"))
    applicant = dossier.owner_name
    rows: list[dict] = []
    where = None  # the agency holding the dossier after the previous event
    for event in events:
        giver, giver_agency = event.sender_name, _agency_name(event.sender_agency)
        if not giver_agency:
            # write_event does not record the sender's agency: the sender acted
            # where the dossier was, i.e. the previous receiver's agency.
            giver_agency = _agency_name(where or dossier.receiving_agency)
        if event.action in FROM_APPLICANT:
            giver, giver_agency = f"{applicant} (chủ hồ sơ)" if applicant else "Chủ hồ sơ", ""
        receiver = event.receiver_name
        receiver_agency = _agency_name(event.receiver_agency)
        if receiver_agency and receiver.endswith(f" - {receiver_agency}"):
            receiver = receiver[: -len(receiver_agency) - 3]  # "role - agency" when no named handler
        if not receiver and event.receiver_role:
            receiver = _role_label(event.receiver_role)
        if event.action in TO_APPLICANT:
            who = dossier.returned_to if event.action == "return_result" and dossier.returned_to else applicant
            receiver, receiver_agency = f"{who} (chủ hồ sơ)" if who == applicant else who, ""
        due = event.previous_step_due_at
        outcome = outcome_of(event.at, due) if due is not None else None
        next_step = event.step_name
        step = event.from_step.name if event.from_step_id and event.from_step else next_step
        rows.append({
            "index": len(rows) + 1,
            "at": event.at,
            "action": event.action,
            "action_label": ACTION_LABELS.get(event.action, event.action),
            "step_name": step,
            "next_step_name": next_step,
            "giver": giver,
            "giver_agency": giver_agency,
            "receiver": receiver,
            "receiver_agency": receiver_agency,
            "due_at": due,
            "outcome": str(outcome) if outcome is not None else None,
            "outcome_label": str(OUTCOME_LABELS[outcome]) if outcome is not None else "",
            "note": event.comment,
        })
        if event.receiver_agency is not None:
            where = event.receiver_agency
    return rows
