"""The public register search at national scale.

    .venv/bin/python benchmarks/register_search.py [--registrants 1000000] [--queries 1500] [--fresh]

Loads the register into its own database (regulator_bench_search; kept between runs unless
--fresh), then over a mix of searches measures (1) the public search API's latency in process,
(2) beside it, the same searches' raw SQL (the very statements the API ran, re-executed through
psycopg), and (3) the API's throughput served by gunicorn to 16 concurrent clients with 60% name,
30% number and 10% town searches. Prints tables and saves JSON under benchmarks/results/.
Targets at 1,000,000: name p95 < 25 ms, number p95 < 5 ms, API median overhead over raw SQL
< 5 ms, >= 150 mixed searches a second.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import (
    bench_env,
    gunicorn,
    machine,
    prepare_database,
    print_table,
    save_results,
    summary_ms,
)

DATABASE = "regulator_bench_search"
MIX = [("name", 0.6), ("number", 0.3), ("town", 0.1)]


def misspell(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap_vowel", "drop", "double", "y_for_i"])
    if kind == "swap_vowel" and word[i] in "aeiou":
        return word[:i] + rng.choice([v for v in "aeiou" if v != word[i]]) + word[i + 1 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word.replace("i", "y", 1) if "i" in word else word[:i] + word[i + 1 :]


def build_queries(n: int, rng: random.Random) -> list[tuple[str, dict[str, str]]]:
    """A reproducible mix drawn from the register itself: real names (a third misspelt, a fifth
    reversed), real numbers (half without SW) and real towns."""
    from django.db import connection

    sql = (
        "SELECT e.registration_number, r.given_name, r.family_name, e.town "
        "FROM registration_registerentry e TABLESAMPLE SYSTEM (%s) "
        "JOIN registration_registrant r ON r.id = e.registrant_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registration_registerentry")
        total = cursor.fetchone()[0]
        # Sample about 2n rows spread over the whole table (block sampling, repeatable enough).
        cursor.execute(sql, [min(100.0, 100.0 * n * 4 / max(total, 1)), n * 2])
        sample = cursor.fetchall()
    queries = []
    for _ in range(n):
        number, given, family, town = rng.choice(sample)
        kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
        if kind == "name":
            words = [given, family]
            if rng.random() < 0.33:
                j = rng.randrange(2)
                words[j] = misspell(words[j].lower(), rng)
            if rng.random() < 0.2:
                words.reverse()
            queries.append(("name", {"q": " ".join(words)}))
        elif kind == "number":
            queries.append(("number", {"q": number if rng.random() < 0.5 else number[2:]}))
        else:
            queries.append(("town", {"town": town}))
    return queries


def measure_in_process(queries):
    """API latency through Django's full stack (no network), and the raw SQL of the same search.

    The statements each request runs are recorded by a plain execute wrapper (no debug cursor, no
    formatting of the SQL while the clock runs), then replayed with their parameters through a
    psycopg client cursor, as Django sends them.
    """
    import psycopg
    from django.db import connection
    from django.test import Client

    client = Client()
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
    for _, params in queries[:50]:  # warm caches and connections
        client.get("/api/v1/register/", params)
    api, sql, overhead = {}, {}, []
    for kind, params in queries:
        recorded: list[tuple[str, object]] = []

        def record(execute, statement, parameters, many, context, recorded=recorded):
            recorded.append((statement, parameters))
            return execute(statement, parameters, many, context)

        with connection.execute_wrapper(record):
            started = time.perf_counter()
            response = client.get("/api/v1/register/", params)
            api_elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"search {params} answered {response.status_code}: {response.content[:200]!r}")
        started = time.perf_counter()
        with raw.cursor() as cursor:
            for statement, parameters in recorded:
                cursor.execute(statement, parameters)
                cursor.fetchall()
        sql_elapsed = time.perf_counter() - started
        api.setdefault(kind, []).append(api_elapsed)
        sql.setdefault(kind, []).append(sql_elapsed)
        overhead.append(api_elapsed - sql_elapsed)
    raw.close()
    return api, sql, overhead


def measure_throughput(env, queries, *, clients: int, seconds: float, workers: int):
    from benchmarks.common import free_port

    port = int(os.environ.get("BENCH_PORT", free_port()))
    paths = [f"/api/v1/register/?{urllib.parse.urlencode(p)}" for _, p in queries]
    counts, errors, latencies = [0] * clients, [0] * clients, [[] for _ in range(clients)]
    with gunicorn(env, port=port, workers=workers) as base:
        host = urllib.parse.urlparse(base)
        stop_at = [0.0]

        def run(index: int) -> None:
            rng = random.Random(index)
            conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
            while time.perf_counter() < stop_at[0]:
                path = rng.choice(paths)
                started = time.perf_counter()
                try:
                    conn.request("GET", path)
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn.close()
                    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
                latencies[index].append(time.perf_counter() - started)
                counts[index] += ok
                errors[index] += not ok
            conn.close()

        # Warm every worker before the clock starts.
        stop_at[0] = time.perf_counter() + 3
        warm = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
        [t.start() for t in warm]
        [t.join() for t in warm]
        counts[:], errors[:] = [0] * clients, [0] * clients
        latencies[:] = [[] for _ in range(clients)]
        started = time.perf_counter()
        stop_at[0] = started + seconds
        threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        elapsed = time.perf_counter() - started
    all_latencies = [x for xs in latencies for x in xs]
    return {
        "clients": clients,
        "gunicorn_workers": workers,
        "seconds": elapsed,
        "requests": sum(counts),
        "errors": sum(errors),
        "per_second": sum(counts) / elapsed,
        **summary_ms(all_latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registrants", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1500)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--fresh", action="store_true", help="drop and reload the benchmark database")
    args = parser.parse_args()

    prepare_database(DATABASE, args.registrants, fresh=args.fresh)
    env = bench_env(DATABASE)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registration_registerentry")
        loaded = cursor.fetchone()[0]
    queries = build_queries(args.queries, random.Random(2020))
    api, sql, overhead = measure_in_process(queries)
    rows = []
    for kind, _ in MIX:
        a, s = summary_ms(api[kind]), summary_ms(sql[kind])
        rows.append([kind, a["n"], a["median_ms"], a["p95_ms"], s["median_ms"], s["p95_ms"]])
    print(f"\nMachine: {machine()}; register: {loaded:,} entries; {len(queries):,} searches")
    print_table(
        "Latency (ms): the public search API in process, and its raw SQL",
        ["search", "n", "API median", "API p95", "SQL median", "SQL p95"],
        rows,
    )
    median_overhead = statistics.median(overhead) * 1000
    print(f"\nAPI median overhead over raw SQL: {median_overhead:.2f} ms")
    # The same name searches with the per-process cache of each word's nearest names switched off,
    # so every search pays the vocabulary look-up (the worst case: a process that has just started).
    from registration import selectors

    ttl, selectors.NEIGHBOURS_TTL = selectors.NEIGHBOURS_TTL, -1.0
    cold_api, cold_sql, _ = measure_in_process([q for q in queries if q[0] == "name"])
    selectors.NEIGHBOURS_TTL = ttl
    cold_a, cold_s = summary_ms(cold_api["name"]), summary_ms(cold_sql["name"])
    print_table(
        "Name searches with the name-neighbour cache off (every search looks up the vocabulary)",
        ["search", "n", "API median", "API p95", "SQL median", "SQL p95"],
        [["name, cold", cold_a["n"], cold_a["median_ms"], cold_a["p95_ms"], cold_s["median_ms"], cold_s["p95_ms"]]],
    )
    throughput = measure_throughput(env, queries, clients=args.clients, seconds=args.seconds, workers=args.workers)
    print_table(
        "Throughput: gunicorn, mixed searches (60% name, 30% number, 10% town)",
        ["clients", "workers", "requests", "errors", "per second", "median ms", "p95 ms"],
        [
            [
                throughput["clients"],
                throughput["gunicorn_workers"],
                throughput["requests"],
                throughput["errors"],
                throughput["per_second"],
                throughput["median_ms"],
                throughput["p95_ms"],
            ]
        ],
    )
    targets = {
        "name p95 < 25 ms": summary_ms(api["name"])["p95_ms"] < 25,
        "number p95 < 5 ms": summary_ms(api["number"])["p95_ms"] < 5,
        "API median overhead < 5 ms": median_overhead < 5,
        ">= 150 searches/s": throughput["per_second"] >= 150 and throughput["errors"] == 0,
    }
    print_table("Targets", ["target", "met"], [[k, "yes" if v else "NO"] for k, v in targets.items()])
    path = save_results(
        "register_search",
        {
            "registrants": loaded,
            "latency_api": {k: summary_ms(v) for k, v in api.items()},
            "latency_sql": {k: summary_ms(v) for k, v in sql.items()},
            "median_overhead_ms": median_overhead,
            "latency_name_cold": {"api": cold_a, "sql": cold_s},
            "throughput": throughput,
            "targets": targets,
        },
    )
    print(f"\nSaved {path}")


if __name__ == "__main__":
    main()
