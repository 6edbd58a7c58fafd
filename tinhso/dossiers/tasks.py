from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from tinhso.dossiers.jobs import flag_deadlines


@db_periodic_task(crontab(minute="*/15"), retries=2, retry_delay=60)
@lock_task("dossiers-flag-deadlines")
def flag_deadlines_task():
    """Every 15 minutes: due-soon and overdue notices (one at a time even with many workers)."""
    return flag_deadlines()
