from huey import crontab

from tinhso.core.periodic import periodic_job


@periodic_job(crontab(minute="17", hour="2"), "integration-retention", retries=2, retry_delay=300)
def apply_retention():
    """Nightly: remove message-log rows older than TINHSO_MESSAGE_LOG_DAYS (the
    chain is verified from the last removed row on) and expired OAuth tokens."""
    from tinhso.integration.maintenance import retention

    return retention()


@periodic_job(crontab(minute="47", hour="23"), "integration-log-checkpoint", retries=2, retry_delay=300)
def log_checkpoint():
    """Daily: seal the message log's head as a checkpoint and send it to the
    SIEM (a copy outside the database), see tinhso/integration/log.py."""
    from tinhso.integration.maintenance import checkpoint

    return checkpoint()

