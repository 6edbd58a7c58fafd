"""Every transition of a dossier, one function each (see docs/one-stop-shop.md).

Each one locks the dossier row, checks the status, the step and the user's
role in the agency concerned, writes a history row and an audit row in the
same transaction, bumps `version`, and notifies after commit."""

from tinhso.dossiers.actions.closing import (finish, judged_due, outcome_of, refuse, request_withdrawal,  # noqa: F401
                                             reset_due, return_result, stop, withdraw)
from tinhso.dossiers.actions.processing import (accept_supplement, allowed_targets, apologise,  # noqa: F401
                                                approve_apology, confirm_payment, forward, pending_apology,
                                                propose_apology, recall, refuse_after_supplement_deadline,
                                                reject_apology, request_payment, request_supplement, send_back,
                                                submit_supplement, supplement_requests_left)
from tinhso.dossiers.actions.reception import (ComponentInput, accept_online, receive_at_counter,  # noqa: F401
                                               refuse_online, submit_online)
from tinhso.dossiers.actions.counter import issue_counter_slip, papers_at, receive_papers, send_papers  # noqa: F401,E402,E501
from tinhso.dossiers.actions.digitisation import digitise_result  # noqa: F401,E402
