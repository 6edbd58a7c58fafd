"""Every state change of a field report (one function per transition)."""

from tinhso.fieldreports.actions.jobs import close_unrated, escalate  # noqa: F401
from tinhso.fieldreports.actions.submit import (  # noqa: F401
    confirm_phone, normalise_phone, send_phone_code, submit_report,
)
from tinhso.fieldreports.actions.workflow import (  # noqa: F401
    accept, answer, assign, confirm, follow, hide, merge, publish, rate, reject, reopen, return_to_centre, send_back,
    start_work, transfer, unhide, withhold_media,
)
