"""The months of a regulator year and the helpers every app's KPI selectors share.

A KPI's monthly function takes the first days of the months wanted (oldest first, consecutive)
and returns one `regulator.kpis.Month` per month, computed from event rows in at most one query.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from django.db.models import Count, Q

from .kpis import Month
from .working_days import LONDON, local_date

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


def tally(months: Sequence[dt.date], items: Iterable[tuple[dt.datetime | dt.date, bool]]) -> list[Month]:
    """Months from (closing instant, met) pairs: each item counts in the month of its closing event."""
    met: dict[dt.date, int] = defaultdict(int)
    population: dict[dt.date, int] = defaultdict(int)
    for closed_at, was_met in items:
        month = first_of_month(local_date(closed_at))
        population[month] += 1
        met[month] += bool(was_met)
    return [Month(month=m, met=met[m], population=population[m]) for m in months]


def from_counts(
    months: Sequence[dt.date], row: dict, *, met: str = "met_{}", population: str = "population_{}"
) -> list[Month]:
    """Months from one conditional-aggregation row with keys met_0, population_0, met_1, ..."""
    return [
        Month(month=m, met=row[met.format(i)] or 0, population=row[population.format(i)] or 0)
        for i, m in enumerate(months)
    ]


def monthly_counts(months: Sequence[dt.date], field: str, population: Q, met: Q) -> dict:
    """Aggregates population_i / met_i for each month i (the items whose `field` falls in it), for
    one conditional-aggregation query."""
    aggregates = {}
    for i, m in enumerate(months):
        in_month = Q(**{f"{field}__gte": start_instant(m), f"{field}__lt": start_instant(next_month(m))})
        aggregates[f"population_{i}"] = Count("pk", filter=in_month & population)
        aggregates[f"met_{i}"] = Count("pk", filter=in_month & population & met)
    return aggregates
