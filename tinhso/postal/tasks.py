from huey import crontab

from tinhso.core.periodic import periodic_job


@periodic_job(crontab(minute="*/5"), "postal-sync", retries=1, retry_delay=60)
def sync_postal():
    """Every 5 minutes: send the requests the post has not accepted yet, and ask
    the post about open shipments not heard of for half an hour (lost webhooks)."""
    from tinhso.postal.actions import poll_open, send_due

    return {"send": send_due(), "poll": poll_open()}
