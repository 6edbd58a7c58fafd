"""Background jobs of the payments app (Huey)."""

import datetime

from django.utils import timezone
from huey import crontab

from tinhso.core.periodic import periodic_job
from tinhso.payments.actions import reconcile_pending, refresh_gateway_status
from tinhso.payments.models import PaymentRequest


@periodic_job(crontab(minute="*/10"), "payments-reconcile-pending", retries=1, retry_delay=60)
def reconcile_pending_task():
    """Every 10 minutes: ask the payment platform about online payments still
    pending TINHSO_PAYGOV_RECONCILE_AFTER_MINUTES after they started (the
    callback never came); marks them paid or expired by its answer."""
    return reconcile_pending()


# Huey checks schedules against UTC (HUEY["utc"]): 17:30 UTC is 00:30 in Vietnam (UTC+7, no DST).
@periodic_job(crontab(hour="17", minute="30"), "payments-refresh-yesterday", retries=1, retry_delay=300)
def refresh_yesterday_task():
    """At 00:30 Vietnam time: record the platform's status of every online payment of the
    day before, for the daily reconciliation report."""
    from tinhso.payments.report import payments_of_day

    day = timezone.localdate() - datetime.timedelta(days=1)
    return refresh_gateway_status(payments_of_day(PaymentRequest.objects.all(), day).filter(started_at__isnull=False))
