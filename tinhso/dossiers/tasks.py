from huey import crontab

from tinhso.core.periodic import periodic_job
from tinhso.dossiers.jobs import flag_deadlines


@periodic_job(crontab(minute="*/15"), "dossiers-flag-deadlines", retries=2, retry_delay=60)
def flag_deadlines_task():
    """Every 15 minutes: due-soon and overdue notices (once per slot however many workers run)."""
    return flag_deadlines()
