from huey import crontab

from tinhso.core.periodic import periodic_job


@periodic_job(crontab(minute="*"), "officialdocs-exchange", retries=1, retry_delay=30)
def exchange_documents():
    """Every minute: retry edXML messages that did not go, take what the axis holds for us."""
    from tinhso.officialdocs.exchange import tick

    return tick()
