"""The history import at national scale.

    .venv/bin/python benchmarks/import_history.py [--scale 1.0] [--database regulator_import_bench]

Generates a history folder of the interchange format (at --scale 1: 1,000,000 registrants with
their register events, 200,000 HCPC cases with about 2,000,000 case events, a year of calls and
emails), creates a fresh database of its own, and then, each in its own process:
  1. `import_history` into the empty database: time, rows a second, peak memory (max RSS);
  2. the bare work: the same files COPYed as they are into text tables (no checks, no indexes);
  3. `import_history` again: a no-op (every row unchanged), which should be no slower.
Prints the figures with the load average and saves them as JSON under benchmarks/results/.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import PYTHON, ROOT, bench_env, machine, print_table, save_results

DATABASE = "regulator_import_bench"
YEAR_START = dt.datetime(2024, 4, 1, 8, tzinfo=dt.UTC)
GIVEN = ["Amy", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hari", "Isla", "Jon", "Kemi", "Leo", "Maya", "Nia"]
FAMILY = ["Smith", "Jones", "Patel", "Khan", "Brown", "Taylor", "Okafor", "Wilson", "Evans", "Lewis", "Walker"]
TOWNS = ["Leeds", "York", "Hull", "Bristol", "Leicester", "Derby", "Norwich", "Exeter", "Bath", "Luton"]


def _writer(folder: Path, name: str, header: list[str]):
    handle = (folder / name).open("w", newline="", encoding="utf-8")
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(header)
    return handle, writer


def generate(folder: Path, scale: float, seed: int = 9) -> dict[str, int]:
    rng = random.Random(seed)
    n_registrants, n_cases = int(1_000_000 * scale), int(200_000 * scale)
    n_calls, n_emails = int(400_000 * scale), int(100_000 * scale)
    counts = dict.fromkeys(["registrants", "register_events", "cases", "case_events", "calls", "emails"], 0)
    reg, rw = _writer(
        folder,
        "registrants.csv",
        [
            "registration_number",
            "given_name",
            "family_name",
            "town",
            "gender",
            "nationality",
            "date_of_birth",
            "route",
            "register",
            "status",
            "registered_on",
            "origin",
        ],
    )
    ev, ew = _writer(folder, "register_events.csv", ["registration_number", "event", "on", "reason"])
    for i in range(n_registrants):
        number = f"SW{10000 + i}"
        registered = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))
        removed = rng.random() < 0.12
        rw.writerow(
            [
                number,
                rng.choice(GIVEN),
                rng.choice(FAMILY),
                rng.choice(TOWNS),
                "",
                "",
                "",
                rng.choice(["uk", "uk", "uk", "overseas", "eea", "not_recorded"]),
                "full",
                "removed" if removed else "registered",
                registered.isoformat(),
                "hcpc",
            ]
        )
        ew.writerow([number, "registered", registered.isoformat(), ""])
        counts["registrants"] += 1
        counts["register_events"] += 1
        if rng.random() < 0.1:
            ew.writerow([number, "annotation_added", (registered + dt.timedelta(days=400)).isoformat(), "amhp"])
            counts["register_events"] += 1
        if removed:
            ew.writerow([number, "removed", (registered + dt.timedelta(days=900)).isoformat(), "failure_to_renew"])
            counts["register_events"] += 1
    reg.close()
    ev.close()
    cases, cw = _writer(folder, "cases.csv", ["reference", "origin", "registration_number", "referrer"])
    events, xw = _writer(folder, "case_events.csv", ["reference", "event", "at", "detail"])
    short = ["concern_received", "social_worker_identified", "initial_review_completed", "triage_closed", "case_closed"]
    long = [
        "concern_received",
        "social_worker_identified",
        "initial_review_completed",
        "interim_order_need_identified",
        "interim_order_decision",
        "referred_to_investigation",
        "referred_to_case_examiners",
        "case_examiner_initial_decision",
        "referred_to_hearing",
        "hearing_adjourned",
        "hearing_adjourned",
        "hearing_concluded",
        "case_closed",
    ]
    for i in range(n_cases):
        reference = f"HCPC-{i:07d}"
        cw.writerow(
            [
                reference,
                "hcpc",
                f"SW{10000 + rng.randrange(n_registrants)}",
                rng.choice(["public", "employer", "self", "police", "other"]),
            ]
        )
        counts["cases"] += 1
        at = YEAR_START - dt.timedelta(days=rng.randrange(2000))
        for kind in short if rng.random() < 0.4 else long:
            at += dt.timedelta(days=rng.randrange(1, 40), minutes=rng.randrange(600))
            detail = "none" if kind in ("interim_order_decision", "hearing_concluded") else ""
            xw.writerow([reference, kind, at.isoformat(timespec="seconds"), detail])
            counts["case_events"] += 1
    cases.close()
    events.close()
    calls, qw = _writer(folder, "calls.csv", ["received_at", "queue_seconds", "outcome"])
    year = 365 * 24 * 3600
    for _ in range(n_calls):
        at = YEAR_START + dt.timedelta(seconds=rng.randrange(year))
        outcome = rng.choices(["answered", "abandoned_in_queue", "hung_up_before_queue"], [85, 10, 5])[0]
        qw.writerow(
            [at.isoformat(timespec="seconds"), "" if outcome == "hung_up_before_queue" else rng.randrange(400), outcome]
        )
        counts["calls"] += 1
    calls.close()
    emails, mw = _writer(folder, "emails.csv", ["received_at", "responded_at"])
    for _ in range(n_emails):
        at = YEAR_START + dt.timedelta(seconds=rng.randrange(year))
        mw.writerow(
            [
                at.isoformat(timespec="seconds"),
                (at + dt.timedelta(hours=rng.randrange(1, 200))).isoformat(timespec="seconds"),
            ]
        )
        counts["emails"] += 1
    emails.close()
    return counts


def fresh_database(database: str) -> None:
    import psycopg

    server = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=bench_env(database), check=True
    )


def timed_child(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run a child process; its wall time, its own peak memory (max RSS, MB) and its output."""
    started = time.monotonic()
    child = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    if child.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{output[-3000:]}")
    return elapsed, usage.ru_maxrss // 1024, output


