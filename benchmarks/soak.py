"""Soak: a steady mixed load against gunicorn on loopback, on PostgreSQL, with a real Celery worker.

    .venv/bin/python benchmarks/soak.py --minutes 10 --rate 20

The mix (weights): public name search (page and API), employer checks, a registrant's account page and a
new CPD record, an officer's queue (page and API) and approvals (each queues its letter through the outbox
to the worker), the executives' dashboard. Reports throughput, p50/p95/p99 per kind and overall, errors a
minute, the memory (RSS) of every process at the start and the end, and the load average.

Uses its own database (reg_ops_soak, or --database) and Redis database (--broker). The issue asks for 10
minutes; on a shared machine use --minutes 2 and say so.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    PYTHON,
    ROOT,
    bench_env,
    free_port,
    gunicorn,
    machine,
    percentile,
    prepare_database,
    print_table,
    save_results,
)

CSRF = "s" * 32
NAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Khan"]


def setup(database: str, applications: int) -> dict:
    """Sessions for a registrant, an officer and an executive; `applications` received applications to
    approve; a list of registration numbers for employer checks."""
    os.environ.update(bench_env(database))
    import django

    django.setup()
    import itertools

    from django.contrib.sessions.backends.db import SessionStore

    from registration.models import Application, RegisterEntry
    from registration.tests import helpers
    from registration.tests.helpers import applicant, received

    helpers._numbers = itertools.count(int(time.time() * 1000))  # new applicants' emails never repeat a run's
    from regulator.models import User
    from regulator.roles import Role, grant_roles

    def session_for(username: str, *roles: Role) -> str:
        user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@soak.example"})
        grant_roles(user, roles)
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "regulator.auth_backends.EmailOrUsernameBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        return session.session_key or ""

    waiting = list(Application.objects.filter(status="received").values_list("pk", flat=True))
    for _ in range(max(0, applications - len(waiting))):
        waiting.append(received(route="overseas").pk)  # no course: the UK route makes a provider each time
    registrant_user, _ = applicant(given_name="Soak", family_name="Registrant")
    session = SessionStore()
    session["_auth_user_id"] = str(registrant_user.pk)
    session["_auth_user_backend"] = "regulator.auth_backends.EmailOrUsernameBackend"
    session["_auth_user_hash"] = registrant_user.get_session_auth_hash()
    session.create()
    numbers = list(RegisterEntry.objects.order_by("?").values_list("registration_number", flat=True)[:500])
    return {
        "registrant": session.session_key,
        "officer": session_for("soak-officer", Role.REGISTRATION_OFFICER),
        "executive": session_for("soak-executive", Role.EXECUTIVE),
        "applications": waiting[:applications],
        "numbers": numbers,
    }


def requests_mix(world: dict):
    """(weight, kind, function returning (method, path, body, session)) for each kind of request."""
    applications = list(world["applications"])
    lock = threading.Lock()

    def approve():
        with lock:
            pk = applications.pop() if applications else None
        if pk is None:
            return ("GET", "/api/v1/applications/?status=received", None, world["officer"])
        return ("POST", f"/api/v1/applications/{pk}/approve/", {}, world["officer"])

    def cpd():
        body = {
            "kind": "course", "done_on": time.strftime("%Y-%m-%d"), "description": "Soak course",
            "learning": "learnt", "impact": "impact", "peer_reflection": False,
        }
        return ("POST", "/api/v1/account/cpd/", body, world["registrant"])

    return [
        (30, "public search page", lambda: ("GET", f"/register/?q={random.choice(NAMES)}", None, None)),
        (20, "public search API", lambda: ("GET", f"/api/v1/register/?q={random.choice(NAMES)}", None, None)),
        (10, "employer check", lambda: (
            "POST", "/api/v1/register/check/", {"numbers": random.sample(world["numbers"], 10)}, None)),
        (8, "registrant account", lambda: ("GET", "/account/", None, world["registrant"])),
        (5, "registrant CPD add", cpd),
        (10, "officer queue page", lambda: ("GET", "/registration/applications/", None, world["officer"])),
        (7, "officer queue API", lambda: ("GET", "/api/v1/applications/", None, world["officer"])),
        (5, "officer approval", approve),
        (5, "dashboard", lambda: ("GET", "/dashboard/", None, world["executive"])),
    ]


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def family(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return found


def gunicorn_pid(port: int) -> int:
    out = subprocess.run(["pgrep", "-f", f"gunicorn regulator.wsgi --bind 127.0.0.1:{port}"], capture_output=True,
                         text=True).stdout.split()
    return min(int(p) for p in out) if out else 0


def drive(port: int, world: dict, *, seconds: float, rate: float, threads: int) -> dict:
    mix = requests_mix(world)
    weights = [w for w, _, _ in mix]
    samples: dict[str, list[float]] = defaultdict(list)
    errors: list[tuple[float, str, str]] = []
    lock = threading.Lock()
    start = time.monotonic()
    interval = threads / rate  # each thread's pace, so all together make `rate` requests a second

    def user(n: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        next_at = start + random.random() * interval
        while True:
            now = time.monotonic()
            if now - start >= seconds:
                break
            if next_at > now:
                time.sleep(next_at - now)
            next_at += interval
            _, kind, make = random.choices(mix, weights=weights)[0]
            method, path, body, session = make()
            headers = {"Referer": f"http://127.0.0.1:{port}/", "X-CSRFToken": CSRF}
            headers["Cookie"] = f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else "")
            payload = None
            if body is not None:
                payload = json.dumps(body)
                headers["Content-Type"] = "application/json"
            began = time.perf_counter()
            try:
                conn.request(method, path, body=payload, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
                detail = repr(error)
            took = time.perf_counter() - began
            with lock:
                samples[kind].append(took)
                if status == 0 or status >= 400:
                    errors.append((time.monotonic() - start, kind, detail if status == 0 else str(status)))

    workers = [threading.Thread(target=user, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return {"samples": samples, "errors": errors, "elapsed": time.monotonic() - start}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=20, help="requests a second, all kinds together")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=30, help="seconds of unmeasured load first")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--registrants", type=int, default=20_000)
    parser.add_argument("--database", default="reg_ops_soak")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/6")
    args = parser.parse_args()

    prepare_database(args.database, args.registrants, fresh=False)
    expected = int(args.minutes * 60 * args.rate * 0.05) + 10  # approvals are 5% of the mix
    world = setup(args.database, expected)
    env = {**bench_env(args.database), "CELERY_BROKER_URL": args.broker, "NOTIFICATIONS_BACKEND": "development",
           "DJANGO_LOG_LEVEL": "ERROR"}
    worker = subprocess.Popen(
        [PYTHON, "-m", "celery", "-A", "regulator", "worker", "--pool=solo", "--loglevel=WARNING"],
        cwd=ROOT, env=env,
    )
    port = free_port()
    try:
        with gunicorn(env, port=port, workers=args.web_workers):
            # Warm up (not measured): gunicorn's workers import the project and fill their caches.
            drive(port, {**world, "applications": []}, seconds=args.warmup, rate=args.rate, threads=args.threads)
            pids = {"gunicorn": family(gunicorn_pid(port)), "celery worker": family(worker.pid)}
            memory_start = {name: sum(rss_kib(p) for p in ps) for name, ps in pids.items()}
            load_start = os.getloadavg()
            result = drive(port, world, seconds=args.minutes * 60, rate=args.rate, threads=args.threads)
            load_end = os.getloadavg()
            memory_end = {name: sum(rss_kib(p) for p in family(ps[0])) for name, ps in pids.items()}
            time.sleep(5)  # let the worker send the last letters
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    samples, errors, elapsed = result["samples"], result["errors"], result["elapsed"]
    every = [t for ts in samples.values() for t in ts]
    rows = []
    for kind in sorted(samples, key=lambda k: -len(samples[k])):
        ts = samples[kind]
        rows.append([kind, len(ts), percentile(ts, 0.5) * 1000, percentile(ts, 0.95) * 1000,
                     percentile(ts, 0.99) * 1000, sum(1 for e in errors if e[1] == kind)])
    rows.append(["all", len(every), percentile(every, 0.5) * 1000, percentile(every, 0.95) * 1000,
                 percentile(every, 0.99) * 1000, len(errors)])
    print(f"\nSoak: {elapsed / 60:.1f} minutes at {args.rate:g} requests/s asked, {args.threads} client threads, "
          f"gunicorn {args.web_workers} workers, 1 Celery worker; {machine()}")
    print_table("Latency (ms)", ["kind", "requests", "p50", "p95", "p99", "errors"], rows)
    minutes = max(1, int(elapsed // 60) + (1 if elapsed % 60 else 0))
    per_minute = [sum(1 for e in errors if m * 60 <= e[0] < (m + 1) * 60) for m in range(minutes)]
    print(f"\nThroughput: {len(every) / elapsed:.1f} requests/s; errors a minute: {per_minute}")
    if errors:
        print("First errors:", errors[:5])
    print_table("Memory (RSS, MiB)", ["process", "start", "end", "growth %"], [
        [name, memory_start[name] / 1024, memory_end[name] / 1024,
         (memory_end[name] - memory_start[name]) / max(1, memory_start[name]) * 100] for name in memory_start
    ])
    print(f"\nLoad average (1 min) at start {load_start[0]:.2f}, at end {load_end[0]:.2f}")
    import psycopg

    server = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
    with psycopg.connect(f"{server}/{args.database}") as db:
        outbox = db.execute("SELECT count(*), count(done_at) FROM regulator_outboxmessage").fetchone()
        sent = db.execute("SELECT count(*) FROM regulator_notification WHERE status = 'sent'").fetchone()
    print(f"Outbox messages: {outbox[0]} recorded, {outbox[1]} done; notifications sent: {sent[0]}")
    path = save_results("soak", {
        "minutes": args.minutes, "rate": args.rate, "threads": args.threads, "rows": rows,
        "errors_per_minute": per_minute, "memory_kib": {"start": memory_start, "end": memory_end},
        "load": [load_start, load_end], "outbox": outbox, "sent": sent,
    })
    print(f"Saved {path}")


if __name__ == "__main__":
    main()
