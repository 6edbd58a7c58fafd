from huey import crontab

from tinhso.core.periodic import periodic_job
from tinhso.registries.reception import retry_pending


@periodic_job(crontab(minute="*/5"), "registries-retry-checks", retries=2, retry_delay=60)
def retry_checks_task():
    """Every 5 minutes: the national checks that could not be made at reception, once the system answers again."""
    return retry_pending()
