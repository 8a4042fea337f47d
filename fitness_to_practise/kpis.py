"""Fitness to practise KPIs (kpis.md TRI1-CE3), month by month, from CaseEvent rows.

One query per KPI for the whole year. Counts are conditional aggregations in the database; the
timing rules (working days, 28 days, 6 calendar months) are measured in Python by
regulator.working_days over one bulk fetch of (closing event, its pass's start event).

A case that passes a stage twice is counted at each pass, each pass measured from its own start:
case examiners returning a case write `returned_for_investigation`, which starts a new
investigation pass (INV1, INV2) without counting as a triage decision (TRI1, TRI4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from itertools import groupby
from operator import itemgetter

from django.db.models import Count, Min, Q

from registration.models import Origin
from regulator.kpi_months import end_instants, from_counts, monthly_counts, tally, window
from regulator.kpis import Month
from regulator.working_days import add_calendar_months, cd, local_date, wd

from .models import CaseEvent, FitnessToPractiseCase

K = CaseEvent.Kind

TRI1_CALENDAR_DAYS = 28  # through triage within 28 days of establishing the case concerns a social worker
TRI2_WORKING_DAYS = 10  # initial review and streaming within 10 working days
INV2_CALENDAR_MONTHS = 6  # SWE cases to case examiners within 6 calendar months of the pass's start
CE1_WORKING_DAYS = 10  # case examiners' initial decision within 10 working days

TRIAGE_DECISIONS = (K.TRIAGE_CLOSED, K.REFERRED_TO_INVESTIGATION)
INVESTIGATION_STARTS = (K.REFERRED_TO_INVESTIGATION, K.RETURNED_FOR_INVESTIGATION)
INVESTIGATION_ENDS = (K.INVESTIGATION_CLOSED, K.REFERRED_TO_CASE_EXAMINERS)
CASE_EXAMINER_OUTCOMES = (K.CASE_EXAMINER_NO_FURTHER_ACTION, K.CASE_EXAMINER_ACCEPTED_DISPOSAL, K.REFERRED_TO_HEARING)


def _histories(kinds: Sequence[str], cases) -> Iterator[list[tuple[str, dt.datetime]]]:
    """Each case's events of `kinds`, in the order they happened (ties in the order written), from
    one query ordered by (case, at, id)."""
    rows = CaseEvent.objects.filter(kind__in=kinds, case_id__in=cases).order_by("case_id", "at", "pk")
    for _, history in groupby(rows.values_list("case_id", "kind", "at").iterator(chunk_size=5000), key=itemgetter(0)):
        yield [(kind, at) for _, kind, at in history]


def _closings_with_start(
    months: Sequence[dt.date], closing: Sequence[str], starts: Sequence[str], *, origin: str | None = None
) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """(closing event's at, the latest start event before it in the same case) for each closing
    event in the months: one query over the cases with a closing event in them."""
    start, end = window(months)
    closed = CaseEvent.objects.filter(kind__in=closing, at__gte=start, at__lt=end)
    if origin:
        closed = closed.filter(case__origin=origin)
    found: list[tuple[dt.datetime, dt.datetime | None]] = []
    for history in _histories([*closing, *starts], closed.values("case_id")):
        latest_start: dt.datetime | None = None
        for kind, at in history:
            if kind in closing and start <= at < end:
                found.append((at, latest_start))
            if kind in starts:
                latest_start = at
    return found


def tri1_months(months: Sequence[dt.date]) -> list[Month]:
    """Triage decisions in the month; met within 28 calendar days of social_worker_identified."""
    rows = _closings_with_start(months, TRIAGE_DECISIONS, (K.SOCIAL_WORKER_IDENTIFIED,))
    return tally(months, ((at, started is not None and cd(started, at) <= TRI1_CALENDAR_DAYS) for at, started in rows))


def tri2_months(months: Sequence[dt.date]) -> list[Month]:
    """Initial reviews completed in the month; met within 10 working days of social_worker_identified."""
    rows = _closings_with_start(months, (K.INITIAL_REVIEW_COMPLETED,), (K.SOCIAL_WORKER_IDENTIFIED,))
    return tally(months, ((at, started is not None and wd(started, at) <= TRI2_WORKING_DAYS) for at, started in rows))


def _end_of_month_counts(months: Sequence[dt.date], cases, opened: str, closed: str) -> list[Month]:
    """For each month end T: the cases `opened` before T and not `closed` before T (one query)."""
    counts = {}
    for i, end in enumerate(end_instants(months)):
        counts[f"value_{i}"] = Count(
            "pk", filter=Q(**{f"{opened}__lt": end}) & (Q(**{f"{closed}__isnull": True}) | Q(**{f"{closed}__gte": end}))
        )
    row = cases.aggregate(**counts)
    return [Month(month=m, value=float(row[f"value_{i}"])) for i, m in enumerate(months)]


def tri3_months(months: Sequence[dt.date]) -> list[Month]:
    """Open cases in triage at each month end: social worker identified, no triage decision yet."""
    cases = FitnessToPractiseCase.objects.annotate(
        identified_at=Min("events__at", filter=Q(events__kind=K.SOCIAL_WORKER_IDENTIFIED)),
        decided_at=Min("events__at", filter=Q(events__kind__in=TRIAGE_DECISIONS)),
    )
    return _end_of_month_counts(months, cases, "identified_at", "decided_at")


def tri4_months(months: Sequence[dt.date]) -> list[Month]:
    """Triage decisions in the month; met when the decision is to close the case at triage."""
    start, end = window(months)
    row = CaseEvent.objects.filter(kind__in=TRIAGE_DECISIONS, at__gte=start, at__lt=end).aggregate(
        **monthly_counts(months, "at", Q(), Q(kind=K.TRIAGE_CLOSED))
    )
    return from_counts(months, row)


def inv1_months(months: Sequence[dt.date]) -> list[Month]:
    """Open investigations at each month end: a pass starts at referred_to_investigation or
    returned_for_investigation and ends at the case's next investigation_closed or referral to
    case examiners. One ordered fetch of those events; the passes are counted in Python."""
    month_ends = end_instants(months)
    passes: list[tuple[dt.datetime, dt.datetime | None]] = []
    cases = CaseEvent.objects.filter(kind__in=INVESTIGATION_STARTS, at__lt=month_ends[-1]).values("case_id")
    for history in _histories([*INVESTIGATION_STARTS, *INVESTIGATION_ENDS], cases):
        opened = None
        for kind, at in history:
            if kind in INVESTIGATION_STARTS and opened is None:
                opened = at
            elif kind in INVESTIGATION_ENDS and opened is not None:
                passes.append((opened, at))
                opened = None
        if opened is not None:
            passes.append((opened, None))
    return [
        Month(month=m, value=float(sum(1 for s, e in passes if s < end and (e is None or e >= end))))
        for m, end in zip(months, month_ends, strict=True)
    ]


def inv2_months(months: Sequence[dt.date]) -> list[Month]:
    """SWE cases referred to case examiners in the month; met on or before the pass's start plus
    6 calendar months."""
    rows = _closings_with_start(months, (K.REFERRED_TO_CASE_EXAMINERS,), INVESTIGATION_STARTS, origin=Origin.SWE)
    return tally(
        months,
        (
            (
                at,
                started is not None
                and local_date(at) <= add_calendar_months(local_date(started), INV2_CALENDAR_MONTHS),
            )
            for at, started in rows
        ),
    )


def inv3_months(months: Sequence[dt.date]) -> list[Month]:
    """Cumulative at each month end: HCPC cases referred to investigation by then, met when closed
    at investigation or referred to case examiners by then."""
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
    rows = _closings_with_start(months, (K.CASE_EXAMINER_INITIAL_DECISION,), (K.REFERRED_TO_CASE_EXAMINERS,))
    return tally(months, ((at, started is not None and wd(started, at) <= CE1_WORKING_DAYS) for at, started in rows))


def _referred_to_hearing(months: Sequence[dt.date], origin: str) -> list[Month]:
    start, end = window(months)
    row = CaseEvent.objects.filter(
        kind__in=CASE_EXAMINER_OUTCOMES, case__origin=origin, at__gte=start, at__lt=end
    ).aggregate(**monthly_counts(months, "at", Q(), Q(kind=K.REFERRED_TO_HEARING)))
    return from_counts(months, row)


def ce2_months(months: Sequence[dt.date]) -> list[Month]:
    """HCPC cases with a case examiner outcome in the month; 'met' (the share shown) is referred to a hearing."""
    return _referred_to_hearing(months, Origin.HCPC)


def ce3_months(months: Sequence[dt.date]) -> list[Month]:
    """The same for Social Work England cases."""
    return _referred_to_hearing(months, Origin.SWE)
