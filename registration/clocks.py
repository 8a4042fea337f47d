"""Registration's timers, derived from event rows and the working-day calendar, in one place.

- The service standard (kpis.md REG1, the `uk_application` / `restoration_application` rows of the
  service standards table): an application is due 10 working days after `received`, not counting
  the working days between each `info_requested` and its `info_received`. Every new application is
  measured by the UK standard until the other routes are given their own.
- The appeal right: 28 calendar days from a refusal or a removal.
- The registration year and the renewal window (settings: REGISTRATION_RENEWAL_WINDOW_*).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from regulator.models import ServiceStandard
from regulator.service_standards import due_on, target
from regulator.working_days import local_date, wd

Code = ServiceStandard.Code
APPEAL_PERIOD_DAYS = 28  # an appeal may be lodged within 28 calendar days of the decision

STOPPING_EVENTS = frozenset({"approved", "refused", "withdrawn"})


@dataclass(frozen=True)
class ApplicationClock:
    received_on: dt.date | None
    paused_working_days: int
    paused_since: dt.date | None  # awaiting the applicant since this date
    stopped_on: dt.date | None  # the decision (or withdrawal)
    due_on: dt.date | None
    age_working_days: int | None  # working days counted against the standard so far (pauses excluded)
    standard: ServiceStandard | None = None  # the rule in force when the clock started
    closed_paused_working_days: int = 0  # the pauses that have ended (the kept timer counts an open one itself)

    @property
    def overdue(self) -> bool:
        # age > target exactly when the end day is after due_on (wd is monotone; pauses on both sides)
        return self.age_working_days is not None and self.standard is not None and (
            self.age_working_days > self.standard.amount
        )

    @property
    def paused(self) -> bool:
        return self.paused_since is not None


NOT_STARTED = ApplicationClock(None, 0, None, None, None, None)


def standard_code(kind: str) -> str:
    return Code.RESTORATION_APPLICATION if kind == "restoration" else Code.UK_APPLICATION


def application_clock(
    events: Iterable[tuple[str, dt.datetime]], *, today: dt.date | None = None, kind: str = "new"
) -> ApplicationClock:
    """The clock of one application (of `kind`, new or restoration) from its (event, at) pairs."""
    today = today or timezone.localdate()
    received_on = paused_since = stopped_on = None
    paused = 0
    for name, at in sorted(events, key=lambda pair: pair[1]):
        on = local_date(at)
        if name == "received" and received_on is None:
            received_on = on
        elif name == "info_requested" and paused_since is None and stopped_on is None:
            paused_since = on
        elif name == "info_received" and paused_since is not None:
            paused += wd(paused_since, on)
            paused_since = None
        elif name in STOPPING_EVENTS and stopped_on is None:
            stopped_on = on
    if received_on is None:
        return NOT_STARTED
    end = stopped_on or today
    closed = paused
    if paused_since is not None:
        paused += wd(paused_since, max(end, paused_since))
        if stopped_on is not None:
            paused_since = None  # decided while paused: the pause ends with the decision
            closed = paused
    rule = target(standard_code(kind), on=received_on)
    if not rule.pauses_excluded:
        paused = closed = 0
    age = max(wd(received_on, end) - paused, 0)
    due = due_on(rule, received_on, paused_working_days=paused)
    return ApplicationClock(received_on, paused, paused_since, stopped_on, due, age, rule, closed)


def application_clocks(application_ids: Iterable[int], *, today: dt.date | None = None) -> dict[int, ApplicationClock]:
    """The clocks of many applications in one query (the queue's bulk pass: no query per row)."""
    from .models import ApplicationEvent

    ids = list(application_ids)
    if not ids:
        return {}
    events: dict[int, list[tuple[str, dt.datetime]]] = defaultdict(list)
    kinds: dict[int, str] = {}
    rows = ApplicationEvent.objects.filter(
        application_id__in=ids, event__in=["received", "info_requested", "info_received", *STOPPING_EVENTS]
    ).values_list("application_id", "event", "at", "application__kind")
    for application_id, name, at, kind in rows:
        events[application_id].append((name, at))
        kinds[application_id] = kind
    return {i: application_clock(events.get(i, ()), today=today, kind=kinds.get(i, "new")) for i in ids}


def appeal_deadline(decided_on: dt.date) -> dt.date:
    return decided_on + dt.timedelta(days=APPEAL_PERIOD_DAYS)


# --- The registration year and the renewal window ---


def registration_year_ends(on: dt.date) -> dt.date:
    """The last day of the registration year that contains `on` (the window's closing day)."""
    month, day = settings.REGISTRATION_RENEWAL_WINDOW_CLOSES
    end = dt.date(on.year, month, day)
    return end if on <= end else dt.date(on.year + 1, month, day)


def registration_year_starts(year_ends: dt.date) -> dt.date:
    previous = dt.date(year_ends.year - 1, year_ends.month, year_ends.day)
    return previous + dt.timedelta(days=1)


@dataclass(frozen=True)
class RenewalWindow:
    opens: dt.date
    closes: dt.date
    year_ends: dt.date  # the registration year being renewed from (its last day)

    def is_open(self, on: dt.date) -> bool:
        return self.opens <= on <= self.closes

    @property
    def next_year_ends(self) -> dt.date:
        return dt.date(self.year_ends.year + 1, self.year_ends.month, self.year_ends.day)


def renewal_window(on: dt.date | None = None) -> RenewalWindow:
    """The renewal window of the registration year containing `on` (open or not yet open)."""
    on = on or timezone.localdate()
    year_ends = registration_year_ends(on)
    month, day = settings.REGISTRATION_RENEWAL_WINDOW_OPENS
    opens = dt.date(year_ends.year, month, day)
    if opens > year_ends:  # a window that opens in the year before its close (configurable dates)
        opens = dt.date(year_ends.year - 1, month, day)
    return RenewalWindow(opens=opens, closes=year_ends, year_ends=year_ends)


def working_days_between(a: dt.datetime | dt.date, b: dt.datetime | dt.date) -> int:
    """For misuse-of-title and email timings: wd() on instants, through the one calendar."""
    return wd(local_date(a), local_date(b))


def weeks_between(a: dt.datetime, b: dt.datetime) -> float:
    """Appeals: weeks to conclude, in calendar time."""
    return round((local_date(b) - local_date(a)).days / 7, 1)
