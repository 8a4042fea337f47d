"""Fitness to practise's monthly metric table for the board (the first seed's rows), from CaseEvent rows.

Counts of events are one GROUP BY (month, kind) query; end-of-month caseloads are one statement
over each case's stage spells; averages of calendar days are taken over (start date, end date)
pairs counted in the database. The KPI-shaped rows (open in triage, closed at triage, within 28
days) are the KPIs' own monthly functions, so the table and the dashboard cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection
from django.db.models import Count, DateTimeField, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate

from registration.models import Origin
from regulator.dashboard import monthly_function
from regulator.kpi_months import end_instants, window
from regulator.metrics import (
    Metric,
    MetricTable,
    Unit,
    Values,
    as_values,
    counts_by_month,
    means,
    month_of,
    months_sql,
    share,
)
from regulator.working_days import LONDON, cd

from .kpis import INVESTIGATION_ENDS, INVESTIGATION_STARTS
from .models import CaseEvent, Concern, FitnessToPractiseCase

K = CaseEvent.Kind
COUNTED = (
    K.CONCERN_RECEIVED,
    K.SOCIAL_WORKER_IDENTIFIED,
    K.REFERRED_TO_INVESTIGATION,
    K.INVESTIGATION_CLOSED,
    K.HEARING_CONCLUDED,
    K.INTERIM_ORDER_DECISION,
    K.INTERIM_ORDER_REVIEW,
    K.SUBSTANTIVE_ORDER_REVIEW,
    K.HEARING_ADJOURNED,
    K.HEARING_PART_HEARD,
)
# A listed hearing ends its sitting adjourned, part-heard or concluded (hearing_adjourn, hearing_part_heard,
# hearing_conclude): the adjournment rate is adjourned sittings over all three.
HEARING_SITTINGS = (K.HEARING_ADJOURNED, K.HEARING_PART_HEARD, K.HEARING_CONCLUDED)

METRICS: tuple[Metric, ...] = (
    Metric("concerns_received", "Concerns received", Unit.COUNT,
           "Concerns received in the month: the `concern_received` events of cases, and the concerns not (yet) "
           "matched to a social worker (awaiting pre-triage or closed at pre-triage), by the date received."),
    Metric("referrals_identified", "Referrals received (social worker identified)", Unit.COUNT,
           "Concerns received in the month that were matched to a registered social worker (a case's "
           "`concern_received` events), by the date received."),
    Metric("awaiting_pre_triage", "Number of cases awaiting pre-triage at end of month", Unit.COUNT,
           "At the end of the month's last day: concerns received and neither matched to a social worker "
           "(`social_worker_identified`) nor closed at pre-triage."),
    Metric("pre_triage_average_days", "Average time to complete pre-triage (calendar days)", Unit.CALENDAR_DAYS,
           "Cases opened in the month: the mean calendar days from the case's first `concern_received` to "
           "`social_worker_identified`, with the concerns closed at pre-triage in the month (received to closed)."),
    Metric("cases_opened", "FTP cases opened", Unit.COUNT,
           "`social_worker_identified` events in the month (each opens a case)."),
    Metric("open_in_triage", "FTP cases open in triage at end of month", Unit.COUNT,
           "TRI3: cases with `social_worker_identified` and no triage decision by the end of the month."),
    Metric("closed_at_triage_percentage", "Percentage of cases closed at triage", Unit.PERCENTAGE,
           "TRI4: of the triage decisions in the month, the share that were `triage_closed`."),
    Metric("triage_within_28_days_percentage",
           "Percentage of cases taking 28 calendar days or less to complete triage", Unit.PERCENTAGE,
           "TRI1: of the triage decisions in the month, the share made within 28 calendar days of "
           "`social_worker_identified`."),
    Metric("entering_investigation", "Number of cases entering investigation from triage", Unit.COUNT,
           "`referred_to_investigation` events in the month."),
    Metric("in_investigation", "Number of cases in investigation stage at end of month", Unit.COUNT,
           "INV1: investigation passes open at the end of the month (started by `referred_to_investigation` or "
           "`returned_for_investigation`, not yet ended by `investigation_closed` or `referred_to_case_examiners`)."),
    Metric("in_investigation_swe", "Social Work England cases in investigation at end of month", Unit.COUNT,
           "The same, for cases of origin Social Work England."),
    Metric("in_investigation_hcpc", "HCPC cases in investigation at end of month", Unit.COUNT,
           "The same, for cases transferred from the HCPC."),
    Metric("closed_in_investigation", "Number of cases closed in investigation", Unit.COUNT,
           "`investigation_closed` events in the month."),
    Metric("hearings_concluded", "Substantive hearings concluded/final decisions made", Unit.COUNT,
           "`hearing_concluded` events in the month."),
    Metric("receipt_to_final_decision_average_days",
           "Average calendar days from receipt of concern to final hearing decision", Unit.CALENDAR_DAYS,
           "Hearings concluded in the month: the mean calendar days from the case's first `concern_received` "
           "(or, with none, `social_worker_identified`) to `hearing_concluded`."),
    Metric("interim_order_decisions", "Interim order application hearings held/decisions made", Unit.COUNT,
           "`interim_order_decision` events in the month."),
    Metric("interim_order_average_days", "Average calendar days from need for interim order identified to decision",
           Unit.CALENDAR_DAYS,
           "Interim order decisions in the month: the mean calendar days from the latest "
           "`interim_order_need_identified` before the decision."),
    Metric("interim_order_reviews", "Interim order reviews held/decisions made", Unit.COUNT,
           "`interim_order_review` events in the month."),
    Metric("substantive_order_reviews", "Substantive order reviews held/decisions made", Unit.COUNT,
           "`substantive_order_review` events in the month."),
    Metric("hearing_adjournment_rate", "Hearing adjournment rate (new KPI)", Unit.PERCENTAGE,
           "Of the listed hearings that sat in the month (ended adjourned, part-heard or concluded: "
           "`hearing_adjourned`, `hearing_part_heard`, `hearing_concluded`), the share adjourned. No value for a "
           "month with no sittings. The board has not yet set its aim."),
)


def _first(kind: str) -> Subquery:
    return Subquery(
        CaseEvent.objects.filter(case=OuterRef("case"), kind=kind).order_by("at", "id").values("at")[:1],
        output_field=DateTimeField(),
    )


def _latest_before(kind: str) -> Subquery:
    return Subquery(
        CaseEvent.objects.filter(case=OuterRef("case"), kind=kind, at__lte=OuterRef("at"))
        .order_by("-at", "-id")
        .values("at")[:1],
        output_field=DateTimeField(),
    )


def _day_pairs(events, start_expression) -> list[tuple[dt.date, dt.date, int]]:
    """(start date, event date, n) for the events, grouped by the pair of London dates in the database."""
    return list(
        events.annotate(started_at=start_expression)
        .filter(started_at__isnull=False)
        .annotate(started_on=TruncDate("started_at", tzinfo=LONDON), ended_on=TruncDate("at", tzinfo=LONDON))
        .values_list("started_on", "ended_on")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _average_days(months: Sequence[dt.date], pairs: list[tuple[dt.date, dt.date, int]]) -> Values:
    return means(months, ((month_of(ended), float(cd(started, ended)), n) for started, ended, n in pairs))


def investigations_by_origin(months: Sequence[dt.date]) -> dict[str, list[int]]:
    """Investigation passes open at each month's end, by case origin: one statement. Each investigation
    start or end event spans to the case's next one; a start whose span covers the month's end is an
    open pass (a second start while open continues the same pass, as INV1 counts it)."""
    derived, params = months_sql(months)
    events, cases = CaseEvent._meta.db_table, FitnessToPractiseCase._meta.db_table
    kinds = [*INVESTIGATION_STARTS, *INVESTIGATION_ENDS]
    sql = f"""
        WITH spans AS (
            SELECT e.kind, e.at, LEAD(e.at) OVER (PARTITION BY e.case_id ORDER BY e.at, e.id) AS next_at, c.origin
            FROM {events} e JOIN {cases} c ON c.id = e.case_id
            WHERE e.kind IN ({", ".join(["%s"] * len(kinds))})
        )
        SELECT m.i, s.origin, COUNT(*)
        FROM {derived} m JOIN spans s ON s.at < m.ends AND (s.next_at IS NULL OR s.next_at >= m.ends)
        WHERE s.kind IN ({", ".join(["%s"] * len(INVESTIGATION_STARTS))})
        GROUP BY m.i, s.origin
    """
    found = {origin: [0] * len(months) for origin in Origin.values}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*kinds, *params, *INVESTIGATION_STARTS])
        for i, origin, n in cursor.fetchall():
            found.setdefault(origin, [0] * len(months))[i] = int(n)
    return found


def awaiting_pre_triage(months: Sequence[dt.date]) -> list[int]:
    """At each month's end: cases whose first concern was received before it and whose social worker
    was identified after it, plus unmatched concerns received before it and not closed by it. Two
    queries of one conditional aggregate each."""
    ends = end_instants(months)
    waiting_cases = FitnessToPractiseCase.objects.annotate(
        received_at=Min("events__at", filter=Q(events__kind=K.CONCERN_RECEIVED)),
        identified_at=Min("events__at", filter=Q(events__kind=K.SOCIAL_WORKER_IDENTIFIED)),
    ).aggregate(
        **{
            f"m{i}": Count("pk", filter=Q(received_at__lt=end) & (Q(identified_at__isnull=True)
                                                                  | Q(identified_at__gte=end)))
            for i, end in enumerate(ends)
        }
    )
    unmatched = Concern.objects.filter(case__isnull=True).aggregate(
        **{
            f"m{i}": Count("pk", filter=Q(received_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end)))
            for i, end in enumerate(ends)
        }
    )
    return [(waiting_cases[f"m{i}"] or 0) + (unmatched[f"m{i}"] or 0) for i in range(len(months))]


def ftp_months(months: Sequence[dt.date]) -> dict[str, Values]:
    start, end = window(months)
    zero = [0] * len(months)
    counted = counts_by_month(CaseEvent.objects.filter(kind__in=COUNTED, at__gte=start, at__lt=end), "at", months,
                              by="kind")

    def events(kind: str) -> list[int]:
        return counted.get(kind, zero)

    unmatched = counts_by_month(Concern.objects.filter(case__isnull=True, received_at__gte=start, received_at__lt=end),
                                "received_at", months).get(None, zero)
    values: dict[str, Values] = {
        "concerns_received": as_values([a + b for a, b in zip(events(K.CONCERN_RECEIVED), unmatched, strict=True)]),
        "referrals_identified": as_values(events(K.CONCERN_RECEIVED)),
        "awaiting_pre_triage": as_values(awaiting_pre_triage(months)),
        "cases_opened": as_values(events(K.SOCIAL_WORKER_IDENTIFIED)),
        "entering_investigation": as_values(events(K.REFERRED_TO_INVESTIGATION)),
        "closed_in_investigation": as_values(events(K.INVESTIGATION_CLOSED)),
        "hearings_concluded": as_values(events(K.HEARING_CONCLUDED)),
        "interim_order_decisions": as_values(events(K.INTERIM_ORDER_DECISION)),
        "interim_order_reviews": as_values(events(K.INTERIM_ORDER_REVIEW)),
        "substantive_order_reviews": as_values(events(K.SUBSTANTIVE_ORDER_REVIEW)),
    }
    sittings = [sum(col) for col in zip(*(events(k) for k in HEARING_SITTINGS), strict=True)]
    values["hearing_adjournment_rate"] = share(as_values(events(K.HEARING_ADJOURNED)), as_values(sittings))

    identified = CaseEvent.objects.filter(kind=K.SOCIAL_WORKER_IDENTIFIED, at__gte=start, at__lt=end)
    pre_triage = _day_pairs(identified, _first(K.CONCERN_RECEIVED))
    closed_concerns = (
        Concern.objects.filter(case__isnull=True, closed_at__gte=start, closed_at__lt=end)
        .annotate(started_on=TruncDate("received_at", tzinfo=LONDON), ended_on=TruncDate("closed_at", tzinfo=LONDON))
        .values_list("started_on", "ended_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    values["pre_triage_average_days"] = _average_days(months, pre_triage + list(closed_concerns))

    concluded = CaseEvent.objects.filter(kind=K.HEARING_CONCLUDED, at__gte=start, at__lt=end)
    received = Coalesce(_first(K.CONCERN_RECEIVED), _first(K.SOCIAL_WORKER_IDENTIFIED))
    values["receipt_to_final_decision_average_days"] = _average_days(months, _day_pairs(concluded, received))
    decisions = CaseEvent.objects.filter(kind=K.INTERIM_ORDER_DECISION, at__gte=start, at__lt=end)
    values["interim_order_average_days"] = _average_days(
        months, _day_pairs(decisions, _latest_before(K.INTERIM_ORDER_NEED_IDENTIFIED))
    )

    # The KPIs' own monthly functions (regulator.dashboard's registry), so the rows equal the dashboard's.
    values["open_in_triage"] = [m.result for m in monthly_function("TRI3")(months)]
    values["closed_at_triage_percentage"] = [m.result for m in monthly_function("TRI4")(months)]
    values["triage_within_28_days_percentage"] = [m.result for m in monthly_function("TRI1")(months)]
    by_origin = investigations_by_origin(months)
    values["in_investigation_swe"] = as_values(by_origin[Origin.SWE])
    values["in_investigation_hcpc"] = as_values(by_origin[Origin.HCPC])
    values["in_investigation"] = as_values(
        [a + b for a, b in zip(by_origin[Origin.SWE], by_origin[Origin.HCPC], strict=True)]
    )
    return values


FITNESS_TO_PRACTISE = MetricTable("fitness-to-practise", "Fitness to practise", METRICS, ftp_months)
