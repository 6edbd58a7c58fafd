from huey import crontab

from tinhso.core.periodic import periodic_job


@periodic_job(crontab(minute="*"), "officialdocs-exchange", retries=1, retry_delay=30)
def exchange_documents():
    """Every minute: retry edXML messages that did not go, take what the axis holds for us."""
    from tinhso.officialdocs.exchange import tick

    return tick()


@periodic_job(crontab(minute="*/15"), "officialdocs-deadlines", retries=2, retry_delay=60)
def remind_handlers():
    """Every 15 minutes: reminders before and after the deadline of assigned documents."""
    from tinhso.officialdocs.actions.incoming import remind

    return remind()
