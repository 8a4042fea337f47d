"""The service-standard timers of every open work item, kept in the database (models.WorkTimer).

Two ways in, one derivation (decision 0822):
- `items_changed(kind, ids)`: a service that writes an item's event calls it (through the event
  models' post_save hook, regulator.apps); after the commit a Celery task runs `refresh(kind, ids)`,
  which reads the item's clocks from its app (`<app>/timers.py`, a source per kind) and writes the
  start, pauses and stop of each clock, with the standard in force on the day it started.
- `sweep()`: the nightly job. Under a PostgreSQL advisory lock, in one transaction, it brings the
  working-day table up to date, gives a timer to any open item that has none (bulk writers fire no
  hooks) and closes the timers of items no longer open, then derives every open timer's due date,
  elapsed days, state and breach from the working-day table in one UPDATE (SWEEP_SQL): set-based,
  idempotent (it writes only rows whose values change), and all or nothing if the worker dies.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet

from .models import ServiceStandard, TimerState, WorkingDay, WorkTimer
from .service_standards import target
from .transitions import today as today_in_london
from .working_days import LONDON, add_calendar_months, add_working_days, calendar_rows, is_working_day, wd

log = logging.getLogger(__name__)
SWEEP_LOCK = 0x5E_57_A1  # the advisory lock key of the sweep ("service standards")
Unit = ServiceStandard.Unit

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Spec:
    """One clock of one item as its events tell it: what the app knows, nothing derived."""

    clock: str  # a ServiceStandard.Code
    started_on: dt.date
    reference: str
    team: str
    owner_id: int | None = None
    stopped_on: dt.date | None = None
    paused_working_days: int = 0  # closed pauses only
    paused_since: dt.date | None = None
    extended: bool = False
    due_by: dt.date | None = None  # for a rule 'by the due date set on the record'


@dataclass(frozen=True)
class Source:
    """Where one kind of work item comes from: `specs(ids)` gives each item's clocks, `open_items()`
    is a queryset of the items a timer must watch (the sweep compares it with the timers)."""

    kind: str
    label: str
    specs: Callable[[list[int]], dict[int, list[Spec]]]
    open_items: Callable[[], QuerySet]
    url: Callable[[int], str] = field(default=lambda pk: "")


# kind -> the module that defines `SOURCES` (a list of Source); imported when first needed.
SOURCE_MODULES = ("registration.timers", "fitness_to_practise.timers", "complaints.timers", "education_qa.timers")
_sources: dict[str, Source] = {}


def sources() -> dict[str, Source]:
    if not _sources:
        for name in SOURCE_MODULES:
            for source in importlib.import_module(name).SOURCES:
                _sources[source.kind] = source
    return _sources


def connect_hooks() -> None:
    """Every save of an item's event (or of the item) queues its refresh after the commit: no
    service can forget to, and a service added later is covered (decision 0822). Bulk writers,
    which send no signal, call items_changed themselves or are caught up by the nightly sweep."""
    from django.apps import apps
    from django.db.models.signals import post_save

    for name in SOURCE_MODULES:
        for label, kind, attr in importlib.import_module(name).HOOKS:
            model = apps.get_model(label)

            def changed(sender, instance, raw=False, _kind=kind, _attr=attr, **kwargs):
                if not raw:  # loaddata: fixtures are history, the sweep catches them up
                    items_changed(_kind, [getattr(instance, _attr)])

            post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"timers:{label}")


# --- Changes to items: queued on commit ---


def items_changed(kind: str, ids: Iterable[int]) -> None:
    """After the current transaction commits, refresh these items' timers on the worker (at once
    outside a transaction; never when it rolls back). The task is idempotent, so an item changed
    twice in one transaction is simply refreshed twice."""
    if getattr(_hooks, "paused", False):
        return
    ids = sorted({int(i) for i in ids})
    if ids:
        transaction.on_commit(lambda: _queue(kind, ids))


_hooks = threading.local()


@contextmanager
def hooks_paused():
    """Queue no refreshes while a bulk load writes thousands of items (the demo seed); the caller
    then runs `sweep()`, whose catch-up gives every open item its timer in batches."""
    _hooks.paused = True
    try:
        yield
    finally:
        _hooks.paused = False


def _queue(kind: str, ids: list[int]) -> None:
    """Best effort, after the commit: with the broker away the action has still succeeded (it must not
    answer 500), and the nightly sweep derives every open item's timer again, so nothing is lost."""
    from celery.exceptions import Retry
    from kombu.exceptions import OperationalError as BrokerUnavailable

    from .tasks import refresh_timers

    for start in range(0, len(ids), 500):
        try:
            refresh_timers.delay(kind, ids[start : start + 500])
        except (BrokerUnavailable, Retry):  # no broker; or, run in process, the database went away (retryable)
            logger.warning("timers: refresh of %s %s not done now, left to the nightly sweep", len(ids), kind)
            return


