from huey import crontab

from tinhso.core.periodic import periodic_job


@periodic_job(crontab(minute="*/10"), "fieldreports-escalate", retries=2, retry_delay=60)
def escalate_reports():
    from tinhso.fieldreports.actions import escalate

    return escalate()


@periodic_job(crontab(minute="5", hour="1"), "fieldreports-close-unrated", retries=2, retry_delay=300)
def close_unrated_reports():
    from tinhso.fieldreports.actions import close_unrated

    return close_unrated()
