"""Registration's and CPD's monthly metric tables for the board (the first seed's rows), from events.

Counts are grouped by month in the database. Medians of working days are taken over the
(received date, decided date) pairs grouped and counted in the database, each pair measured once
by regulator.working_days (the one calendar), as the KPIs do (decision 500). The register at each
month's end is read from the entries' register events in one statement (decision 0861).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection
from django.db.models import Count, DateTimeField, OuterRef, Subquery
from django.db.models.functions import TruncDate, TruncMonth

from regulator.kpi_months import next_month, start_instant, window
from regulator.metrics import (
    Metric,
    MetricTable,
    Unit,
    Values,
    as_values,
    counts_by_month,
    date_window,
    medians,
    month_of,
    months_sql,
    share,
)
from regulator.working_days import LONDON, wd

from .models import (
    ApplicationEvent,
    ApplicationKind,
    ApplicationRoute,
    Call,
    CPDRecord,
    EmailEnquiry,
    Gender,
    MisuseOfTitleEvent,
    RegisterEntry,
    RegisterEvent,
    Registrant,
    Route,
)

RK = RegisterEvent.Kind
JOINING = (RK.REGISTERED, RK.RESTORED)  # the board counts returners as joiners
# Events that change whether, and on which register, an entry stands.
MEMBERSHIP = (RK.REGISTERED, RK.RESTORED, RK.REMOVED, RK.MOVED_TO_TEMPORARY, RK.MOVED_TO_FULL, RK.IMPORTED)
ROUTE_GROUP_RECEIVED = "New registration applications: number received"
ROUTE_GROUP_MEDIAN = "New registration applications: median time taken to process (working days)"
DECISIONS = (ApplicationEvent.Kind.APPROVED, ApplicationEvent.Kind.REFUSED)
CPD_YEAR_STARTS = (12, 1)  # the registration year runs 1 December to 30 November (renewal window closes then)


def _route_metrics() -> tuple[Metric, ...]:
    rows = [
        Metric("applications_received", "All graduates", Unit.COUNT,
               "New registration applications with a `received` event in the month, all routes.",
               ROUTE_GROUP_RECEIVED),
    ]
    rows += [
        Metric(f"applications_received_{value}", f"{label} graduates" if value != "swiss" else label, Unit.COUNT,
               f"New registration applications by the {label} route with a `received` event in the month.",
               ROUTE_GROUP_RECEIVED)
        for value, label in ApplicationRoute.choices
    ]
    rows.append(
        Metric("applications_median_days", "All graduates", Unit.WORKING_DAYS,
               "New registration applications approved or refused in the month, all routes: the median number of "
               "working days from `received` to the decision (`wd(received, decided)`, kpis.md's working days).",
               ROUTE_GROUP_MEDIAN)
    )
    rows += [
        Metric(f"applications_median_days_{value}", f"{label} graduates" if value != "swiss" else label,
               Unit.WORKING_DAYS,
               f"New applications by the {label} route approved or refused in the month: the median working days "
               "from `received` to the decision.", ROUTE_GROUP_MEDIAN)
        for value, label in ApplicationRoute.choices
    ]
    return tuple(rows)


REGISTRATION_METRICS: tuple[Metric, ...] = (
    Metric("registered", "Number of registered social workers", Unit.COUNT,
           "Entries on the social work register (not the temporary register) at the end of the month's last day, "
           "read from each entry's register events (registered, restored, removed, moved between registers)."),
    Metric("temporary", "Number of temporarily registered social workers", Unit.COUNT,
           "Entries on the temporary register (emergency powers) at the end of the month's last day."),
    Metric("joiners", "Number of social workers joining the register (includes returners)", Unit.COUNT,
           "Register events `registered` and `restored` dated in the month."),
    Metric("leavers", "Number of social workers leaving the register", Unit.COUNT,
           "Register events `removed` dated in the month, whatever the reason (failure to renew, voluntary, "
           "an order, temporary registration ended)."),
    *_route_metrics(),
    Metric("restorations_received", "Restoration applications: number received", Unit.COUNT,
           "Restoration applications with a `received` event in the month."),
    Metric("restorations_median_days", "Restoration applications: median time taken to process (working days)",
           Unit.WORKING_DAYS,
           "Restoration applications approved or refused in the month: the median working days from `received` "
           "to the decision."),
    Metric("misuse_of_title_cases", "Misuse of title cases: number", Unit.COUNT,
           "Misuse of title cases `opened` in the month."),
    Metric("misuse_of_title_median_days", "Misuse of title cases: median time taken to complete (working days)",
           Unit.WORKING_DAYS,
           "Misuse of title cases `completed` in the month: the median working days from `opened` to `completed`."),
    Metric("calls_received", "Number of calls received", Unit.COUNT,
           "Calls received in the month, every outcome (answered, abandoned in the queue, hung up before queueing)."),
    Metric("calls_median_queue_minutes", "Median queue time (minutes)", Unit.MINUTES,
           "Calls received in the month that entered the queue (not hung up before queueing): the median of their "
           "queue time, in minutes."),
    Metric("calls_answered_percentage", "Percentage of calls answered (excluding hung up before queueing)",
           Unit.PERCENTAGE,
           "Calls received in the month and answered, as a share of the calls received less those hung up before "
           "queueing."),
    Metric("emails_received", "Number of emails received", Unit.COUNT, "Emails received in the month."),
    Metric("emails_median_response_days", "Median response time to emails (working days)", Unit.WORKING_DAYS,
           "Emails received in the month and answered: the median working days from receipt to the response "
           "(London dates)."),
)

CPD_METRICS: tuple[Metric, ...] = (
    Metric("cpd_valid_cumulative", "Number of social workers who have completed valid CPD (cumulative)", Unit.COUNT,
           "Registrants who, by the end of the month, have recorded in the current registration year (from 1 "
           "December) at least two pieces of CPD done in that year, at least one with peer reflection: the "
           "renewal requirement. The count starts again each 1 December."),
    Metric("cpd_items", "Total number of valid CPD items recorded (per month)", Unit.COUNT,
           "CPD records recorded in the month whose activity date falls in the registration year they were "
           "recorded in, on or before the day recorded."),
    Metric("cpd_valid_percentage", "Percentage of social workers who have completed valid CPD (cumulative)",
           Unit.PERCENTAGE,
           "The cumulative number above as a share of the social workers on the register at the end of the month."),
)


def registration_year_start(month: dt.date) -> dt.date:
    month_number, day = CPD_YEAR_STARTS
    year = month.year if month.month >= month_number else month.year - 1
    return dt.date(year, month_number, day)


# --- The register at each month's end ----------------------------------------------------------------


def _spells() -> tuple[str, list]:
    """A CTE `spells(entry_id, starts, ends, register)`: each entry's spells between membership events.

    An entry's state after its latest membership event on or before a day is its current state when
    that is its last membership event, and otherwise the state that event kind implies (registered,
    restored, imported, moved to full: full; moved to temporary: temporary; removed: off). An entry
    with no membership event (an imported register with no history) stands from `registered_on` in
    its current state."""
    events, entries = RegisterEvent._meta.db_table, RegisterEntry._meta.db_table
    kinds = ", ".join(["%s"] * len(MEMBERSHIP))
    sql = f"""
        spells AS (
            SELECT ev.entry_id, ev."on" AS starts, LEAD(ev."on") OVER w AS ends,
                   CASE WHEN LEAD(ev.id) OVER w IS NULL
                            THEN CASE WHEN en.status = 'registered' THEN en.register END
                        WHEN ev.kind = 'moved_to_temporary' THEN 'temporary'
                        WHEN ev.kind = 'removed' THEN NULL
                        ELSE 'full' END AS register
            FROM {events} ev JOIN {entries} en ON en.id = ev.entry_id
            WHERE ev.kind IN ({kinds})
            WINDOW w AS (PARTITION BY ev.entry_id ORDER BY ev."on", ev.at, ev.id)
            UNION ALL
            SELECT en.id, en.registered_on, NULL, CASE WHEN en.status = 'registered' THEN en.register END
            FROM {entries} en
            WHERE NOT EXISTS (SELECT 1 FROM {events} e2 WHERE e2.entry_id = en.id AND e2.kind IN ({kinds}))
        )"""
    return sql, [*MEMBERSHIP, *MEMBERSHIP]


# A spell covers a month's end when it began on or before the month's last day and had not ended by then.
_COVERS = "s.starts < m.ends AND (s.ends IS NULL OR s.ends >= m.ends)"


def register_at_month_ends(months: Sequence[dt.date]) -> dict[str, list[int]]:
    """{"full": [...], "temporary": [...]}: entries standing on each register at each month's end (one statement)."""
    spells, spell_params = _spells()
    derived, params = months_sql(months, dates=True)
    sql = f"""
        WITH {spells}
        SELECT m.i,
               SUM(CASE WHEN s.register = 'full' THEN 1 ELSE 0 END),
               SUM(CASE WHEN s.register = 'temporary' THEN 1 ELSE 0 END)
        FROM {derived} m JOIN spells s ON {_COVERS}
        GROUP BY m.i
    """
    found = {"full": [0] * len(months), "temporary": [0] * len(months)}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*spell_params, *params])
        for i, full, temporary in cursor.fetchall():
            found["full"][i], found["temporary"][i] = int(full or 0), int(temporary or 0)
    return found


