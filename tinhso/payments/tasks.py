"""Background jobs of the payments app (Huey)."""

import datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from tinhso.payments.actions import reconcile_pending, refresh_gateway_status
from tinhso.payments.models import PaymentRequest


@db_periodic_task(crontab(minute="*/10"), retries=1, retry_delay=60)
@lock_task("payments-reconcile-pending")
def reconcile_pending_task():
    """Every 10 minutes: ask the payment platform about online payments still
    pending TINHSO_PAYGOV_RECONCILE_AFTER_MINUTES after they started (the
    callback never came); marks them paid or expired by its answer."""
    return reconcile_pending()


@db_periodic_task(crontab(hour="0", minute="30"), retries=1, retry_delay=300)
@lock_task("payments-refresh-yesterday")
def refresh_yesterday_task():
    """At 00:30: record the platform's status of every online payment of the
    day before, for the daily reconciliation report."""
    from tinhso.payments.report import payments_of_day

    day = timezone.localdate() - datetime.timedelta(days=1)
    return refresh_gateway_status(payments_of_day(PaymentRequest.objects.all(), day).filter(started_at__isnull=False))
