from huey import crontab

from tinhso.core.periodic import periodic_job


@periodic_job(crontab(minute="*"), "nationalportal-sync", retries=1, retry_delay=30)
def sync_national_portal():
    """Every minute: send the dossier events waiting in the outbox to the national portal."""
    from tinhso.nationalportal.sender import send_pending

    return send_pending()
