"""Periodic jobs run once per scheduled slot however many worker processes
enqueue them (tinhso/core/periodic.py)."""

import datetime
import threading

import pytest
from django.db import connection
from huey import MemoryHuey, SqliteHuey, crontab

from tinhso.core.periodic import periodic_job, run_once, slot_of

EVERY_15 = crontab(minute="*/15")
DAILY_1730 = crontab(hour="17", minute="30")


def at(*args):
    return datetime.datetime(*args)


def test_the_slot_is_the_latest_matching_minute():
    assert slot_of(EVERY_15, at(2026, 3, 2, 10, 29, 59)) == at(2026, 3, 2, 10, 15)
    assert slot_of(EVERY_15, at(2026, 3, 2, 10, 30, 0)) == at(2026, 3, 2, 10, 30)
    assert slot_of(DAILY_1730, at(2026, 3, 3, 9, 0)) == at(2026, 3, 2, 17, 30)
    assert slot_of(DAILY_1730, at(2026, 3, 3, 17, 31)) == at(2026, 3, 3, 17, 30)


def test_copies_of_the_same_slot_run_the_job_once_and_the_next_slot_runs_again(db):
    huey, calls = MemoryHuey("t", immediate=False), []

    def job():
        calls.append(1)
        return len(calls)

    assert run_once("j", EVERY_15, job, now=at(2026, 3, 2, 10, 15, 1), huey=huey) == 1
    assert run_once("j", EVERY_15, job, now=at(2026, 3, 2, 10, 15, 40), huey=huey) is None  # other worker's copy
    assert run_once("j", EVERY_15, job, now=at(2026, 3, 2, 10, 29), huey=huey) is None  # late copy, same slot
    assert run_once("j", EVERY_15, job, now=at(2026, 3, 2, 10, 30, 2), huey=huey) == 2
    assert len(calls) == 2
    # Only the current slot's claim is kept.
    assert [k for k in huey.storage.result_items() if k.startswith("periodic.")] == ["periodic.j.20260302T1030"]


def test_a_failed_run_gives_its_slot_back_for_the_retry(db):
    huey, calls = MemoryHuey("t", immediate=False), []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("gateway down")
        return "ok"

    with pytest.raises(RuntimeError):
        run_once("j", EVERY_15, flaky, now=at(2026, 3, 2, 10, 15, 1), huey=huey)
    assert run_once("j", EVERY_15, flaky, now=at(2026, 3, 2, 10, 16, 1), huey=huey) == "ok"
    assert run_once("j", EVERY_15, flaky, now=at(2026, 3, 2, 10, 16, 2), huey=huey) is None
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_workers_sharing_one_queue_file_claim_a_slot_once(tmp_path):
    """Several `run_huey` processes on one machine share the SQLite queue file:
    each opens its own connection; six at once, one runs."""
    path = str(tmp_path / "tasks.sqlite3")
    hueys = [SqliteHuey("tinhso", filename=path) for _ in range(6)]
    barrier, ran, lock = threading.Barrier(6), [], threading.Lock()

    def job():
        with lock:
            ran.append(threading.get_ident())
        return "done"

    results = [None] * 6

    def worker(i):
        try:
            barrier.wait(timeout=10)
            results[i] = run_once("j", EVERY_15, job, now=at(2026, 3, 2, 10, 15, 3), huey=hueys[i])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(ran) == 1
    assert results.count("done") == 1 and results.count(None) == 5


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_run_still_going_makes_the_next_slot_skip():
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks exist only on PostgreSQL")
    import psycopg

    from tinhso.core.periodic import _Exclusive

    huey, calls = MemoryHuey("t", immediate=False), []
    settings = connection.settings_dict
    other = psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                            user=settings["USER"], password=settings["PASSWORD"] or None, dbname=settings["NAME"],
                            autocommit=True)
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [_Exclusive("j").key])  # the 10:15 run, still going
        assert run_once("j", EVERY_15, lambda: calls.append(1), now=at(2026, 3, 2, 10, 30, 1), huey=huey) is None
        other.execute("SELECT pg_advisory_unlock(%s)", [_Exclusive("j").key])
        assert run_once("j", EVERY_15, lambda: calls.append(1) or "ran", now=at(2026, 3, 2, 10, 45, 1),
                        huey=huey) == "ran"
    finally:
        other.close()
    assert calls == [1]
    with connection.cursor() as cursor:  # the lock was released after the run
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
        assert cursor.fetchone()[0] == 0


def test_every_periodic_task_of_the_app_is_declared_with_periodic_job():
    from huey.contrib.djhuey import HUEY

    from tinhso.dossiers import tasks as dossier_tasks  # noqa: F401 - registers the tasks
    from tinhso.payments import tasks as payment_tasks  # noqa: F401

    periodic = [type(task) for task in HUEY._registry.periodic_tasks]
    assert len(periodic) >= 3, periodic
    for task_class in periodic:
        assert task_class.__module__.startswith("tinhso.")
        wrapper = getattr(__import__(task_class.__module__, fromlist=["x"]), task_class.__name__)
        assert getattr(wrapper, "job_name", None), f"{task_class.__name__} is not declared with periodic_job"


def test_call_local_runs_the_job_itself():
    calls = []

    @periodic_job(crontab(minute="7"), "core-test-job")
    def core_test_job():
        calls.append(1)
        return "x"

    try:
        assert core_test_job.call_local() == "x" and core_test_job.call_local() == "x"
        assert calls == [1, 1]
    finally:
        from huey.contrib.djhuey import HUEY

        HUEY._registry.unregister(core_test_job.task_class)
