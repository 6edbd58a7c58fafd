"""Every state change of an official document (one function per transition)."""

from tinhso.officialdocs.actions.incoming import (  # noqa: F401
    answer_recall, assign, complete, note_progress, receive_message, receive_paper, register_incoming, return_incoming, start_handling,
)
from tinhso.officialdocs.actions.outgoing import (  # noqa: F401
    approve, create_draft, issue, request_recall, send_back, sign, submit_for_review,
)
from tinhso.officialdocs.actions.profiles import update_profile  # noqa: F401