def register_breakdown(as_at: dt.date) -> dict[str, list[tuple[str, int]]]:
    """The social work register at the end of the month of `as_at` by route of entry, gender and the
    ten commonest nationalities: one statement (three GROUP BYs joined by UNION ALL)."""
    spells, spell_params = _spells()
    derived, params = months_sql([as_at.replace(day=1)], dates=True)
    entries, people = RegisterEntry._meta.db_table, Registrant._meta.db_table
    sql = f"""
        WITH {spells},
        standing AS (
            SELECT en.route, p.gender, p.nationality
            FROM {derived} m
            JOIN spells s ON {_COVERS} AND s.register = 'full'
            JOIN {entries} en ON en.id = s.entry_id
            JOIN {people} p ON p.id = en.registrant_id
        )
        SELECT 'route', route, COUNT(*) FROM standing GROUP BY route
        UNION ALL SELECT 'gender', gender, COUNT(*) FROM standing GROUP BY gender
        UNION ALL SELECT 'nationality', nationality, COUNT(*) FROM standing GROUP BY nationality
    """
    grouped: dict[str, dict[str, int]] = {"route": {}, "gender": {}, "nationality": {}}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*spell_params, *params])
        for dimension, value, n in cursor.fetchall():
            grouped[dimension][value or ""] = int(n)
    gender_labels = dict(Gender.choices)
    nationalities = sorted(((v, n) for v, n in grouped["nationality"].items() if v), key=lambda p: (-p[1], p[0]))
    return {
        "route": [(label, grouped["route"].get(value, 0)) for value, label in Route.choices],
        "gender": [
            *((gender_labels[v], grouped["gender"].get(v, 0)) for v in gender_labels),
            *((("Not recorded", grouped["gender"][""]),) if grouped["gender"].get("") else ()),
        ],
        "nationality": nationalities[:10],
    }


