"""The fitness to practise queues at national scale.

    .venv/bin/python benchmarks/ftp_queues.py [--registrants 1000000] [--cases 200000] [--open 20000]
                                              [--repeats 40] [--fresh]

Loads the register (seed_demo --register-only) and then, with COPY, 200,000 FTP cases of which
20,000 are open (spread over every stage, both origins, 25 handlers, a fifth overdue) with their
events, into its own database (regulator_ftp_bench; kept between runs unless --fresh). Then, in
process through Django's test client (the whole request: middleware, session, selectors,
templates or serializers), measures each queue page and list endpoint with a mix of filters and
sorts as a case handler and as a case examiner: median and p95 latency, and the number of
queries at page sizes 2, 25 and 100 (which must be the same). Targets: p95 < 100 ms, constant
queries. Prints a table and saves JSON under benchmarks/results/.
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

DATABASE = "regulator_ftp_bench"
# Open cases by state, roughly the board's caseloads (triage ~300, investigation ~1,100 scaled up).
OPEN_MIX = [
    ("triage_initial_review", 0.08),
    ("triage_decision", 0.10),
    ("investigation", 0.45),
    ("case_examiners_initial", 0.06),
    ("case_examiners_decision", 0.06),
    ("disposal_offered", 0.03),
    ("hearing", 0.14),
    ("order_monitoring", 0.08),
]
EVENTS_TO_REACH = {
    "triage_initial_review": ["concern_received", "social_worker_identified"],
    "triage_decision": ["concern_received", "social_worker_identified", "initial_review_completed"],
    "investigation": ["concern_received", "social_worker_identified", "initial_review_completed",
                      "referred_to_investigation"],
}  # fmt: skip
EVENTS_TO_REACH["case_examiners_initial"] = [*EVENTS_TO_REACH["investigation"], "referred_to_case_examiners"]
EVENTS_TO_REACH["case_examiners_decision"] = [
    *EVENTS_TO_REACH["case_examiners_initial"],
    "case_examiner_initial_decision",
]
EVENTS_TO_REACH["disposal_offered"] = [*EVENTS_TO_REACH["case_examiners_decision"], "disposal_offered"]
EVENTS_TO_REACH["hearing"] = [*EVENTS_TO_REACH["case_examiners_decision"], "referred_to_hearing"]
EVENTS_TO_REACH["order_monitoring"] = [*EVENTS_TO_REACH["hearing"], "hearing_concluded"]
CLOSED_PATHS = [
    [*EVENTS_TO_REACH["triage_decision"], "triage_closed", "case_closed"],
    [*EVENTS_TO_REACH["investigation"], "investigation_closed", "case_closed"],
    [*EVENTS_TO_REACH["case_examiners_decision"], "case_examiner_no_further_action", "case_closed"],
]


def load_cases(*, cases: int, open_cases: int, seed: int = 7) -> dict[str, int]:
    """COPY the cases and their events (skipped when the cases are already loaded)."""
    from django.db import connection

    from regulator.models import User
    from regulator.roles import Role, grant_roles

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM fitness_to_practise_fitnesstopractisecase")
        if cursor.fetchone()[0] >= cases:
            print(f"{DATABASE} already holds {cases:,} cases.", flush=True)
            return {}
        cursor.execute("SELECT min(id), max(id) FROM registration_registerentry")
        lo, hi = cursor.fetchone()
    handlers = []
    for i in range(25):
        user, _ = User.objects.get_or_create(username=f"bench.handler{i}", defaults={"email": f"h{i}@bench.example"})
        grant_roles(user, [Role.FTP_CASE_HANDLER])
        handlers.append(user.pk)
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    states = [s for s, _ in OPEN_MIX]
    weights = [w for _, w in OPEN_MIX]
    started = time.monotonic()
    case_rows, event_rows = [], []
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM fitness_to_practise_fitnesstopractisecase")
        first_id = cursor.fetchone()[0] + 1
    for n in range(cases):
        case_id = first_id + n
        is_open = n < open_cases
        opened = now - dt.timedelta(days=rng.uniform(1, 1800 if not is_open else 500))
        if is_open:
            state = rng.choices(states, weights)[0]
            path = EVENTS_TO_REACH[state]
        else:
            state = "closed"
            path = rng.choice(CLOSED_PATHS)
        # Events a few days to weeks apart, from the concern to the current stage.
        at = opened - dt.timedelta(days=rng.randint(1, 10))
        times = []
        for kind in path:
            if kind != "concern_received":
                at = min(at + dt.timedelta(days=rng.uniform(0.5, 40)), now - dt.timedelta(minutes=1))
            if kind == "social_worker_identified":
                at = opened
            times.append((kind, at))
        stage_started = times[-1][1] if state not in ("triage_initial_review", "triage_decision") else opened
        interim = "none"
        need_at = None
        if is_open and rng.random() < 0.05:
            interim, need_at = "need_identified", stage_started
        elif is_open and rng.random() < 0.08:
            interim = "in_force"
        case_rows.append(
            (
                case_id,
                f"FTP-{case_id:07d}",
                "hcpc" if rng.random() < 0.2 else "swe",
                rng.randint(lo, hi),
                state,
                interim,
                rng.choice(["low", "medium", "high", ""]),
                opened,
                stage_started,
                need_at,
                rng.choice(handlers) if rng.random() < 0.85 else None,
                "",
                "",
                times[-1][1] if state == "closed" else None,
                len(path),
            )
        )
        event_rows.extend((case_id, kind, when, "", "") for kind, when in times)
    raw = connection.connection
    with raw.cursor() as cur:
        with cur.copy(
            "COPY fitness_to_practise_fitnesstopractisecase (id, reference, origin, entry_id, state, "
            "interim_order_state, risk_level, opened_at, stage_started_at, interim_need_identified_at, handler_id, "
            "external_firm, proposed_disposal, closed_at, version) FROM STDIN"
        ) as copy:
            for row in case_rows:
                copy.write_row(row)
        with cur.copy("COPY fitness_to_practise_caseevent (case_id, kind, at, reason, detail) FROM STDIN") as copy:
            for row in event_rows:
                copy.write_row(row)
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('fitness_to_practise_fitnesstopractisecase', 'id'), "
            "(SELECT max(id) FROM fitness_to_practise_fitnesstopractisecase))"
        )
        cur.execute("ANALYZE fitness_to_practise_fitnesstopractisecase")
        cur.execute("ANALYZE fitness_to_practise_caseevent")
    raw.commit()
    print(
        f"Loaded {len(case_rows):,} cases ({open_cases:,} open) and {len(event_rows):,} events "
        f"in {time.monotonic() - started:.1f} s.",
        flush=True,
    )
    return {"cases": len(case_rows), "events": len(event_rows)}


SCENARIOS = [
    # (label, url, who)
    ("queue page: open cases", "/ftp/", "handler"),
    ("queue page: triage, overdue", "/ftp/?stage=triage&overdue=true", "handler"),
    ("queue page: investigation, HCPC, high risk", "/ftp/?stage=investigation&origin=hcpc&risk_level=high", "handler"),
    ("queue page: assigned to me, oldest first", "/ftp/?assigned=me&ordering=stage_started", "handler"),
    ("queue page: over 90 days, by risk", "/ftp/?older_than_days=90&ordering=-risk", "handler"),
    ("queue page: closed, page 200", "/ftp/?stage=closed&page=200", "handler"),
    ("queue page: case examiner", "/ftp/", "examiner"),
    ("API cases: open", "/api/v1/ftp/cases/?stage=investigation", "handler"),
    ("API cases: overdue, unassigned", "/api/v1/ftp/cases/?overdue=true&assigned=none", "handler"),
    ("API cases: all, newest first", "/api/v1/ftp/cases/?ordering=-opened", "handler"),
    ("API cases: case examiner", "/api/v1/ftp/cases/?stage=case_examiners", "examiner"),
    ("API concerns", "/api/v1/ftp/concerns/", "handler"),
]


def measure(repeats: int) -> tuple[list[dict], list[dict]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from regulator.models import User
    from regulator.roles import Role, grant_roles

    handler = User.objects.get(username="bench.handler0")
    examiner, _ = User.objects.get_or_create(username="bench.examiner", defaults={"email": "ce@bench.example"})
    grant_roles(examiner, [Role.CASE_EXAMINER])
    clients = {}
    for who, user in (("handler", handler), ("examiner", examiner)):
        client = Client()
        client.force_login(user)
        clients[who] = client
    latency, queries = [], []
    for label, url, who in SCENARIOS:
        client = clients[who]
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200
        latency.append({"scenario": label, "url": url, "as": who, **summary_ms(times)})
        counts = {}
        for size in (2, 25, 100):
            sep = "&" if "?" in url else "?"
            with CaptureQueriesContext(connection) as captured:
                client.get(f"{url}{sep}page_size={size}")
            counts[size] = len(captured.captured_queries)
        queries.append({"scenario": label, **{f"queries_page_size_{k}": v for k, v in counts.items()}})
        print(f"  {label}: p95 {latency[-1]['p95_ms']:.1f} ms, queries {counts}", flush=True)
    return latency, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registrants", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--open", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()

    prepare_database(DATABASE, args.registrants, fresh=args.fresh)
    os.environ.update(bench_env(DATABASE))
    import django

    django.setup()
    loaded = load_cases(cases=args.cases, open_cases=args.open)
    print(f"Measuring on {machine()} (shared machine: other developers' jobs run beside this).", flush=True)
    latency, queries = measure(args.repeats)
    print_table(
        f"FTP queues: {args.registrants:,} registrants, {args.cases:,} cases ({args.open:,} open), "
        f"{args.repeats} requests each",
        ["scenario", "median ms", "p95 ms", "max ms", "queries (2/25/100 rows)"],
        [
            [r["scenario"], r["median_ms"], r["p95_ms"], r["max_ms"],
             "/".join(str(q[f"queries_page_size_{k}"]) for k in (2, 25, 100))]
            for r, q in zip(latency, queries, strict=True)
        ],
    )  # fmt: skip
    worst = max(r["p95_ms"] for r in latency)
    constant = all(len({q[k] for k in q if k.startswith("queries")}) == 1 for q in queries)
    print(f"\nWorst p95: {worst:.1f} ms (target < 100 ms); queries constant over page sizes: {constant}")
    path = save_results(
        "ftp_queues",
        {"registrants": args.registrants, "cases": args.cases, "open": args.open, "loaded": loaded,
         "latency": latency, "queries": queries, "worst_p95_ms": worst, "queries_constant": constant},
    )  # fmt: skip
    print(f"Saved {path}")


if __name__ == "__main__":
    main()
