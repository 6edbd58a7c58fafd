from huey import crontab

from tinhso.core.periodic import periodic_job
from tinhso.news.actions import announce_due


@periodic_job(crontab(minute="*"), "news-announce-due", retries=2, retry_delay=30)
def announce_due_task():
    """Every minute: scheduled announcements whose time has come go out as pushes (once per article)."""
    return announce_due()
