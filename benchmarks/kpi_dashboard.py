"""The KPI dashboard over two national years of events.

    .venv/bin/python benchmarks/kpi_dashboard.py [--database regulator_kpis_bench] [--registrants 20000]
        [--cases 40000] [--applications 20000] [--calls 150000] [--emails 60000] [--repeats 20] [--fresh]

Loads a register (seed_demo --register-only; the KPIs do not read it) and then, with bulk inserts,
two regulator years (April 2024 to March 2026) of FTP cases with their events (triage,
investigation, returns from case examiners, outcomes, both origins; a tenth of same-day steps
stamped with clock times against the workflow, as old systems keyed them), UK and international
applications with pauses, calls and emails, into its own database (kept between runs unless
--fresh). The clock is set inside the process to 15 April 2026, so it runs the same on any day:
the twelve months asked for (April 2025 to March 2026) are all closed.

Then, in process through Django's test client (the whole request) as an executive, it measures
GET /api/v1/kpis/?from=2025-04&to=2026-03 cold (the kept months deleted before each request, so
every KPI is computed) and warm (read from the kept months), the one-KPI and page variants, and
each request's SELECT statements replayed through a plain psycopg client cursor in the same run
(the bare SQL of the same aggregates), with the load average before and after. Prints a table and
saves JSON under benchmarks/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import bench_env, machine, prepare_database, print_table, save_results, summary_ms

DATABASE = "regulator_kpis_bench"
TODAY = dt.datetime(2026, 4, 15, 12, tzinfo=dt.UTC)  # the benchmark's own date: every month asked for is closed
START = dt.datetime(2024, 4, 1, 9, tzinfo=dt.UTC)
END = dt.datetime(2026, 3, 31, 17, tzinfo=dt.UTC)


def _moment(rng: random.Random) -> dt.datetime:
    return START + dt.timedelta(seconds=rng.uniform(0, (END - START).total_seconds()))


def _days(rng: random.Random, lo: float, hi: float) -> dt.timedelta:
    return dt.timedelta(days=rng.uniform(lo, hi))


def load(*, cases: int, applications: int, calls: int, emails: int, seed: int = 11) -> None:
    from fitness_to_practise.models import CaseEvent, FitnessToPractiseCase
    from registration.models import (
        Application,
        ApplicationEvent,
        Call,
        EmailEnquiry,
        RegisterEntry,
        Registrant,
    )

    if FitnessToPractiseCase.objects.count() >= cases:
        print(f"{DATABASE} already holds the history.", flush=True)
        return
    rng = random.Random(seed)
    started = time.monotonic()
    entries = list(RegisterEntry.objects.values_list("pk", flat=True)[:20000])
    case_rows, event_rows = [], []
    for n in range(cases):
        origin = "hcpc" if rng.random() < 0.25 else "swe"
        at = _moment(rng)
        case_rows.append(
            FitnessToPractiseCase(
                reference=f"KPI-{n:07d}", origin=origin, entry_id=rng.choice(entries), opened_at=at, stage_started_at=at
            )
        )
        path = [("concern_received", at - _days(rng, 1, 20)), ("social_worker_identified", at)]
        if rng.random() < 0.1:  # reviewed the same day, keyed with an earlier clock time
            path.append(("initial_review_completed", at - dt.timedelta(hours=rng.uniform(0, 2))))
        else:
            at += _days(rng, 2, 25)
            path.append(("initial_review_completed", at))
        at += _days(rng, 5, 70)
        if rng.random() < 0.45:
            path.append(("triage_closed", at))
        else:
            path.append(("referred_to_investigation", at))
            for _ in range(2):  # at most one return from the case examiners
                at += _days(rng, 40, 320)
                if rng.random() < 0.2:
                    path.append(("investigation_closed", at))
                    break
                path.append(("referred_to_case_examiners", at))
                at += _days(rng, 3, 25)
                if rng.random() < 0.12:
                    # returned: by the product (returned_for_investigation), or as an imported
                    # history writes it (a second referred_to_investigation, the next day)
                    if rng.random() < 0.5:
                        path += [("case_examiner_initial_decision", at), ("returned_for_investigation", at)]
                    else:
                        path += [
                            ("case_examiner_initial_decision", at),
                            ("referred_to_investigation", at + _days(rng, 1, 1)),
                        ]
                    continue
                path.append(("case_examiner_initial_decision", at))
                at += _days(rng, 5, 60)
                path.append((rng.choices(
                    ["case_examiner_no_further_action", "case_examiner_accepted_disposal", "referred_to_hearing"],
                    [0.55, 0.2, 0.25])[0], at))  # fmt: skip
                break
        event_rows.append([(kind, when) for kind, when in path if when < END])
    FitnessToPractiseCase.objects.bulk_create(case_rows, batch_size=5000)
    ids = dict(FitnessToPractiseCase.objects.filter(reference__startswith="KPI-").values_list("reference", "pk"))
    CaseEvent.objects.bulk_create(
        (
            CaseEvent(case_id=ids[f"KPI-{n:07d}"], kind=kind, at=when)
            for n, path in enumerate(event_rows)
            for kind, when in path
        ),
        batch_size=10000,
    )
    print(
        f"  {cases:,} cases, {CaseEvent.objects.count():,} case events ({time.monotonic() - started:.0f} s)", flush=True
    )

    registrants = list(Registrant.objects.values_list("pk", flat=True)[:20000])
    apps, app_events = [], []
    for n in range(applications):
        received = _moment(rng)
        apps.append(
            Application(
                reference=f"KPI-A{n:07d}",
                kind="new" if rng.random() < 0.9 else "restoration",
                route="uk" if rng.random() < 0.75 else "overseas",
                registrant_id=rng.choice(registrants),
                status="approved",
                investigation_required=rng.random() < 0.05,
                received_at=received,
            )
        )
        path, at = [("received", received)], received
        if rng.random() < 0.3:
            at += _days(rng, 1, 6)
            path.append(("info_requested", at))
            at += _days(rng, 1, 15)
            path.append(("info_received", at))
        at += _days(rng, 1, 20)
        path.append(("approved", at))
        app_events.append(path)
    Application.objects.bulk_create(apps, batch_size=5000)
    app_ids = dict(Application.objects.filter(reference__startswith="KPI-A").values_list("reference", "pk"))
    ApplicationEvent.objects.bulk_create(
        (
            ApplicationEvent(application_id=app_ids[f"KPI-A{n:07d}"], event=kind, at=when)
            for n, path in enumerate(app_events)
            for kind, when in path
        ),
        batch_size=10000,
    )
    outcomes = ["answered", "abandoned_in_queue", "hung_up_before_queue"]
    call_rows = []
    for n in range(calls):
        outcome = rng.choices(outcomes, [0.8, 0.15, 0.05])[0]
        queue = None if outcome == "hung_up_before_queue" else rng.randint(5, 900)
        call_rows.append(Call(received_at=_moment(rng), queue_seconds=queue, outcome=outcome, key=f"kpi-bench-{n}"))
    Call.objects.bulk_create(call_rows, batch_size=10000)
    email_rows = []
    for _ in range(emails):
        received = _moment(rng)
        answered = received + _days(rng, 0, 12) if rng.random() < 0.95 else None
        email_rows.append(EmailEnquiry(received_at=received, responded_at=answered))
    EmailEnquiry.objects.bulk_create(email_rows, batch_size=10000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics for the bulk-loaded tables (as autovacuum would, later)
    print(
        f"  {applications:,} applications ({ApplicationEvent.objects.count():,} events), {calls:,} calls, "
        f"{emails:,} emails ({time.monotonic() - started:.0f} s in all)",
        flush=True,
    )


SCENARIOS = [
    ("API: every KPI, Apr 2025 to Mar 2026", "/api/v1/kpis/?from=2025-04&to=2026-03"),
    ("API: every KPI, Oct 2024 to Sep 2025", "/api/v1/kpis/?from=2024-10&to=2025-09"),
    ("API: every KPI, year=2024 (older year)", "/api/v1/kpis/?year=2024"),
    ("API: REG1 alone, year=2025", "/api/v1/kpis/REG1/?year=2025"),
    ("API: INV1 alone, year=2025", "/api/v1/kpis/INV1/?year=2025"),
    ("page: /dashboard/?year=2025", "/dashboard/?year=2025"),
]


def measure(repeats: int) -> list[list]:
    """For each scenario, cold and warm: the request's median and p95, its SELECTs replayed bare
    (median), the ratio of the two medians and the number of statements."""
    import psycopg
    from django.db import connection
    from django.test import Client

    from regulator.models import KpiMonth, User
    from regulator.roles import Role, grant_roles

    user, _ = User.objects.get_or_create(username="bench.executive")
    grant_roles(user, [Role.EXECUTIVE])
    client = Client()
    client.force_login(user)
    dsn = connection.settings_dict
    raw = psycopg.connect(
        host=dsn["HOST"] or "127.0.0.1",
        port=dsn["PORT"] or 5432,
        user=dsn["USER"],
        dbname=dsn["NAME"],
        password=dsn["PASSWORD"] or None,
        autocommit=True,
        cursor_factory=psycopg.ClientCursor,
    )

    def request(url: str) -> tuple[float, float, int]:
        recorded: list[tuple[str, object]] = []

        def record(execute, statement, parameters, many, context):
            recorded.append((statement, parameters))
            return execute(statement, parameters, many, context)

        with connection.execute_wrapper(record):
            started = time.perf_counter()
            response = client.get(url, HTTP_HOST="localhost")
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        selects = [(s, p) for s, p in recorded if s.lstrip().upper().startswith(("SELECT", "WITH"))]
        started = time.perf_counter()
        with raw.cursor() as cursor:
            for statement, parameters in selects:
                cursor.execute(statement, parameters)
                cursor.fetchall()
        return elapsed, time.perf_counter() - started, len(recorded)

    rows = []
    for label, url in SCENARIOS:
        for state in ("cold", "warm"):
            for _ in range(3):
                if state == "cold":
                    KpiMonth.objects.all().delete()
                request(url)
            times, bare, statements = [], [], 0
            for _ in range(repeats):
                if state == "cold":
                    KpiMonth.objects.all().delete()  # nothing kept: every month of every KPI computed
                elapsed, sql, statements = request(url)
                times.append(elapsed)
                bare.append(sql)
            s, b = summary_ms(times), summary_ms(bare)
            rows.append(
                [f"{label} [{state}]", s["median_ms"], s["p95_ms"], b["median_ms"], s["median_ms"] / b["median_ms"],
                 statements]
            )  # fmt: skip
    raw.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=DATABASE, help="its own database (created, and loaded once)")
    parser.add_argument("--registrants", type=int, default=20000)
    parser.add_argument("--cases", type=int, default=40000)
    parser.add_argument("--applications", type=int, default=20000)
    parser.add_argument("--calls", type=int, default=150000)
    parser.add_argument("--emails", type=int, default=60000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    prepare_database(args.database, args.registrants, fresh=args.fresh)
    os.environ.update(bench_env(args.database))
    import django
    import time_machine

    django.setup()
    with time_machine.travel(TODAY, tick=True):
        load(cases=args.cases, applications=args.applications, calls=args.calls, emails=args.emails)
        load_before = os.getloadavg()
        rows = measure(args.repeats)
        load_after = os.getloadavg()
    loads = f"load average (1, 5 min) before {load_before[0]:.2f}, {load_before[1]:.2f}"
    loads += f"; after {load_after[0]:.2f}, {load_after[1]:.2f}"
    print_table(
        f"KPI dashboard (in process, executive; {loads})",
        ["scenario", "median ms", "p95 ms", "its SQL median ms", "request / SQL", "statements"],
        rows,
    )
    path = save_results(
        "kpi_dashboard",
        {"args": vars(args), "machine": machine(), "load_before": load_before, "load_after": load_after, "rows": rows},
    )
    print(f"saved {path}")


if __name__ == "__main__":
    main()
