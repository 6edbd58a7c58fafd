"""Periodic jobs: collect events from audit and message-log rows, forward to
syslog, check the audit log's integrity daily, remove events past their
retention nightly."""

from huey import crontab

from tinhso.core.periodic import periodic_job


@periodic_job(crontab(minute="*/5"), "secwatch.collect")
def collect_events():
    from tinhso.secwatch.collect import collect

    return collect()


@periodic_job(crontab(minute="*/5"), "secwatch.syslog")
def forward_syslog():
    from tinhso.secwatch.siem import forward_syslog as forward

    return forward()


@periodic_job(crontab(hour="2", minute="30"), "secwatch.audit_integrity")
def audit_integrity():
    from tinhso.secwatch.integrity import check

    result = check()
    return {"problems": len(result["problems"]), "sealed": result["sealed"]}


@periodic_job(crontab(hour="20", minute="10"), "secwatch.prune", retries=2, retry_delay=300)
def prune_events():
    """Nightly (20:10 UTC, 03:10 Vietnam time): remove events older than the
    retention (`secwatch.retention_days`)."""
    from tinhso.secwatch.actions import prune_events as prune

    return prune()
