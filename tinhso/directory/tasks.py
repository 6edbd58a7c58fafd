"""Background jobs: certificate expiry reminders, daily."""

from huey import crontab

from tinhso.core.periodic import periodic_job


@periodic_job(crontab(hour="7", minute="10"), "directory.expiry_reminders")
def expiry_reminders():
    from tinhso.directory.actions import send_expiry_reminders

    return send_expiry_reminders()
