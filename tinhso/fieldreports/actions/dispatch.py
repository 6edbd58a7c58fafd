"""The staff actions by name, with their form fields: one table for the
report page and the API (`POST …/actions/{action}`)."""

from __future__ import annotations

from tinhso.fieldreports import actions

ACTIONS = {
    "confirm": lambda r, p, f, u: actions.confirm(acting_user=u, code=r, category_code=p.get("category") or None,
                                                  note=p.get("note", "")),
    "reject": lambda r, p, f, u: actions.reject(acting_user=u, code=r, reason_id=p.get("reject-reason"),
                                                text=p.get("reject-text", "")),
    "assign": lambda r, p, f, u: actions.assign(acting_user=u, code=r, agency_id=p.get("agency"), note=p.get("note", "")),
    "transfer": lambda r, p, f, u: actions.transfer(acting_user=u, code=r, agency_id=p.get("agency"),
                                                    note=p.get("note", "")),
    "accept": lambda r, p, f, u: actions.accept(acting_user=u, code=r),
    "return": lambda r, p, f, u: actions.return_to_centre(acting_user=u, code=r, reason_id=p.get("return-reason"),
                                                          text=p.get("return-text", "")),
    "start": lambda r, p, f, u: actions.start_work(acting_user=u, code=r, note=p.get("note", "")),
    "answer": lambda r, p, f, u: actions.answer(acting_user=u, code=r, text=p.get("answer", ""),
                                                files=f.getlist("evidence")),
    "send_back": lambda r, p, f, u: actions.send_back(acting_user=u, code=r, reason_id=p.get("send_back-reason"),
                                                      text=p.get("send_back-text", "")),
    "publish": lambda r, p, f, u: actions.publish(acting_user=u, code=r, text=p.get("answer")),
    "merge": lambda r, p, f, u: actions.merge(acting_user=u, code=r, into=(p.get("into") or "").strip(),
                                              note=p.get("note", "")),
    "hide": lambda r, p, f, u: actions.hide(acting_user=u, code=r, reason_id=p.get("hide-reason"),
                                            text=p.get("hide-text", "")),
    "unhide": lambda r, p, f, u: actions.unhide(acting_user=u, code=r),
}
