"""Periodic jobs that run once per scheduled time, however many workers run.

Every `manage.py run_huey` process has its own scheduler, and each one enqueues
every periodic task when its time comes: with three worker processes a job due
at 10:15 is enqueued three times. `periodic_job` makes the copies harmless:

1. The first copy to start claims the *slot* (the latest time at or before now
   that the schedule matches, e.g. 10:15) in the task store, an atomic
   "set if empty" in Redis (or the SQLite queue file on one machine). The
   other copies find the slot taken, log "skipped" and return.
2. On PostgreSQL the run also holds an advisory lock named after the job, so a
   run that lasts longer than the period never overlaps the next one (the
   lock goes away with the connection if the worker dies, unlike a lock key).
3. A run that fails gives its slot back, so the retry (or another worker's
   copy) runs it again.

The jobs themselves stay idempotent (conditional updates per row), so even a
claim lost with the Redis data only repeats work, never doubles an effect.
The rule for new periodic tasks: declare them with `periodic_job`, never with
a bare `db_periodic_task` (docs/operations.md, "Worker pool")."""

from __future__ import annotations

import datetime
import functools
import logging
import os
import socket
import zlib

from django.db import connection
from huey.contrib.djhuey import HUEY, db_periodic_task

log = logging.getLogger("tinhso.periodic")

# The schedule is searched backwards at most this far for its latest match
# (weekly schedules are the longest in use).
LOOKBACK = datetime.timedelta(days=8)


def huey_now() -> datetime.datetime:
    """The clock the Huey scheduler checks schedules against (naive; UTC when HUEY["utc"])."""
    if HUEY.utc:
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    return datetime.datetime.now()


def slot_of(schedule, now: datetime.datetime) -> datetime.datetime:
    """The latest minute at or before `now` that `schedule` (a huey crontab) matches."""
    minute = now.replace(second=0, microsecond=0)
    step = datetime.timedelta(minutes=1)
    for back in range(int(LOOKBACK / step)):
        candidate = minute - back * step
        if schedule(candidate):
            return candidate
    return minute


def _slot_key(name: str, slot: datetime.datetime) -> str:
    return f"periodic.{name}.{slot:%Y%m%dT%H%M}"


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class _Exclusive:
    """A PostgreSQL session advisory lock named after the job; elsewhere (SQLite:
    one machine) always granted. Not used behind PgBouncer in transaction mode,
    where session locks are not safe (DISABLE_SERVER_SIDE_CURSORS marks that)."""

    def __init__(self, name: str):
        self.key = zlib.crc32(f"tinhso.periodic.{name}".encode())
        self.held = False

    def _usable(self) -> bool:
        return connection.vendor == "postgresql" and not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")

    def __enter__(self) -> bool:
        if not self._usable():
            return True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.key])
            self.held = bool(cursor.fetchone()[0])
        return self.held

    def __exit__(self, *exc) -> None:
        if self.held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [self.key])
            self.held = False


def run_once(name: str, schedule, job, *, now: datetime.datetime | None = None, huey=None):
    """Run `job()` unless another worker already ran (or is running) this
    schedule's current slot. Returns the job's result, or None when skipped."""
    huey = huey or HUEY
    slot = slot_of(schedule, now or huey_now())
    key = _slot_key(name, slot)
    if not huey.put_if_empty(key, {"worker": _worker(), "started": datetime.datetime.now().isoformat()}):
        log.info("periodic job %s for slot %s skipped in %s: already claimed by another worker",
                 name, f"{slot:%Y-%m-%d %H:%M}", _worker())
        return None
    previous = slot_of(schedule, slot - datetime.timedelta(minutes=1))
    if previous != slot:
        huey.delete(_slot_key(name, previous))  # only the current slot's claim matters
    try:
        with _Exclusive(name) as granted:
            if not granted:
                log.info("periodic job %s for slot %s skipped in %s: the previous run is still going",
                         name, f"{slot:%Y-%m-%d %H:%M}", _worker())
                return None
            result = job()
    except Exception:
        huey.delete(key)  # give the slot back: the retry may run it
        raise
    log.info("periodic job %s for slot %s ran in %s: %s", name, f"{slot:%Y-%m-%d %H:%M}", _worker(), result)
    return result


def periodic_job(schedule, name: str, *, retries: int = 0, retry_delay: int = 0):
    """Declare a periodic task (Huey crontab `schedule`) that runs once per
    slot across every worker process. `task.call_local()` runs the job itself,
    without the claim (tests, management commands)."""

    def decorator(fn):
        @functools.wraps(fn)
        def run():
            return run_once(name, schedule, fn)

        task = db_periodic_task(schedule, retries=retries, retry_delay=retry_delay)(run)
        task.call_local = fn
        task.job_name = name
        return task

    return decorator
