"""Computed KPI months, kept in `KpiMonth` and never served stale (decision 0721).

A month's figures are computed once and kept. Every event table the KPIs read has a PostgreSQL
trigger (migration regulator 0003) that, in the writing transaction, deletes the kept months the
write can change: the month of the earliest row written and every later one, for the KPIs that
read that table. So an import, a late event, a corrected date or a bulk load is seen by the next
request, whichever code path wrote it (services, bulk writers, COPY, SQL by hand).

The race between a request computing months and a writer committing events is closed by one
advisory lock: writers take it shared (they never wait for each other), a request keeps what it
computed only if it took the lock exclusively before computing; otherwise (a writer is mid-
transaction: an import running) it serves what it computed without keeping it. `rules` fingerprints
the KPI code and the calendar, so a deployment that changes a rule recomputes every month.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import zlib
from collections.abc import Callable, Iterable
from functools import cache
from importlib import import_module

from django.db import connection, transaction
from django.utils import timezone

from .kpis import Month
from .models import KpiMonth

LOCK_KEY = zlib.crc32(b"regulator.kpi_months")  # the migration's literal; a test checks they agree

Key = tuple[str, dt.date]


@cache
def rules_fingerprint(modules: tuple[str, ...]) -> str:
    """A hash of the modules that compute the KPIs and of the bank holidays they count by."""
    from .working_days import weekday_bank_holidays

    digest = hashlib.sha1(usedforsecurity=False)
    for name in sorted(modules):
        digest.update(inspect.getsource(import_module(name)).encode())
    digest.update(repr(weekday_bank_holidays()).encode())
    return digest.hexdigest()


def read(codes: Iterable[str], months: Iterable[dt.date], rules: str) -> dict[Key, Month]:
    """The kept months among those asked for, computed by the current rules (one query)."""
    rows = KpiMonth.objects.filter(code__in=list(codes), month__in=list(months), rules=rules).values_list(
        "code", "month", "met", "population", "value"
    )
    return {(code, month): Month(month, met, population, value) for code, month, met, population, value in rows}


def compute_and_keep(compute: Callable[[], dict[Key, Month]], rules: str) -> dict[Key, Month]:
    """Run `compute` and keep its months, unless an event writer is mid-transaction (then the
    months are served fresh and kept by a later request)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            # the statements are a few hundred thousand rows of window functions: compiling them
            # (JIT, 0.6 s) costs more than it saves, and their sorts should stay in memory
            cursor.execute(
                "SELECT pg_try_advisory_xact_lock(%s), set_config('jit', 'off', true),"
                " set_config('work_mem', '64MB', true)",
                [LOCK_KEY],
            )
            locked = cursor.fetchone()[0]
        computed = compute()  # after the lock: every writer before it has committed, none can start
        if locked and computed:
            now = timezone.now()
            KpiMonth.objects.bulk_create(
                [
                    KpiMonth(
                        code=code,
                        month=month,
                        met=m.met,
                        population=m.population,
                        value=m.value,
                        rules=rules,
                        computed_at=now,
                    )
                    for (code, month), m in computed.items()
                ],
                update_conflicts=True,
                unique_fields=["code", "month"],
                update_fields=["met", "population", "value", "rules", "computed_at"],
            )
    return computed