# --- Writing the timers of some items (the on-commit task, and the sweep's catch-up) ---


@transaction.atomic
def refresh(kind: str, ids: Iterable[int], *, today: dt.date | None = None) -> int:
    """Write the timers of these items from their events, then derive their state. Idempotent."""
    ids = sorted({int(i) for i in ids})
    if not ids:
        return 0
    today = today or today_in_london()
    specs = sources()[kind].specs(ids)
    existing = {
        (t.item_id, t.clock): t for t in WorkTimer.objects.select_for_update().filter(kind=kind, item_id__in=ids)
    }
    keep: set[tuple[int, str]] = set()
    to_create, to_update = [], []
    for item_id in ids:
        for spec in specs.get(item_id, []):
            key = (item_id, str(spec.clock))
            keep.add(key)
            standard = target(spec.clock, on=spec.started_on)
            amount = standard.amount + ((standard.extension_amount or 0) if spec.extended else 0)
            due_by = standard.fixed_date if standard.unit == Unit.FIXED_DATE else spec.due_by
            values = {
                "standard_id": standard.pk,
                "reference": spec.reference[:40],
                "owner_id": spec.owner_id,
                "team": spec.team,
                "started_on": spec.started_on,
                "paused_working_days": spec.paused_working_days,
                "paused_since": spec.paused_since,
                "stopped_on": spec.stopped_on,
                "unit": standard.unit,
                "amount": amount,
                "due_by": due_by,
            }
            timer = existing.get(key)
            if timer is None:
                to_create.append(
                    WorkTimer(kind=kind, item_id=item_id, clock=spec.clock, due_on=spec.started_on, **values)
                )
            elif any(getattr(timer, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(timer, k, v)
                timer.computed_on = None  # derive again
                to_update.append(timer)
    gone = [t.pk for key, t in existing.items() if key not in keep]
    if gone:
        WorkTimer.objects.filter(pk__in=gone).delete()
    WorkTimer.objects.bulk_create(to_create)
    if to_update:
        WorkTimer.objects.bulk_update(to_update, [*values.keys(), "computed_on"])
    derive(today=today, kind=kind, item_ids=ids)
    return len(to_create) + len(to_update) + len(gone)


# --- The derivation, set-based, in one statement ---

# Every count reads the working-day table: wd(a, b) = ordinal(b) - ordinal(a); the day n working
# days after a is the working day whose ordinal is ordinal(a) + n. The same rules as
# regulator.service_standards.due_on and regulator.working_days (a test holds them together).
SWEEP_SQL = """/* regulator.timers.derive */
WITH today AS (
    SELECT day, ordinal FROM regulator_workingday WHERE day = %(today)s
), base AS (
    SELECT t.id, t.unit, t.started_on, t.stopped_on, t.amount, t.due_by, s.ends_on_working_day,
           cs.ordinal AS o_start, ce.ordinal AS o_end,
           CASE WHEN s.pauses_excluded
                THEN t.paused_working_days + COALESCE(GREATEST(ce.ordinal - cp.ordinal, 0), 0)
                ELSE 0 END AS paused,
           CASE t.unit
                WHEN 'calendar_days' THEN t.started_on + t.amount
                WHEN 'calendar_months' THEN (t.started_on + make_interval(months => t.amount))::date
                ELSE t.due_by END AS plain_due
    FROM regulator_worktimer t
    JOIN regulator_servicestandard s ON s.id = t.standard_id
    JOIN regulator_workingday cs ON cs.day = t.started_on
    JOIN regulator_workingday ce ON ce.day = COALESCE(t.stopped_on, %(today)s)
    LEFT JOIN regulator_workingday cp ON cp.day = t.paused_since
    WHERE {scope}
), due AS (
    SELECT b.id, b.stopped_on,
           CASE WHEN b.unit = 'working_days' THEN b.o_end - b.o_start - b.paused
                ELSE COALESCE(b.stopped_on, %(today)s) - b.started_on END AS elapsed,
           CASE WHEN b.unit = 'working_days' THEN wdue.day
                WHEN b.ends_on_working_day AND NOT cpd.is_working THEN roll.day
                ELSE b.plain_due END AS due_on
    FROM base b
    LEFT JOIN regulator_workingday wdue
           ON b.unit = 'working_days' AND wdue.is_working AND wdue.ordinal = b.o_start + b.amount + b.paused
    LEFT JOIN regulator_workingday cpd ON cpd.day = b.plain_due
    LEFT JOIN regulator_workingday roll ON roll.is_working AND roll.ordinal = cpd.ordinal + 1
), derived AS (
    SELECT d.id, d.due_on, d.elapsed,
           CASE WHEN d.stopped_on IS NOT NULL THEN
                     CASE WHEN d.stopped_on <= d.due_on THEN 'met' ELSE 'missed' END
                WHEN today.day > d.due_on THEN 'breached'
                WHEN cdue.ordinal - today.ordinal <= %(soon)s THEN 'due_soon'
                ELSE 'on_time' END AS state
    FROM due d
    CROSS JOIN today
    JOIN regulator_workingday cdue ON cdue.day = d.due_on
), final AS (
    SELECT x.*,
           CASE WHEN x.state IN ('breached', 'missed')
                THEN ((x.due_on + 1)::timestamp AT TIME ZONE 'Europe/London') END AS breached_at
    FROM derived x
)
UPDATE regulator_worktimer t
SET due_on = f.due_on, elapsed = f.elapsed, state = f.state, breached_at = f.breached_at,
    computed_on = %(today)s, updated_at = now()
FROM final f
WHERE t.id = f.id
  AND (t.due_on, t.elapsed, t.state, t.breached_at, t.computed_on)
      IS DISTINCT FROM (f.due_on, f.elapsed, f.state, f.breached_at, %(today)s::date)
"""


def derive(*, today: dt.date, kind: str | None = None, item_ids: list[int] | None = None) -> int:
    """Derive due date, elapsed days, state and breach of the timers in scope (every open timer
    when no items are given) for `today`. Returns how many rows changed."""
    if connection.vendor != "postgresql":  # the SQLite first run: the same rules, row by row
        scoped = WorkTimer.objects.filter(kind=kind, item_id__in=item_ids) if item_ids is not None else None
        return _derive_in_python(scoped if scoped is not None else WorkTimer.objects.filter(stopped_on=None), today)
    params: dict = {"today": today, "soon": settings.TIMERS_DUE_SOON_WORKING_DAYS}
    if item_ids is not None:
        scope = "t.kind = %(kind)s AND t.item_id = ANY(%(ids)s)"
        params.update(kind=kind, ids=list(item_ids))
    else:
        scope = "t.stopped_on IS NULL"
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            # JIT compiling this statement costs seconds and saves nothing on index lookups.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(SWEEP_SQL.format(scope=scope), params)
        return cursor.rowcount


def _derive_in_python(queryset: QuerySet[WorkTimer], today: dt.date) -> int:
    """SWEEP_SQL's rules in Python, for the embedded SQLite database of a first run (no calendar
    table arithmetic there); PostgreSQL always takes the set-based statement."""
    soon = settings.TIMERS_DUE_SOON_WORKING_DAYS
    changed = []
    for t in queryset.select_related("standard"):
        end = t.stopped_on or today
        paused = 0
        if t.standard.pauses_excluded:
            paused = t.paused_working_days + (max(wd(t.paused_since, end), 0) if t.paused_since else 0)
        if t.unit == Unit.WORKING_DAYS:
            due, elapsed = add_working_days(t.started_on, t.amount + paused), wd(t.started_on, end) - paused
        else:
            elapsed = (end - t.started_on).days
            if t.unit == Unit.CALENDAR_DAYS:
                due = t.started_on + dt.timedelta(days=t.amount)
            elif t.unit == Unit.CALENDAR_MONTHS:
                due = add_calendar_months(t.started_on, t.amount)
            else:
                due = t.due_by or t.started_on
            while t.standard.ends_on_working_day and t.unit != Unit.FIXED_DATE and not is_working_day(due):
                due += dt.timedelta(days=1)
        if t.stopped_on is not None:
            state = TimerState.MET if t.stopped_on <= due else TimerState.MISSED
        elif today > due:
            state = TimerState.BREACHED
        else:
            state = TimerState.DUE_SOON if wd(today, due) <= soon else TimerState.ON_TIME
        breached_at = None
        if state in (TimerState.BREACHED, TimerState.MISSED):
            breached_at = dt.datetime.combine(due + dt.timedelta(days=1), dt.time.min, tzinfo=LONDON)
        values = {"due_on": due, "elapsed": elapsed, "state": state, "breached_at": breached_at, "computed_on": today}
        if any(getattr(t, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(t, k, v)
            changed.append(t)
    WorkTimer.objects.bulk_update(changed, ["due_on", "elapsed", "state", "breached_at", "computed_on"])
    return len(changed)


# --- The nightly sweep ---


@dataclass
class SweepResult:
    today: dt.date
    calendar_days_changed: int = 0
    caught_up: dict[str, int] = field(default_factory=dict)
    derived: int = 0


def calendar_sync() -> int:
    """Bring the working-day table into line with regulator.working_days (a bank holiday added by
    the `holidays` package, or a missing year). Returns the days written."""
    wanted = {day: (working, ordinal) for day, working, ordinal in calendar_rows()}
    have = {
        day: (working, ordinal)
        for day, working, ordinal in WorkingDay.objects.values_list("day", "is_working", "ordinal")
    }
    changed = [WorkingDay(day=d, is_working=w, ordinal=o) for d, (w, o) in wanted.items() if have.get(d) != (w, o)]
    if changed:
        WorkingDay.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["day"],
            update_fields=["is_working", "ordinal"],
            batch_size=5000,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE regulator_workingday")  # the planner's row counts for the joins
    return len(changed)


def catch_up(today: dt.date) -> dict[str, int]:
    """Items open without a timer, and timers open on items no longer open (written in bulk, with no
    hook), are refreshed from their events: two anti-joins per kind, normally empty."""
    counts = {}
    for kind, source in sources().items():
        # NOT EXISTS, so PostgreSQL plans anti-joins (NOT IN over a large subquery can fall back to a
        # subplan per row when the hash of ids does not fit in work_mem).
        items = source.open_items()
        timers = WorkTimer.objects.filter(kind=kind)
        missing = list(items.filter(~Exists(timers.filter(item_id=OuterRef("pk")))).values_list("pk", flat=True))
        stale = list(
            timers.filter(stopped_on__isnull=True)
            .filter(~Exists(items.filter(pk=OuterRef("item_id"))))
            .values_list("item_id", flat=True)
            .distinct()
        )
        ids = sorted(set(missing) | set(stale))
        for start in range(0, len(ids), 1000):
            refresh(kind, ids[start : start + 1000], today=today)
        if ids:
            counts[kind] = len(ids)
    return counts


def sweep(*, today: dt.date | None = None) -> SweepResult:
    """The nightly sweep over every open item. Safe to run twice at once: the second waits for the
    lock and then finds nothing to change. All in one transaction: killed midway, nothing is kept."""
    today = today or today_in_london()
    result = SweepResult(today=today)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK])
        result.calendar_days_changed = calendar_sync()
        result.caught_up = catch_up(today)
        result.derived = derive(today=today)
    log.info("timers sweep %s: %s", today, result)
    return result


def open_timers() -> QuerySet[WorkTimer]:
    return WorkTimer.objects.filter(state__in=[TimerState.ON_TIME, TimerState.DUE_SOON, TimerState.BREACHED])


def timers_for_item(kind: str, item_id: int) -> list[WorkTimer]:
    """An item's kept timers with the rule that made each, for its page (one query)."""
    return list(
        WorkTimer.objects.filter(kind=kind, item_id=item_id).select_related("standard").order_by("started_on", "id")
    )
