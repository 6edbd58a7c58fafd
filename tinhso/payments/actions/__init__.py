"""Payment requests of dossiers: create, pay online through the payment
platform (redirect + verified server-to-server callback), pay at the counter,
cancel, refund, and reconcile with the platform's status query.

Every change is atomic, checks the actor's role, writes the audit log in the
same transaction, and notifies after commit. Calls to the platform (status
query, refund) happen outside any database transaction; what they return is
then applied in a transaction of its own. Every message to or from the
platform is kept in GatewayMessage, accepted or not.

The functions live by concern in this package (_common, requests, callbacks,
refunds, reconciliation); everything is importable from here as before."""

from tinhso.payments.actions._common import *  # noqa: F401,F403
from tinhso.payments.actions._common import (ANSWERS, CANCEL_ROLES, CLOCK_SKEW, REFUND_ROLES, REQUIRED_RESULT_FIELDS, VIEW_ROLES, _agencies, _issue_receipt, _lines_for, _lock, _log, _mark_paid, _new_reference, _new_refund_reference, _notify_paid, _now, _vnd, get_payment, is_payer, visible_to, may_cancel, may_collect, may_refund, may_view, system_confirm_dossier_payment)  # noqa: F401
from tinhso.payments.actions.callbacks import *  # noqa: F401,F403
from tinhso.payments.actions.callbacks import CallbackOutcome, handle_callback  # noqa: F401
from tinhso.payments.actions.reconciliation import *  # noqa: F401,F403
from tinhso.payments.actions.refunds import *  # noqa: F401,F403
from tinhso.payments.actions.payment_requests import *  # noqa: F401,F403
