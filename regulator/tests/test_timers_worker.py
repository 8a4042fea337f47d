"""The nightly sweep on real workers (separate processes) against the Redis broker: a worker killed
mid-sweep leaves nothing half-written, the message is delivered again to the next worker, and the
sweep and digests complete once: nothing lost, nothing doubled."""

import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from registration import services as registration_services
from registration.tests.helpers import at, received
from regulator import timers
from regulator.celery import app
from regulator.models import TimerDigest, TimerNotification, TimerState, WorkTimer
from regulator.roles import Role
from regulator.tasks import timers_nightly
from tests.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]  # its own frozen days; real workers
ROOT = Path(__file__).resolve().parents[2]
DAY = "2026-11-17"  # the night the task runs for (a worker process has the machine's own clock)


def _dsn() -> str:
    s = connection.settings_dict
    return f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


LOGS: list[Path] = []


def start_worker() -> subprocess.Popen:
    """A real worker process on this test database and this process's broker keys; what it prints goes
    to a file of its own, which a failed assertion shows (see `explain`)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "regulator.settings.test",
        "DATABASE_URL": _dsn(),
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "PYTEST_XDIST_WORKER": os.environ.get("PYTEST_XDIST_WORKER", "main"),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "regulator",
        "worker",
        "--pool=solo",
        "--loglevel=WARNING",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    log = Path(tempfile.mkstemp(prefix="timers-worker-", suffix=".log")[1])
    LOGS.append(log)
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def explain(dsn: str) -> str:
    """What every other session on the test database is doing, and the workers' last lines: the
    message of a failed wait, so a failure says why."""
    with psycopg.connect(dsn, autocommit=True) as c:
        sessions = c.execute(
            "SELECT pid, state, wait_event_type, wait_event, xact_start, left(query, 100) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    lines = [f"session {row}" for row in sessions]
    for log in LOGS[-2:]:
        lines.append(f"--- {log.name}: " + " | ".join(log.read_text(errors="replace").splitlines()[-15:]))
    return "\n".join(lines)


def stop(worker: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=30)


def wait_for(condition, seconds=60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def sweep_is_waiting_on_a_lock(dsn: str) -> bool:
    with psycopg.connect(dsn, autocommit=True) as c:
        row = c.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND query LIKE '/* regulator.timers.derive */%%'"
        ).fetchone()
        return bool(row and row[0])


def others_connected(dsn: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as c:
        row = c.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND query LIKE '/* regulator.timers.derive */%%'"
        ).fetchone()
        return int(row[0]) if row else 0


@pytest.fixture
def caseload():
    """Twelve applications received on 2 November 2026, their timers written for that day: on
    17 November (the sweep's day) every one has breached; half are an officer's, all the team's."""
    officer = UserFactory(roles=[Role.REGISTRATION_OFFICER], email="officer@regulator.example")
    lead = UserFactory(roles=[Role.REGISTRATION_OFFICER, Role.TEAM_LEAD], email="lead@regulator.example")
    apps = [received(now=at("2026-11-02")) for _ in range(12)]
    for application in apps[:6]:
        registration_services.application_assign(application=application, officer=officer, actor=lead)
    timers.refresh("registration.application", [a.pk for a in apps], today=dt.date(2026, 11, 2))
    return {"officer": officer, "lead": lead, "apps": apps}


def test_a_worker_killed_mid_sweep_loses_nothing_and_the_next_worker_does_it_once(caseload):
    dsn = _dsn()
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    first = second = None
    # Hold one timer's row so the sweep's UPDATE stops midway, inside its transaction.
    holder = psycopg.connect(dsn)
    try:
        holder.execute("SELECT id FROM regulator_worktimer ORDER BY id DESC LIMIT 1 FOR UPDATE")
        app.control.purge()  # this process's queue holds only this test's sweep (not an earlier test's leftovers)
        timers_nightly.apply_async(kwargs={"day": DAY})
        first = start_worker()
        assert wait_for(lambda: sweep_is_waiting_on_a_lock(dsn), 120), "the sweep never reached its UPDATE\n" + explain(
            dsn
        )
        stop(first, signal.SIGKILL)  # the whole worker, mid-statement
        holder.rollback()
        holder.close()
        assert wait_for(lambda: others_connected(dsn) == 0, 30), "the killed worker's session lingers\n" + explain(dsn)
        # Nothing half-written: the killed sweep's transaction is gone with it.
        assert not WorkTimer.objects.exclude(computed_on=dt.date(2026, 11, 2)).exists()
        assert not TimerDigest.objects.exists()

        second = start_worker()  # the unacknowledged message comes back to it
        assert wait_for(lambda: TimerDigest.objects.filter(sent_at__isnull=False).count() == 2, 120), explain(dsn)
    finally:
        holder.close()  # never left holding the lock (a later test's flush would wait on it for ever)
        app.conf.task_always_eager = previous
        for worker in (first, second):
            if worker is not None:
                stop(worker)
    states = set(WorkTimer.objects.values_list("state", flat=True))
    assert states == {TimerState.BREACHED}
    officer, lead = caseload["officer"], caseload["lead"]
    assert TimerNotification.objects.filter(recipient=officer).count() == 6
    assert TimerNotification.objects.filter(recipient=lead).count() == 12
    assert TimerDigest.objects.count() == 2  # one each, each sent once


def test_two_sweeps_at_once_wait_for_each_other_and_the_second_changes_nothing(caseload):
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    workers = []
    try:
        app.control.purge()  # this process's queue holds only this test's sweeps
        for _ in range(2):
            timers_nightly.apply_async(kwargs={"day": DAY})
        workers = [start_worker(), start_worker()]
        assert wait_for(lambda: TimerDigest.objects.filter(sent_at__isnull=False).count() == 2, 120), explain(_dsn())
        time.sleep(2)  # let the second sweep finish too
    finally:
        app.conf.task_always_eager = previous
        for worker in workers:
            stop(worker)
    assert TimerDigest.objects.count() == 2
    assert TimerNotification.objects.count() == 6 + 12
