"""The KPI dashboard over a national year of events.

    .venv/bin/python benchmarks/kpi_dashboard.py [--cases 40000] [--applications 20000]
                                                 [--calls 150000] [--emails 60000] [--repeats 20] [--fresh]

Loads a small register (seed_demo --register-only, 20,000 registrants) and then, with bulk
inserts, two regulator years (April 2024 to March 2026) of FTP cases with their events (triage,
investigation, returns from case examiners, outcomes, both origins), UK and international
applications with pauses, calls and emails, into its own database (regulator_kpis_bench; kept
between runs unless --fresh). Then, in process through Django's test client (the whole request),
measures GET /api/v1/kpis/?year=2025 and /dashboard/?year=2025 as an executive: median and p95
latency and the number of queries. Prints a table and saves JSON under benchmarks/results/.
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
                    path += [("case_examiner_initial_decision", at), ("returned_for_investigation", at)]
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


def measure(repeats: int) -> list[list]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from regulator.models import User
    from regulator.roles import Role, grant_roles

    user, _ = User.objects.get_or_create(username="bench.executive")
    grant_roles(user, [Role.EXECUTIVE])
    client = Client()
    client.force_login(user)
    rows = []
    for label, url in [
        ("API: every KPI, year 2025/26", "/api/v1/kpis/?year=2025"),
        ("API: REG1 alone", "/api/v1/kpis/REG1/?year=2025"),
        ("API: INV1 alone", "/api/v1/kpis/INV1/?year=2025"),
        ("page: /dashboard/", "/dashboard/?year=2025"),
    ]:
        for _ in range(3):
            assert client.get(url, HTTP_HOST="localhost").status_code == 200
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            client.get(url, HTTP_HOST="localhost")
            times.append(time.perf_counter() - t)
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            client.get(url, HTTP_HOST="localhost")
        s = summary_ms(times)
        rows.append([label, s["median_ms"], s["p95_ms"], len(captured.captured_queries)])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=40000)
    parser.add_argument("--applications", type=int, default=20000)
    parser.add_argument("--calls", type=int, default=150000)
    parser.add_argument("--emails", type=int, default=60000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    prepare_database(DATABASE, 20000, fresh=args.fresh)
    os.environ.update(bench_env(DATABASE))
    import django

    django.setup()
    load(cases=args.cases, applications=args.applications, calls=args.calls, emails=args.emails)
    rows = measure(args.repeats)
    print_table("KPI dashboard (in process, executive)", ["scenario", "median ms", "p95 ms", "queries"], rows)
    path = save_results("kpi_dashboard", {"args": vars(args), "machine": machine(), "rows": rows})
    print(f"saved {path}")


if __name__ == "__main__":
    main()
