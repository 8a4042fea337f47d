"""Registration's KPIs (kpis.md REG1-REG3), month by month, from event rows: one query per KPI.

Working days are counted by regulator.working_days (the one calendar) over a single bulk fetch of
the year's relevant rows; counts that need no calendar are done in the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from regulator.kpi_months import first_of_month, from_counts, monthly_counts, tally, window
from regulator.kpis import Month
from regulator.working_days import LONDON, wd

from .models import ApplicationEvent, ApplicationKind, ApplicationRoute, Call, EmailEnquiry

REG1_WORKING_DAYS = 10  # approved within 10 working days of receipt, pauses awaiting the applicant excluded
REG2_QUEUE_SECONDS = 300  # answered within 5 minutes of queueing
REG3_WORKING_DAYS = 5  # answered within 5 working days

_REG1_EVENTS = ("received", "info_requested", "info_received", "approved")


def reg1_working_days(events: Sequence[tuple[str, dt.datetime]]) -> tuple[dt.datetime, int] | None:
    """(approved at, working days counted) for one application's (event, at) pairs in time order:
    wd(received, approved) less wd(info_requested, info_received) for each request answered."""
    received = approved = requested = None
    paused = 0
    for name, at in events:
        if name == "received" and received is None:
            received = at
        elif name == "info_requested" and requested is None and approved is None:
            requested = at
        elif name == "info_received" and requested is not None:
            paused += wd(requested, at)
            requested = None
        elif name == "approved" and approved is None:
            approved = at
    if received is None or approved is None:
        return None
    return approved, wd(received, approved) - paused


def reg1_months(months: Sequence[dt.date]) -> list[Month]:
    """UK new applications with no investigation required, by the month of approval."""
    start, end = window(months)
    approved_in_window = ApplicationEvent.objects.filter(event="approved", at__gte=start, at__lt=end).values(
        "application_id"
    )
    rows = (
        ApplicationEvent.objects.filter(
            application_id__in=approved_in_window,
            application__kind=ApplicationKind.NEW,
            application__route=ApplicationRoute.UK,
            application__investigation_required=False,
            event__in=_REG1_EVENTS,
        )
        .order_by("application_id", "at", "id")
        .values_list("application_id", "event", "at")
    )
    events: dict[int, list[tuple[str, dt.datetime]]] = defaultdict(list)
    for application_id, name, at in rows:
        events[application_id].append((name, at))
    timed = (reg1_working_days(history) for history in events.values())
    return tally(
        months,
        ((approved, days <= REG1_WORKING_DAYS) for approved, days in filter(None, timed) if start <= approved < end),
    )


def reg2_months(months: Sequence[dt.date]) -> list[Month]:
    """Calls received in the month, less those hung up before queueing; met when answered within 5 minutes."""
    start, end = window(months)
    population = ~Q(outcome=Call.Outcome.HUNG_UP_BEFORE_QUEUE)
    met = Q(outcome=Call.Outcome.ANSWERED, queue_seconds__lte=REG2_QUEUE_SECONDS)
    row = Call.objects.filter(received_at__gte=start, received_at__lt=end).aggregate(
        **monthly_counts(months, "received_at", population, met)
    )
    return from_counts(months, row)


def reg3_months(months: Sequence[dt.date]) -> list[Month]:
    """Emails received in the month; met when answered within 5 working days. Grouped in the
    database by (London date received, London date answered), so Python measures a few hundred
    date pairs a month rather than every email."""
    start, end = window(months)
    pairs = (
        EmailEnquiry.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(
            received_on=TruncDate("received_at", tzinfo=LONDON), responded_on=TruncDate("responded_at", tzinfo=LONDON)
        )
        .values_list("received_on", "responded_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    met: dict[dt.date, int] = defaultdict(int)
    population: dict[dt.date, int] = defaultdict(int)
    for received_on, responded_on, n in pairs:
        month = first_of_month(received_on)
        population[month] += n
        if responded_on is not None and wd(received_on, responded_on) <= REG3_WORKING_DAYS:
            met[month] += n
    return [Month(month=m, met=met[m], population=population[m]) for m in months]
