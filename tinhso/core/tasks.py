from huey import crontab

from tinhso.core.files import sweep_orphans
from tinhso.core.periodic import periodic_job


# 20:15 UTC = 03:15 in Vietnam (Huey's crontab runs on UTC).
@periodic_job(crontab(hour="20", minute="15"), "core-sweep-orphan-files", retries=1, retry_delay=600)
def sweep_orphan_files_task():
    """Daily: remove uploaded files that no row references (their action failed)."""
    report = sweep_orphans()
    return f"removed {len(report.removed)}, young {report.kept_young}, referenced {report.referenced}"
