"""Fitness to practise KPIs (kpis.md TRI1-CE3), month by month, from CaseEvent rows, in SQL.

kpis.md reads a case's events on their Europe/London dates and, within one date, in workflow order
(`WORKFLOW`, interchange.md's order): clock times inside a day never reorder them. PostgreSQL puts
each case's events in that order with window functions and pairs every closing event with the
latest start event before it; working days come from a calendar built in the same statement from
`regulator.working_days` (the one calendar: its bank holidays are a parameter, decision 0720).

- `closing_months` (TRI1, TRI2, TRI4, INV2, CE1, CE2, CE3): one statement over the histories of the
  cases with a closing event in the months asked for, shared by all seven.
- `snapshot_months` (TRI3, INV1): the cases open in triage and the investigation passes open at
  each month end, in one statement.
- `inv3_months`: one conditional aggregation.

Passes: the triage decision is the first `triage_closed` or `referred_to_investigation` after each
`social_worker_identified`; any later `referred_to_investigation` (a return from case examiners, as
an imported history writes it) opens a new investigation pass but is not a triage decision. The
product's own return (`returned_for_investigation`) opens a pass likewise. A closing event with no
start event before it is never a population member.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from django.db import connection
from django.db.models import Count, Min, Q

from registration.models import Origin
from regulator.kpi_months import calendar_sql, end_instants, from_counts, month_end, sql_params
from regulator.kpis import Month

from .models import CaseEvent, FitnessToPractiseCase

K = CaseEvent.Kind

TRI1_CALENDAR_DAYS = 28  # through triage within 28 days of establishing the case concerns a social worker
TRI2_WORKING_DAYS = 10  # initial review and streaming within 10 working days
INV2_CALENDAR_MONTHS = 6  # SWE cases to case examiners within 6 calendar months of the pass's start
CE1_WORKING_DAYS = 10  # case examiners' initial decision within 10 working days

# interchange.md's order of a case's events; the product's return for investigation follows the
# case examiners' initial decision that it comes with.
WORKFLOW: tuple[str, ...] = (
    K.CONCERN_RECEIVED,
    K.SOCIAL_WORKER_IDENTIFIED,
    K.INITIAL_REVIEW_COMPLETED,
    K.TRIAGE_CLOSED,
    K.REFERRED_TO_INVESTIGATION,
    K.INVESTIGATION_CLOSED,
    K.REFERRED_TO_CASE_EXAMINERS,
    K.CASE_EXAMINER_INITIAL_DECISION,
    K.RETURNED_FOR_INVESTIGATION,
    K.CASE_EXAMINER_NO_FURTHER_ACTION,
    K.CASE_EXAMINER_ACCEPTED_DISPOSAL,
    K.REFERRED_TO_HEARING,
    K.INTERIM_ORDER_NEED_IDENTIFIED,
    K.INTERIM_ORDER_DECISION,
    K.INTERIM_ORDER_REVIEW,
    K.HEARING_ADJOURNED,
    K.HEARING_CONCLUDED,
    K.SUBSTANTIVE_ORDER_REVIEW,
    K.CASE_CLOSED,
)

TRIAGE_DECISIONS = (K.TRIAGE_CLOSED, K.REFERRED_TO_INVESTIGATION)
INVESTIGATION_STARTS = (K.REFERRED_TO_INVESTIGATION, K.RETURNED_FOR_INVESTIGATION)
INVESTIGATION_ENDS = (K.INVESTIGATION_CLOSED, K.REFERRED_TO_CASE_EXAMINERS)
CASE_EXAMINER_OUTCOMES = (K.CASE_EXAMINER_NO_FURTHER_ACTION, K.CASE_EXAMINER_ACCEPTED_DISPOSAL, K.REFERRED_TO_HEARING)
CLOSING_CODES = ("TRI1", "TRI2", "TRI4", "INV2", "CE1", "CE2", "CE3")
SNAPSHOT_CODES = ("TRI3", "INV1")

_CLOSING = (K.INITIAL_REVIEW_COMPLETED, *TRIAGE_DECISIONS, K.REFERRED_TO_CASE_EXAMINERS,
            K.CASE_EXAMINER_INITIAL_DECISION, *CASE_EXAMINER_OUTCOMES)  # fmt: skip
_READ = (K.SOCIAL_WORKER_IDENTIFIED, *_CLOSING, K.RETURNED_FOR_INVESTIGATION)


def _events_sql(cases_sql: str) -> str:
    """`ev`: each case's events of %(read)s before %(end)s, with their London date and workflow step.
    Windows order them by (day, step, at, id): kpis.md's order, clock time and id breaking ties only
    between events of one kind on one day. `key` orders events of different kinds by (day, step)
    alone, so a running max of it compares the positions of two kinds in one window pass."""
    return f"""
    ev AS (
        SELECT e.case_id, e.kind, e.id, e.at, c.origin, d.day, d.step,
               (d.day - date '2000-01-01') * 100 + d.step AS key
        FROM {CaseEvent._meta.db_table} e
        JOIN {FitnessToPractiseCase._meta.db_table} c ON c.id = e.case_id
        CROSS JOIN LATERAL (
            SELECT (e.at AT TIME ZONE 'Europe/London')::date AS day,
                   array_position(%(workflow)s::text[], e.kind::text) AS step
        ) d
        WHERE e.kind = ANY(%(read)s) AND e.at < %(end)s AND e.case_id IN ({cases_sql})
    )"""


_IN_ORDER = "PARTITION BY case_id ORDER BY day, step, at, id"


@cache
def _closing_sql() -> str:
    cases = (
        f"SELECT case_id FROM {CaseEvent._meta.db_table}"
        " WHERE kind = ANY(%(closing)s) AND at >= %(start)s AND at < %(end)s"
    )
    return f"""
    WITH {_events_sql(cases)},
    walked AS (
        SELECT ev.*,
            max(key) FILTER (WHERE kind = 'social_worker_identified') OVER upto AS identified_key,
            max(day) FILTER (WHERE kind = 'social_worker_identified') OVER upto AS identified_on,
            max(key) FILTER (WHERE kind = ANY(%(triage_decisions)s)) OVER before AS decision_key_before,
            max(day) FILTER (WHERE kind = ANY(%(investigation_starts)s)) OVER before AS investigation_on,
            max(day) FILTER (WHERE kind = 'referred_to_case_examiners') OVER before AS case_examiners_on
        FROM ev
        WINDOW upto AS ({_IN_ORDER} ROWS UNBOUNDED PRECEDING),
               before AS ({_IN_ORDER} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ),
    -- each closing event in the months, the KPI it counts for and the day its pass started
    closings AS (
        SELECT * FROM (
            SELECT day, kind,
                CASE
                    WHEN kind = ANY(%(triage_decisions)s) THEN CASE WHEN identified_key IS NOT NULL
                        AND (decision_key_before IS NULL OR decision_key_before < identified_key) THEN 'TRI1' END
                    WHEN kind = 'initial_review_completed' THEN CASE WHEN identified_on IS NOT NULL THEN 'TRI2' END
                    WHEN kind = 'referred_to_case_examiners' THEN
                        CASE WHEN investigation_on IS NOT NULL AND origin = 'swe' THEN 'INV2' END
                    WHEN kind = 'case_examiner_initial_decision' THEN
                        CASE WHEN case_examiners_on IS NOT NULL THEN 'CE1' END
                    WHEN kind = ANY(%(outcomes)s) THEN CASE WHEN case_examiners_on IS NOT NULL
                        THEN CASE origin WHEN 'hcpc' THEN 'CE2' ELSE 'CE3' END END
                END AS code,
                CASE
                    WHEN kind = ANY(%(triage_decisions)s) OR kind = 'initial_review_completed' THEN identified_on
                    WHEN kind = 'referred_to_case_examiners' THEN investigation_on
                    ELSE case_examiners_on
                END AS started_on
            FROM walked WHERE day >= %(first_day)s
        ) AS classified
        WHERE code IS NOT NULL
    ),
    {calendar_sql("(SELECT min(started_on) FROM closings)")}
    SELECT code, date_trunc('month', c.day)::date AS month, count(*) AS population,
        count(*) FILTER (WHERE CASE code
            WHEN 'TRI1' THEN c.day - c.started_on <= %(tri1_days)s
            WHEN 'TRI2' THEN closed.n - started.n <= %(tri2_working_days)s
            WHEN 'INV2' THEN c.day <= (c.started_on + make_interval(months => %(inv2_months)s))::date
            WHEN 'CE1' THEN closed.n - started.n <= %(ce1_working_days)s
            ELSE c.kind = 'referred_to_hearing'
        END) AS met,
        count(*) FILTER (WHERE code = 'TRI1' AND c.kind = 'triage_closed') AS closed_at_triage
    FROM closings c
    JOIN calendar started ON started.d = c.started_on
    JOIN calendar closed ON closed.d = c.day
    GROUP BY 1, 2
    """


def closing_months(months: Sequence[dt.date]) -> dict[str, list[Month]]:
    """TRI1, TRI2, TRI4, INV2, CE1, CE2 and CE3 for the months, from one statement."""
    params = {
        **sql_params(months),
        "workflow": list(WORKFLOW),
        "read": list(_READ),
        "closing": list(_CLOSING),
        "triage_decisions": list(TRIAGE_DECISIONS),
        "investigation_starts": list(INVESTIGATION_STARTS),
        "outcomes": list(CASE_EXAMINER_OUTCOMES),
        "tri1_days": TRI1_CALENDAR_DAYS,
        "tri2_working_days": TRI2_WORKING_DAYS,
        "inv2_months": INV2_CALENDAR_MONTHS,
        "ce1_working_days": CE1_WORKING_DAYS,
    }
    found: dict[tuple[str, dt.date], tuple[int, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_closing_sql(), params)
        for code, month, population, met, closed_at_triage in cursor.fetchall():
            found[code, month] = (met, population)
            if code == "TRI1":
                found["TRI4", month] = (closed_at_triage, population)
    return {
        code: [
            Month(month=m, met=found.get((code, m), (0, 0))[0], population=found.get((code, m), (0, 0))[1])
            for m in months
        ]
        for code in CLOSING_CODES
    }


@cache
def _snapshot_sql() -> str:
    """Episodes open at each month end. A triage episode opens at the first social_worker_identified
    after the last triage decision and closes at the next triage decision; an investigation pass
    opens at the first start after the last end and closes at the next end. Rows are grouped by the
    number of closing events before them: a group's closing event is its last row."""
    cases = f"SELECT case_id FROM {CaseEvent._meta.db_table} WHERE kind = ANY(%(starts)s) AND at < %(end)s"
    return f"""
    WITH {_events_sql(cases)},
    grouped AS (
        SELECT ev.*,
            count(*) FILTER (WHERE kind = ANY(%(triage_decisions)s)) OVER before AS decisions_before,
            count(*) FILTER (WHERE kind = ANY(%(investigation_ends)s)) OVER before AS ends_before
        FROM ev
        WINDOW before AS ({_IN_ORDER} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ),
    episodes AS (
        SELECT 'TRI3' AS code,
            min(day) FILTER (WHERE kind = 'social_worker_identified') AS opened_on,
            min(day) FILTER (WHERE kind = ANY(%(triage_decisions)s)) AS closed_on
        FROM grouped GROUP BY case_id, decisions_before
        UNION ALL
        SELECT 'INV1',
            min(day) FILTER (WHERE kind = ANY(%(investigation_starts)s)),
            min(day) FILTER (WHERE kind = ANY(%(investigation_ends)s))
        FROM grouped GROUP BY case_id, ends_before
    ),
    ends AS (SELECT unnest(%(month_ends)s::date[]) AS last_day)
    SELECT code, last_day, count(*)
    FROM episodes JOIN ends ON opened_on <= last_day AND (closed_on IS NULL OR closed_on > last_day)
    WHERE opened_on IS NOT NULL AND (closed_on IS NULL OR closed_on > %(first_month_end)s)
    GROUP BY 1, 2
    """


def snapshot_months(months: Sequence[dt.date]) -> dict[str, list[Month]]:
    """TRI3 and INV1: counts at the end of each month's last day (London dates), one statement."""
    params = {
        **sql_params(months),
        "workflow": list(WORKFLOW),
        "read": [K.SOCIAL_WORKER_IDENTIFIED, *TRIAGE_DECISIONS, *INVESTIGATION_STARTS, *INVESTIGATION_ENDS],
        "starts": [K.SOCIAL_WORKER_IDENTIFIED, *INVESTIGATION_STARTS],
        "triage_decisions": list(TRIAGE_DECISIONS),
        "investigation_starts": list(INVESTIGATION_STARTS),
        "investigation_ends": list(INVESTIGATION_ENDS),
        "month_ends": [month_end(m) for m in months],
        "first_month_end": month_end(months[0]),
    }
    counts: dict[str, dict[dt.date, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(_snapshot_sql(), params)
        for code, last_day, n in cursor.fetchall():
            counts[code][last_day] = n
    return {
        code: [Month(month=m, value=float(counts[code].get(month_end(m), 0))) for m in months]
        for code in SNAPSHOT_CODES
    }


def tri1_months(months: Sequence[dt.date]) -> list[Month]:
    """Triage decisions in the month; met within 28 calendar days of social_worker_identified."""
    return closing_months(months)["TRI1"]


def tri2_months(months: Sequence[dt.date]) -> list[Month]:
    """Initial reviews completed in the month; met within 10 working days of social_worker_identified."""
    return closing_months(months)["TRI2"]


def tri3_months(months: Sequence[dt.date]) -> list[Month]:
    """Open cases in triage at each month end: social worker identified, no triage decision yet."""
    return snapshot_months(months)["TRI3"]


def tri4_months(months: Sequence[dt.date]) -> list[Month]:
    """Triage decisions in the month; met when the decision is to close the case at triage."""
    return closing_months(months)["TRI4"]


def inv1_months(months: Sequence[dt.date]) -> list[Month]:
    """Open investigation passes at each month end."""
    return snapshot_months(months)["INV1"]


def inv2_months(months: Sequence[dt.date]) -> list[Month]:
    """SWE cases referred to case examiners in the month; met on or before the pass's start plus
    6 calendar months."""
    return closing_months(months)["INV2"]


def inv3_months(months: Sequence[dt.date]) -> list[Month]:
    """Cumulative at each month end: HCPC cases referred to investigation by then, met when closed
    at investigation or referred to case examiners by then (London dates: an event counts by the
    end of its day, so the order of clock times inside a day does not matter)."""
    cases = FitnessToPractiseCase.objects.filter(origin=Origin.HCPC).annotate(
        referred_at=Min("events__at", filter=Q(events__kind=K.REFERRED_TO_INVESTIGATION)),
        progressed_at=Min("events__at", filter=Q(events__kind__in=INVESTIGATION_ENDS)),
    )
    counts = {}
    for i, end in enumerate(end_instants(months)):
        counts[f"population_{i}"] = Count("pk", filter=Q(referred_at__lt=end))
        counts[f"met_{i}"] = Count("pk", filter=Q(referred_at__lt=end, progressed_at__lt=end))
    return from_counts(months, cases.aggregate(**counts))


def ce1_months(months: Sequence[dt.date]) -> list[Month]:
    """Case examiners' initial decisions in the month; met within 10 working days of the referral."""
    return closing_months(months)["CE1"]


def ce2_months(months: Sequence[dt.date]) -> list[Month]:
    """HCPC cases with a case examiner outcome in the month; 'met' (the share shown) is referred to a hearing."""
    return closing_months(months)["CE2"]


def ce3_months(months: Sequence[dt.date]) -> list[Month]:
    """The same for Social Work England cases."""
    return closing_months(months)["CE3"]