# --- Registration work -----------------------------------------------------------------------------


def _decision_medians(months: Sequence[dt.date], kind: str) -> dict[str | None, Values]:
    """{route: medians, None: all routes}: applications of `kind` approved or refused in each month,
    working days from `received` to the decision, over (route, received on, decided on) pairs
    counted in the database."""
    start, end = window(months)
    received = (
        ApplicationEvent.objects.filter(application=OuterRef("application"), event=ApplicationEvent.Kind.RECEIVED)
        .order_by("at", "id")
        .values("at")[:1]
    )
    pairs = (
        ApplicationEvent.objects.filter(event__in=DECISIONS, at__gte=start, at__lt=end, application__kind=kind)
        .annotate(received_at=Subquery(received, output_field=DateTimeField()))
        .filter(received_at__isnull=False)
        .annotate(received_on=TruncDate("received_at", tzinfo=LONDON), decided_on=TruncDate("at", tzinfo=LONDON))
        .values_list("application__route", "received_on", "decided_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    measured = [(route, month_of(decided), float(wd(received_on, decided)), n)
                for route, received_on, decided, n in pairs]
    found: dict[str | None, Values] = {None: medians(months, ((m, v, n) for _, m, v, n in measured))}
    for route in ApplicationRoute.values:
        found[route] = medians(months, ((m, v, n) for r, m, v, n in measured if r == route))
    return found


def registration_months(months: Sequence[dt.date]) -> dict[str, Values]:
    start, end = window(months)
    first_day, after_last = date_window(months)
    values: dict[str, Values] = {}

    register = register_at_month_ends(months)
    values["registered"], values["temporary"] = as_values(register["full"]), as_values(register["temporary"])
    moves = counts_by_month(
        RegisterEvent.objects.filter(on__gte=first_day, on__lt=after_last, kind__in=(*JOINING, RK.REMOVED)),
        "on", months, by="kind",
    )
    zero = [0] * len(months)
    values["joiners"] = as_values([a + b for a, b in zip(moves.get(RK.REGISTERED, zero),
                                                         moves.get(RK.RESTORED, zero), strict=True)])
    values["leavers"] = as_values(moves.get(RK.REMOVED, zero))

    received = ApplicationEvent.objects.filter(event=ApplicationEvent.Kind.RECEIVED, at__gte=start, at__lt=end)
    new = counts_by_month(received.filter(application__kind=ApplicationKind.NEW), "at", months, by="application__route")
    values["applications_received"] = as_values([sum(col) for col in zip(zero, *new.values(), strict=True)])
    for route in ApplicationRoute.values:
        values[f"applications_received_{route}"] = as_values(new.get(route, zero))
    decided = _decision_medians(months, ApplicationKind.NEW)
    values["applications_median_days"] = decided[None]
    for route in ApplicationRoute.values:
        values[f"applications_median_days_{route}"] = decided[route]
    restorations = counts_by_month(received.filter(application__kind=ApplicationKind.RESTORATION), "at", months)
    values["restorations_received"] = as_values(restorations.get(None, zero))
    values["restorations_median_days"] = _decision_medians(months, ApplicationKind.RESTORATION)[None]

    MK = MisuseOfTitleEvent.Kind
    opened = counts_by_month(MisuseOfTitleEvent.objects.filter(event=MK.OPENED, at__gte=start, at__lt=end), "at",
                             months)
    values["misuse_of_title_cases"] = as_values(opened.get(None, zero))
    opened_at = (
        MisuseOfTitleEvent.objects.filter(case=OuterRef("case"), event=MK.OPENED).order_by("at", "id").values("at")[:1]
    )
    completed = (
        MisuseOfTitleEvent.objects.filter(event=MK.COMPLETED, at__gte=start, at__lt=end)
        .annotate(opened_at=Subquery(opened_at, output_field=DateTimeField()))
        .filter(opened_at__isnull=False)
        .annotate(opened_on=TruncDate("opened_at", tzinfo=LONDON), completed_on=TruncDate("at", tzinfo=LONDON))
        .values_list("opened_on", "completed_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    values["misuse_of_title_median_days"] = medians(
        months, ((month_of(done), float(wd(began, done)), n) for began, done, n in completed)
    )

    calls = (
        Call.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(month=TruncMonth("received_at", tzinfo=LONDON))
        .values_list("month", "outcome", "queue_seconds")
        .annotate(n=Count("pk"))
        .order_by()
    )
    index = {m: i for i, m in enumerate(months)}
    received_calls, queued, answered = [0] * len(months), [0] * len(months), [0] * len(months)
    queue_times: list[tuple[dt.date, float, int]] = []
    for month, outcome, seconds, n in calls:
        i = index[month_of(month)]
        received_calls[i] += n
        if outcome != Call.Outcome.HUNG_UP_BEFORE_QUEUE:
            queued[i] += n
            queue_times.append((month_of(month), (seconds or 0) / 60, n))
        if outcome == Call.Outcome.ANSWERED:
            answered[i] += n
    values["calls_received"] = as_values(received_calls)
    values["calls_median_queue_minutes"] = medians(months, queue_times)
    values["calls_answered_percentage"] = share(as_values(answered), as_values(queued))

    emails = (
        EmailEnquiry.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(received_on=TruncDate("received_at", tzinfo=LONDON),
                  responded_on=TruncDate("responded_at", tzinfo=LONDON))
        .values_list("received_on", "responded_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    email_rows = list(emails)
    values["emails_received"] = as_values(
        [sum(n for received_on, _, n in email_rows if month_of(received_on) == m) for m in months]
    )
    values["emails_median_response_days"] = medians(
        months,
        ((month_of(got), float(wd(got, answered_on)), n) for got, answered_on, n in email_rows if answered_on),
    )
    return values


REGISTRATION = MetricTable("registration", "Registration", REGISTRATION_METRICS, registration_months)


# --- CPD -------------------------------------------------------------------------------------------


def cpd_months(months: Sequence[dt.date]) -> dict[str, Values]:
    """Valid CPD: cumulative completers at each month's end (one statement joining the months to the
    records recorded in their registration year so far), items recorded per month, and the share of
    the register."""
    records = CPDRecord._meta.db_table
    parts: list[str] = []
    params: list = []
    for i, month in enumerate(months):
        year_starts = registration_year_start(month)
        parts.append("SELECT %s AS i, %s AS year_starts, %s AS recorded_from, %s AS ends, %s AS last_day")
        params += [i, year_starts, start_instant(year_starts), start_instant(next_month(month)),
                   next_month(month) - dt.timedelta(days=1)]
    sql = f"""
        SELECT i, COUNT(*) FROM (
            SELECT m.i, c.registrant_id
            FROM ({" UNION ALL ".join(parts)}) m
            JOIN {records} c ON c.created_at >= m.recorded_from AND c.created_at < m.ends
                            AND c.done_on >= m.year_starts AND c.done_on <= m.last_day
            GROUP BY m.i, c.registrant_id
            HAVING COUNT(*) >= 2 AND SUM(CASE WHEN c.peer_reflection THEN 1 ELSE 0 END) >= 1
        ) completers GROUP BY i
    """
    cumulative = [0] * len(months)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for i, n in cursor.fetchall():
            cumulative[i] = int(n)

    start, end = window(months)
    items = [0] * len(months)
    index = {m: i for i, m in enumerate(months)}
    recorded = (
        CPDRecord.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(recorded_on=TruncDate("created_at", tzinfo=LONDON))
        .values_list("recorded_on", "done_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for recorded_on, done_on, n in recorded:
        if registration_year_start(recorded_on) <= done_on <= recorded_on:
            items[index[month_of(recorded_on)]] += n
    register = register_at_month_ends(months)["full"]
    return {
        "cpd_valid_cumulative": as_values(cumulative),
        "cpd_items": as_values(items),
        "cpd_valid_percentage": share(as_values(cumulative), as_values(register)),
    }


CPD = MetricTable("cpd", "CPD", CPD_METRICS, cpd_months)

