"""The months of a regulator year and the helpers every app's KPI selectors share.

A KPI's monthly function takes the first days of the months wanted (oldest first, consecutive)
and returns one `regulator.kpis.Month` per month, computed from event rows in at most one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.db.models import Count, Q

from .kpis import Month
from .working_days import LONDON, weekday_bank_holidays

MonthlyFunction = Callable[[Sequence[dt.date]], list[Month]]


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    """The month's last day (end-of-month counts are taken at its end)."""
    return next_month(month) - dt.timedelta(days=1)


def start_instant(day: dt.date) -> dt.datetime:
    """Midnight at the start of a London calendar date, as an aware instant."""
    return dt.datetime.combine(day, dt.time(), tzinfo=LONDON)


def window(months: Sequence[dt.date]) -> tuple[dt.datetime, dt.datetime]:
    """[start of the first month, start of the month after the last) in London time."""
    return start_instant(months[0]), start_instant(next_month(months[-1]))


def end_instants(months: Sequence[dt.date]) -> list[dt.datetime]:
    """The instant each month ends (exclusive: events strictly before it happened in or before the month)."""
    return [start_instant(next_month(m)) for m in months]


def from_counts(
    months: Sequence[dt.date], row: dict, *, met: str = "met_{}", population: str = "population_{}"
) -> list[Month]:
    """Months from one conditional-aggregation row with keys met_0, population_0, met_1, ..."""
    return [
        Month(month=m, met=row[met.format(i)] or 0, population=row[population.format(i)] or 0)
        for i, m in enumerate(months)
    ]


def from_pairs(months: Sequence[dt.date], found: dict[dt.date, tuple[int, int]]) -> list[Month]:
    """Months from {first day of month: (met, population)}; a month not found is empty."""
    return [Month(month=m, met=found.get(m, (0, 0))[0], population=found.get(m, (0, 0))[1]) for m in months]


def monthly_counts(months: Sequence[dt.date], field: str, population: Q, met: Q) -> dict:
    """Aggregates population_i / met_i for each month i (the items whose `field` falls in it), for
    one conditional-aggregation query."""
    aggregates = {}
    for i, m in enumerate(months):
        in_month = Q(**{f"{field}__gte": start_instant(m), f"{field}__lt": start_instant(next_month(m))})
        aggregates[f"population_{i}"] = Count("pk", filter=in_month & population)
        aggregates[f"met_{i}"] = Count("pk", filter=in_month & population & met)
    return aggregates


def sql_params(months: Sequence[dt.date]) -> dict:
    """The parameters every KPI statement shares: the window as instants and as London dates, and
    the bank holidays that `calendar_sql` leaves out."""
    start, end = window(months)
    return {
        "start": start,
        "end": end,
        "first_day": months[0],
        "last_day": month_end(months[-1]),
        "bank_holidays": weekday_bank_holidays(),
    }


def calendar_sql(first_day: str) -> str:
    """A `calendar(d, n)` CTE from the SQL date expression `first_day` to %(last_day)s: n counts the
    working days up to and including d, so wd(a, b) is b.n - a.n exactly as regulator.working_days
    counts it (Monday to Friday less its bank holidays, passed as %(bank_holidays)s)."""
    return f"""
    calendar AS (
        SELECT s.d, sum(CASE WHEN extract(isodow FROM s.d) < 6 AND h.day IS NULL THEN 1 ELSE 0 END)
                        OVER (ORDER BY s.d) AS n
        FROM (SELECT g::date AS d FROM generate_series(({first_day})::timestamp, %(last_day)s::timestamp,
                                                       interval '1 day') AS g) AS s
        LEFT JOIN unnest(%(bank_holidays)s::date[]) AS h(day) ON h.day = s.d
    )"""
