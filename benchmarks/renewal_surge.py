"""The renewal surge: with 100,000 registrants loaded, drive renewals through the API at increasing
concurrency and report renewals per second and p95 latency, then check by counting events that no
renewal was lost or duplicated.

    .venv/bin/python benchmarks/renewal_surge.py [--registrants 100000] [--renewals 2000] [--port 8111]

Uses its own database (regulator_reg_bench). Each renewer gets a sign-in (a session made directly
in the database, so no password hashing sits in the measured path) and two CPD records, one with peer
reflection. The renewal window must be open on the day it runs (the default window: 1 Sep - 30 Nov).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import bench_env, gunicorn, prepare_database, print_table, save_results, summary_ms

DATABASE = "regulator_reg_bench"
CSRF = "b" * 32
RENEWED_EVENTS = """
    SELECT count(*), count(DISTINCT entry_id) FROM registration_registerevent
    WHERE kind = 'renewed' AND at > now() - interval '1 hour'
"""


def setup_renewers(count: int) -> list[tuple[str, str]]:
    """Sign-ins, sessions and CPD for `count` registered people who have not renewed: (number, session key)."""
    os.environ.update(bench_env(DATABASE))
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection, transaction
    from django.utils import timezone

    from registration.clocks import renewal_window
    from registration.models import RegisterEntry

    today = timezone.localdate()
    window = renewal_window(today)
    if not window.is_open(today):
        raise SystemExit(f"The renewal window is not open today ({window.opens} to {window.closes}).")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registration_registerentry SET registered_until = %s "
            "WHERE status = 'registered' AND register = 'full'",
            [window.year_ends],
        )
        cursor.execute("DELETE FROM registration_renewal")
    entries = list(
        RegisterEntry.objects.filter(status="registered", register="full")
        .order_by("id")
        .values_list("id", "registrant_id", "registration_number")[:count]
    )
    from django.contrib.auth.models import Group

    from regulator.models import User
    from regulator.roles import Role

    group, _ = Group.objects.get_or_create(name=Role.REGISTRANT)
    result = []
    with transaction.atomic():
        for _entry_id, registrant_id, number in entries:
            username = f"bench-{number.lower()}"
            user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@bench.example"})
            user.groups.add(group)
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE registration_registrant SET user_id = %s WHERE id = %s", [user.pk, registrant_id]
                )
                cursor.execute(
                    """INSERT INTO registration_cpdrecord (registrant_id, kind, done_on, description, learning, impact,
                       peer_reflection, peer_name, peer_reflection_on, created_at)
                       SELECT %s, 'course', %s, 'Bench CPD', 'learnt', 'impact', p, CASE WHEN p THEN 'Peer' ELSE '' END,
                              CASE WHEN p THEN %s::date ELSE NULL END, now()
                       FROM (VALUES (true), (false)) AS v(p)
                       WHERE NOT EXISTS (SELECT 1 FROM registration_cpdrecord WHERE registrant_id = %s)""",
                    [registrant_id, today, today, registrant_id],
                )
            session = SessionStore()
            session["_auth_user_id"] = str(user.pk)
            session["_auth_user_backend"] = "regulator.auth_backends.EmailOrUsernameBackend"
            session["_auth_user_hash"] = user.get_session_auth_hash()
            session.create()
            result.append((number, session.session_key))
    return result


def drive(port: int, renewers: list[tuple[str, str]], concurrency: int) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    queue = list(renewers)

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if not queue:
                    break
                number, session_key = queue.pop()
            body = json.dumps({"declarations_confirmed": True, "payment_token": "success"})
            headers = {
                "Content-Type": "application/json",
                "Cookie": f"sessionid={session_key}; csrftoken={CSRF}",
                "X-CSRFToken": CSRF,
                "Referer": f"http://127.0.0.1:{port}/",
            }
            started = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/account/renewals/", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = repr(error)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != 201:
                    errors.append(f"{number}: {status}")
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "concurrency": concurrency,
        "renewals": len(latencies) - len(errors),
        "errors": errors,
        "wall_s": wall,
        "per_second": (len(latencies) - len(errors)) / wall,
        **summary_ms(latencies),
    }


class _Rollback(Exception):
    pass


def time_window_close() -> dict:
    """The end of the window at this scale: remove everyone who did not renew, twice (the second must
    change nothing), timed, inside a transaction that is then rolled back so the database stays loaded."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from registration.clocks import renewal_window
    from registration.services import renewal_window_close
    from regulator.working_days import LONDON

    window = renewal_window(timezone.localdate())
    after_close = dt.datetime.combine(window.year_ends + dt.timedelta(days=1), dt.time(6), tzinfo=LONDON)
    outcome: dict = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            outcome["first"] = renewal_window_close(year_ends=window.year_ends, actor=None, now=after_close)
            outcome["first_s"] = time.perf_counter() - started
            started = time.perf_counter()
            outcome["second"] = renewal_window_close(year_ends=window.year_ends, actor=None, now=after_close)
            outcome["second_s"] = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrants", type=int, default=100_000)
    parser.add_argument("--renewals", type=int, default=2400, help="renewals in all, shared among the steps")
    parser.add_argument("--steps", default="1,4,8,16")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8111)
    parser.add_argument("--fresh", action="store_true", help="drop and reload the benchmark database")
    args = parser.parse_args()
    if not 8110 <= args.port <= 8119:
        raise SystemExit("Use a port from 8110 to 8119.")
    prepare_database(DATABASE, args.registrants, fresh=args.fresh)
    steps = [int(s) for s in args.steps.split(",")]
    renewers = setup_renewers(args.renewals)
    per_step = len(renewers) // len(steps)
    rows, results = [], []
    with gunicorn(bench_env(DATABASE), port=args.port, workers=args.workers):
        for i, concurrency in enumerate(steps):
            batch = renewers[i * per_step : (i + 1) * per_step]
            result = drive(args.port, batch, concurrency)
            results.append(result)
            rows.append(
                [
                    concurrency,
                    result["renewals"],
                    len(result["errors"]),
                    result["per_second"],
                    result["median_ms"],
                    result["p95_ms"],
                ]
            )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT entry_id) FROM registration_renewal")
        renewals, entries = cursor.fetchone()
        cursor.execute(RENEWED_EVENTS)
        events, event_entries = cursor.fetchone()
    succeeded = sum(r["renewals"] for r in results)
    closing = time_window_close()
    print_table(
        f"Renewal surge: {args.registrants:,} registrants, gunicorn {args.workers} sync workers",
        ["concurrency", "renewals", "errors", "renewals/s", "median ms", "p95 ms"],
        rows,
    )
    check = {
        "answered_201": succeeded,
        "renewal_rows": renewals,
        "distinct_entries": entries,
        "renewed_events": events,
        "distinct_event_entries": event_entries,
    }
    print(f"\nCheck: {check}")
    lost_or_duplicated = not (succeeded == renewals == entries == events == event_entries)
    print("LOST OR DUPLICATED RENEWALS" if lost_or_duplicated else "No renewal lost or duplicated.")
    for r in results:
        for e in r["errors"][:5]:
            print("error:", e)
    print(
        f"End of the window: removed {closing['first']['removed']:,} in {closing['first_s']:.2f} s; "
        f"second run removed {closing['second']['removed']} in {closing['second_s']:.2f} s (rolled back after)."
    )
    path = save_results(
        "renewal_surge", {"steps": results, "check": check, "window_close": closing, "args": vars(args)}
    )
    print(f"Results: {path}")


if __name__ == "__main__":
    main()