BARE_COPY = r"""
import os, sys, csv, time, psycopg
folder = sys.argv[1]
with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            header = next(csv.reader([f.readline()]))
        table = "bare_" + name.removesuffix(".csv")
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"CREATE TABLE {table} (" + ", ".join(f'"{c}" text' for c in header) + ")")
        with conn.cursor().copy(f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, \
                open(os.path.join(folder, name), "rb") as f:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
    conn.rollback()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is national scale")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--folder", help="keep the generated folder here (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="history-bench-") as temporary:
        folder = Path(args.folder or temporary)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        counts = generate(folder, args.scale)
        rows = sum(counts.values())
        size_mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(
            f"Generated {rows:,} rows ({size_mb:,.0f} MB) in {time.monotonic() - started:.0f} s: {counts}", flush=True
        )
        fresh_database(args.database)
        env = bench_env(args.database)
        load_before = os.getloadavg()
        command = [PYTHON, "manage.py", "import_history", str(folder), "-v", "0"]
        first, first_mb, out = timed_child(command, env)
        print(out.strip().splitlines()[-2:], flush=True)
        bare, bare_mb, _ = timed_child([PYTHON, "-c", BARE_COPY, str(folder)], env)
        second, second_mb, out2 = timed_child(command, env)
        print(out2.strip().splitlines()[-2:], flush=True)
        load_after = os.getloadavg()
    results = {
        "scale": args.scale,
        "counts": counts,
        "rows": rows,
        "folder_mb": round(size_mb),
        "first_import_s": round(first, 1),
        "first_rows_per_s": round(rows / first),
        "first_peak_mb": first_mb,
        "bare_copy_s": round(bare, 1),
        "ratio_to_bare_copy": round(first / bare, 1),
        "second_import_s": round(second, 1),
        "second_peak_mb": second_mb,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "machine": machine(),
    }
    print_table(
        f"History import, scale {args.scale} ({rows:,} rows)",
        ["run", "seconds", "rows/s", "peak MB"],
        [
            ["first import", first, f"{rows / first:,.0f}", first_mb],
            ["bare COPY of the same files", bare, f"{rows / bare:,.0f}", bare_mb],
            ["second import (no-op)", second, f"{rows / second:,.0f}", second_mb],
        ],
    )
    print(f"ratio to the bare COPY: {first / bare:.1f}x; load average before {load_before}, after {load_after}")
    print(f"saved {save_results('import_history', results)}")


if __name__ == "__main__":
    main()
