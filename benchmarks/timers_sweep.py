"""Benchmark: the nightly service-standard sweep over 200,000 open work items.

Builds, in SQL (set-based, a few seconds), 200,000 open email enquiries (registration's simplest
item) and a kept timer for each, the timers spread over every rule the sweep derives: working days
with pauses (closed and open), calendar days, calendar months ending on a working day, and a fixed
date, with starts over the last two years. Then, in the same run:

1. `timers.sweep()` for a day (the job the worker runs: advisory lock, calendar check, catch-up
   anti-joins, the derivation UPDATE), timed;
2. the same sweep again that day (idempotent: writes nothing), timed;
3. the bare SQL: the derivation statement alone for the next day, in a transaction rolled back;
and prints each with the load average. The rows are deleted at the end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/regulator .venv/bin/python benchmarks/timers_sweep.py [items]
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regulator.settings.local")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from regulator import timers  # noqa: E402
from regulator.models import ServiceStandard, WorkTimer  # noqa: E402

ITEMS = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
DAY = dt.date(2026, 11, 17)
KIND = "registration.email"
MARK = "benchmark: timers sweep"  # the rows this benchmark adds, and deletes at the end
CODES = ["uk_application", "triage_decision", "investigation", "subject_access", "email", "investigation_hcpc"]


def build() -> None:
    standards = {s.code: s.pk for s in ServiceStandard.objects.filter(code__in=CODES)}
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO registration_emailenquiry (received_at, from_address, subject, version) "
            "SELECT %s::timestamptz - (g %% 730) * interval '1 day', '', %s, 1 FROM generate_series(1, %s) g",
            [dt.datetime(2026, 11, 16, 10, tzinfo=dt.UTC), MARK, ITEMS],
        )
        c.execute(
            """
            INSERT INTO regulator_worktimer (kind, item_id, clock, standard_id, reference, team, started_on,
                paused_working_days, paused_since, unit, amount, due_by, due_on, elapsed, state, updated_at)
            SELECT %(kind)s, e.id, s.code, s.id, 'E' || e.id, 'registration_officer', e.received_at::date,
                   CASE WHEN s.pauses_excluded THEN (e.id %% 7) ELSE 0 END,
                   CASE WHEN s.pauses_excluded AND e.id %% 3 = 0 THEN e.received_at::date + 2 END,
                   s.unit, s.amount, s.fixed_date, e.received_at::date, 0, 'on_time', now()
            FROM registration_emailenquiry e
            JOIN regulator_servicestandard s ON s.id = (%(ids)s::int[])[1 + (e.id %% %(n)s)]
            WHERE e.subject = %(mark)s
            """,
            {"kind": KIND, "ids": [standards[c] for c in CODES], "n": len(CODES), "mark": MARK},
        )
        c.execute("ANALYZE regulator_worktimer")


def clean() -> None:
    with connection.cursor() as c:
        c.execute(
            "DELETE FROM regulator_worktimer WHERE kind = %s AND item_id IN "
            "(SELECT id FROM registration_emailenquiry WHERE subject = %s)",
            [KIND, MARK],
        )
        c.execute("DELETE FROM registration_emailenquiry WHERE subject = %s", [MARK])


def bare_sql(day: dt.date) -> tuple[float, int]:
    sql = timers.SWEEP_SQL.format(scope="t.stopped_on IS NULL")
    params = {"today": day, "soon": settings.TIMERS_DUE_SOON_WORKING_DAYS}
    with transaction.atomic(), connection.cursor() as c:
        started = time.perf_counter()
        c.execute(sql, params)
        elapsed, rows = time.perf_counter() - started, c.rowcount
        transaction.set_rollback(True)
    return elapsed, rows


def main() -> None:
    clean()
    print(f"Building {ITEMS:,} open items with their timers…", flush=True)
    started = time.perf_counter()
    build()
    print(f"  built in {time.perf_counter() - started:.1f} s; load average {os.getloadavg()}", flush=True)
    try:
        results = []
        for label, day in (("sweep (first of the day)", DAY), ("sweep again, same day (no-op)", DAY)):
            load = os.getloadavg()[0]
            started = time.perf_counter()
            result = timers.sweep(today=day)
            results.append((label, time.perf_counter() - started, result.derived, load))
        load = os.getloadavg()[0]
        bare, rows = bare_sql(DAY + dt.timedelta(days=1))
        results.append(("bare SQL: the derivation UPDATE alone", bare, rows, load))
        print(f"\nNightly sweep over {WorkTimer.objects.filter(kind=KIND).count():,} open timers")
        print(f"{'run':<42} {'seconds':>8} {'rows written':>13} {'load (1 min)':>13}")
        for label, seconds, rows_written, load_1 in results:
            print(f"{label:<42} {seconds:>8.2f} {rows_written:>13,} {load_1:>13.2f}")
        states = dict(
            WorkTimer.objects.filter(kind=KIND).values_list("state").annotate(n=django.db.models.Count("id"))
        )
        print(f"states after the sweep: {states}")
        print(f"cores: {os.cpu_count()}; target: under 30 s")
    finally:
        clean()


if __name__ == "__main__":
    main()
