"""Registration's KPIs (kpis.md REG1-REG3), month by month, from event rows: one query per KPI.

REG1 is one statement: London dates, workflow order, pauses and working days in SQL (the calendar
built from regulator.working_days, decision 0720). REG2 is a conditional aggregation; REG3 groups
the emails by (date received, date answered) in the database and measures the few date pairs with
regulator.working_days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from regulator.kpi_months import (
    calendar_sql,
    first_of_month,
    from_counts,
    from_pairs,
    monthly_counts,
    sql_params,
    window,
)
from regulator.kpis import Month
from regulator.working_days import LONDON, local_date, wd

from .models import Application, ApplicationEvent, ApplicationKind, ApplicationRoute, Call, EmailEnquiry

REG1_WORKING_DAYS = 10  # approved within 10 working days of receipt, pauses awaiting the applicant excluded
REG2_QUEUE_SECONDS = 300  # answered within 5 minutes of queueing
REG3_WORKING_DAYS = 5  # answered within 5 working days

# interchange.md's order of an application's events: within one London date, the order they are read in.
WORKFLOW: tuple[str, ...] = ("received", "info_requested", "info_received", "approved", "refused", "withdrawn")
_REG1_EVENTS = ("received", "info_requested", "info_received", "approved")


def reg1_working_days(events: Sequence[tuple[str, dt.datetime]]) -> tuple[dt.datetime, int] | None:
    """(approved at, working days counted) for one application's (event, at) pairs in kpis.md's
    order (London dates, then workflow order): wd(received, approved) less, for each pause,
    wd(info_requested, info_received). A pause runs from the first request after the clock last
    ran to the next info_received; a second request while paused does not restart it. The
    statement in `reg1_months` computes the same in SQL; this is its reference, used by tests."""
    received = approved = requested = None
    paused = 0
    ordered = sorted(events, key=lambda e: (local_date(e[1]), WORKFLOW.index(e[0])))  # stable: ties keep time order
    for name, at in ordered:
        if name == "received" and received is None:
            received = at
        elif name == "info_requested" and requested is None and approved is None:
            requested = at
        elif name == "info_received" and requested is not None and approved is None:
            paused += wd(requested, at)
            requested = None
        elif name == "approved" and approved is None:
            approved = at
    if received is None or approved is None:
        return None
    return approved, wd(received, approved) - paused


@cache
def _reg1_sql() -> str:
    events, applications = ApplicationEvent._meta.db_table, Application._meta.db_table
    return f"""
    WITH ev AS (
        SELECT e.application_id, e.event, e.id, e.at, d.day, d.step,
               (d.day - date '2000-01-01') * 100 + d.step AS key  -- orders events of different kinds
        FROM {events} e
        CROSS JOIN LATERAL (
            SELECT (e.at AT TIME ZONE 'Europe/London')::date AS day,
                   array_position(%(workflow)s::text[], e.event::text) AS step
        ) d
        WHERE e.event = ANY(%(read)s) AND e.at < %(end)s AND e.application_id IN (
            SELECT a.id FROM {applications} a JOIN {events} approved ON approved.application_id = a.id
            WHERE approved.event = 'approved' AND approved.at >= %(start)s AND approved.at < %(end)s
              AND a.kind = %(kind)s AND a.route = %(route)s AND NOT a.investigation_required)
    ),
    marked AS (
        SELECT ev.*,
            min(key) FILTER (WHERE event = 'approved') OVER (PARTITION BY application_id) AS approved_key,
            count(*) FILTER (WHERE event = 'info_received') OVER (
                PARTITION BY application_id ORDER BY day, step, at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            ) AS answers_before
        FROM ev
    ),
    -- the rows before the approval, grouped by the answers before them: a group's pause runs from
    -- its first request to its answer (the group's last row)
    pauses AS (
        SELECT application_id,
            min(day) FILTER (WHERE event = 'info_requested') AS requested_on,
            min(day) FILTER (WHERE event = 'info_received') AS answered_on
        FROM marked WHERE key < approved_key GROUP BY application_id, answers_before
    ),
    decided AS (
        SELECT application_id,
            min(day) FILTER (WHERE event = 'received' AND key < approved_key) AS received_on,
            min(day) FILTER (WHERE event = 'approved') AS approved_on
        FROM marked GROUP BY application_id
    ),
    {calendar_sql("(SELECT min(received_on) FROM decided)")},
    paused AS (
        SELECT p.application_id, sum(answered.n - requested.n) AS days
        FROM pauses p
        JOIN calendar requested ON requested.d = p.requested_on
        JOIN calendar answered ON answered.d = p.answered_on
        GROUP BY p.application_id
    )
    SELECT date_trunc('month', d.approved_on)::date AS month, count(*) AS population,
           count(*) FILTER (WHERE approved.n - received.n - coalesce(p.days, 0) <= %(working_days)s) AS met
    FROM decided d
    JOIN calendar received ON received.d = d.received_on
    JOIN calendar approved ON approved.d = d.approved_on
    LEFT JOIN paused p ON p.application_id = d.application_id
    WHERE d.approved_on >= %(first_day)s
    GROUP BY 1
    """


def reg1_months(months: Sequence[dt.date]) -> list[Month]:
    """UK new applications with no investigation required, by the London month of approval; one
    statement (London dates, workflow order and working days in SQL)."""
    params = {
        **sql_params(months),
        "workflow": list(WORKFLOW),
        "read": list(_REG1_EVENTS),
        "kind": ApplicationKind.NEW,
        "route": ApplicationRoute.UK,
        "working_days": REG1_WORKING_DAYS,
    }
    with connection.cursor() as cursor:
        cursor.execute(_reg1_sql(), params)
        found = {month: (met, population) for month, population, met in cursor.fetchall()}
    return from_pairs(months, found)


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
