from huey import crontab

from tinhso.core.periodic import periodic_job


@periodic_job(crontab(day="1", hour="1", minute="10"), "serviceindex-monthly-snapshot", retries=2, retry_delay=300)
def monthly_snapshot():
    """On the first of each month: the previous month's score of the province, every department and every
    commune, kept as data (docs/service-index.md, "Snapshots")."""
    from tinhso.serviceindex.snapshots import backfill, previous_months

    return backfill(previous_months(1), all_agencies=True)
