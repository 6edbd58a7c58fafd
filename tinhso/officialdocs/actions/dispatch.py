"""The document actions by name, with their form fields: one table for the
document page and the API (`POST …/actions/{action}`)."""

from __future__ import annotations

from tinhso.officialdocs import actions

ACTIONS = {
    "submit": lambda u, pk, p: actions.submit_for_review(acting_user=u, pk=pk),
    "approve": lambda u, pk, p: actions.approve(acting_user=u, pk=pk, note=p.get("note", "")),
    "send_back": lambda u, pk, p: actions.send_back(acting_user=u, pk=pk, note=p.get("note", "")),
    "sign": lambda u, pk, p: actions.sign(acting_user=u, pk=pk, remote_otp=(p.get("remote_otp") or "").strip()),
    "issue": lambda u, pk, p: actions.issue(acting_user=u, pk=pk),
    "register": lambda u, pk, p: actions.register_incoming(acting_user=u, pk=pk),
    "return": lambda u, pk, p: actions.return_incoming(acting_user=u, pk=pk, reason=p.get("reason", "")),
    "assign": lambda u, pk, p: actions.assign(acting_user=u, pk=pk, unit_id=p.get("unit"),
                                              person_id=p.get("person") or None,
                                              direction_note=p.get("direction_note", ""), days=p.get("days") or 5),
    "start": lambda u, pk, p: actions.start_handling(acting_user=u, pk=pk),
    "complete": lambda u, pk, p: actions.complete(acting_user=u, pk=pk, note=p.get("note", "")),
    "progress": lambda u, pk, p: actions.note_progress(acting_user=u, pk=pk, note=p.get("note", "")),
    "recall": lambda u, pk, p: actions.request_recall(acting_user=u, pk=pk, reason=p.get("reason", "")),
    "recall_accept": lambda u, pk, p: actions.answer_recall(acting_user=u, pk=pk, accept=True, note=p.get("note", "")),
    "recall_refuse": lambda u, pk, p: actions.answer_recall(acting_user=u, pk=pk, accept=False,
                                                            note=p.get("note", "")),
}
