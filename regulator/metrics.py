"""The board's monthly metric tables: the shapes every app's metrics.py fills, and the registry.

Beside the KPIs the board reads monthly metric tables (the first seed lists every row). Each app
declares its rows where its events live (`registration/metrics.py`, `fitness_to_practise/metrics.py`,
`education_qa/metrics.py`, `complaints/metrics.py`) as a `MetricTable`: the rows (each with the rule
behind it, in words, for the definitions page and docs/kpis.md) and one function that computes all
of them for a run of months in a few queries grouped by month in the database, whatever the number
of months or records. This module maps each table to its app (imported when first used, so
regulator depends on no app at import) and to the roles that may read it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import import_module

from django.db.models import Count, DateTimeField, QuerySet
from django.db.models.functions import TruncMonth

from .kpi_months import first_of_month, next_month, start_instant
from .roles import FTP_ROLES, Role, has_role
from .working_days import LONDON, local_date


class Unit(StrEnum):
    COUNT = "count"
    PERCENTAGE = "percentage"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MINUTES = "minutes"


Values = list[float | None]  # one per month of the range, oldest first; None where there is no value


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: Unit
    definition: str  # the rule behind the figure, in words (definitions page, docs/kpis.md)
    group: str = ""  # a sub-heading shared by consecutive rows, as the board's tables have


@dataclass(frozen=True)
class MetricTable:
    slug: str
    title: str
    metrics: tuple[Metric, ...]
    compute: Callable[[Sequence[dt.date]], dict[str, Values]]


@dataclass(frozen=True)
class TableSource:
    slug: str
    table: str  # "module.NAME" of the app's MetricTable
    readers: tuple[Role, ...]  # besides executives and administrators, the function's own staff


# The board's order of tables (the first seed's), each where its events live.
TABLE_SOURCES: tuple[TableSource, ...] = (
    TableSource("registration", "registration.metrics.REGISTRATION", (Role.REGISTRATION_OFFICER,)),
    TableSource("cpd", "registration.metrics.CPD", (Role.REGISTRATION_OFFICER,)),
    TableSource("education", "education_qa.metrics.EDUCATION", (Role.EDUCATION_QA_OFFICER,)),
    TableSource("complaints", "complaints.metrics.COMPLAINTS", (Role.COMPLAINTS_OFFICER,)),
    TableSource("fitness-to-practise", "fitness_to_practise.metrics.FITNESS_TO_PRACTISE", tuple(FTP_ROLES)),
)
# The register by route of entry, gender and nationality, as at the end of the range.
REGISTER_BREAKDOWN = "registration.metrics.register_breakdown"
REGISTER_READERS: tuple[Role, ...] = (Role.REGISTRATION_OFFICER,)
METRIC_DASHBOARD_ROLES = (Role.EXECUTIVE, Role.ADMINISTRATOR)
METRIC_READER_ROLES = tuple(
    {*METRIC_DASHBOARD_ROLES, *REGISTER_READERS, *(role for source in TABLE_SOURCES for role in source.readers)}
)


def _load(path: str):
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)


@cache
def metric_table(slug: str) -> MetricTable:
    return _load(next(s.table for s in TABLE_SOURCES if s.slug == slug))


def readable_tables(user) -> list[str]:
    """The tables a user may read: all for executives and administrators, their function's otherwise."""
    if has_role(user, *METRIC_DASHBOARD_ROLES):
        return [s.slug for s in TABLE_SOURCES]
    return [s.slug for s in TABLE_SOURCES if has_role(user, *s.readers)]


def may_read_register(user) -> bool:
    return has_role(user, *METRIC_DASHBOARD_ROLES, *REGISTER_READERS)


@dataclass(frozen=True)
class TableReport:
    table: MetricTable
    months: tuple[dt.date, ...]
    values: dict[str, Values]

    def as_dict(self) -> dict:
        return {
            "slug": self.table.slug,
            "title": self.table.title,
            "rows": [
                {
                    "key": m.key,
                    "label": m.label,
                    "group": m.group,
                    "unit": str(m.unit),
                    "values": [None if v is None else round(v, 1) for v in self.values[m.key]],
                }
                for m in self.table.metrics
            ],
        }


def table_report(slug: str, months: Sequence[dt.date]) -> TableReport:
    table = metric_table(slug)
    values = table.compute(months)
    missing = {m.key for m in table.metrics} - set(values)
    assert not missing, f"{slug} computed no values for {sorted(missing)}"
    return TableReport(table=table, months=tuple(months), values=values)


def register_breakdown(as_at: dt.date) -> dict[str, list[tuple[str, int]]]:
    """{"route": [(label, n)], "gender": [...], "nationality": [...]}: the full register at the end of `as_at`."""
    return _load(REGISTER_BREAKDOWN)(as_at)


# --- Helpers every app's metrics share -------------------------------------------------------------


def date_window(months: Sequence[dt.date]) -> tuple[dt.date, dt.date]:
    """[first day of the first month, first day after the last month) for date fields."""
    return months[0], next_month(months[-1])


def month_of(value: dt.date | dt.datetime) -> dt.date:
    return first_of_month(local_date(value))


def counts_by_month(
    queryset: QuerySet, field: str, months: Sequence[dt.date], by: str | None = None
) -> dict[str | None, list[int]]:
    """Rows of `queryset` counted by the London month of `field` (and by the value of `by`): one
    GROUP BY query. Returns {by value: [count per month]} (the key None when `by` is not given)."""
    index = {m: i for i, m in enumerate(months)}
    grouping = ["_month", by] if by else ["_month"]
    is_instant = isinstance(queryset.model._meta.get_field(field), DateTimeField)
    month = TruncMonth(field, tzinfo=LONDON) if is_instant else TruncMonth(field)
    rows = queryset.annotate(_month=month).values(*grouping).annotate(_n=Count("pk"))
    found: dict[str | None, list[int]] = defaultdict(lambda: [0] * len(months))
    for row in rows.order_by():
        i = index.get(month_of(row["_month"]))
        if i is not None:
            found[row[by] if by else None][i] += row["_n"]
    return found


def weighted_median(values: Iterable[tuple[float, int]]) -> float | None:
    """The median of values given with their counts (the mean of the middle two for an even total)."""
    ordered = sorted((v, n) for v, n in values if n > 0)
    total = sum(n for _, n in ordered)
    if not total:
        return None
    lower, upper = (total - 1) // 2, total // 2  # 0-based positions of the middle value(s)
    seen, low_value, high_value = 0, None, None
    for value, n in ordered:
        if low_value is None and lower < seen + n:
            low_value = value
        if upper < seen + n:
            high_value = value
            break
        seen += n
    assert low_value is not None and high_value is not None
    return (low_value + high_value) / 2


def weighted_mean(values: Iterable[tuple[float, int]]) -> float | None:
    pairs = list(values)
    total = sum(n for _, n in pairs)
    return sum(v * n for v, n in pairs) / total if total else None


def by_month(
    months: Sequence[dt.date], items: Iterable[tuple[dt.date, float, int]]
) -> dict[dt.date, list[tuple[float, int]]]:
    """(month, value, count) items gathered per month of the range (others dropped)."""
    wanted = set(months)
    found: dict[dt.date, list[tuple[float, int]]] = defaultdict(list)
    for month, value, n in items:
        if month in wanted:
            found[month].append((value, n))
    return found


def medians(months: Sequence[dt.date], items: Iterable[tuple[dt.date, float, int]]) -> Values:
    grouped = by_month(months, items)
    return [weighted_median(grouped.get(m, [])) for m in months]


def means(months: Sequence[dt.date], items: Iterable[tuple[dt.date, float, int]]) -> Values:
    grouped = by_month(months, items)
    return [weighted_mean(grouped.get(m, [])) for m in months]


def as_values(counts: Sequence[int]) -> Values:
    return [float(n) for n in counts]


def share(met: Sequence[float | None], population: Sequence[float | None]) -> Values:
    """Percentages month by month; None where the population is empty (kpis.md: no value, not 0%)."""
    return [100.0 * m / p if m is not None and p else None for m, p in zip(met, population, strict=True)]


def months_sql(months: Sequence[dt.date], *, dates: bool = False) -> tuple[str, list]:
    """A derived table of the months, `(SELECT %s AS i, %s AS starts, %s AS ends UNION ALL ...)`, with
    its parameters: each month's index, its start and its end (exclusive), as London instants or,
    with `dates`, as calendar dates."""
    parts, params = [], []
    for i, month in enumerate(months):
        parts.append("SELECT %s AS i, %s AS starts, %s AS ends")
        bounds = (month, next_month(month)) if dates else (start_instant(month), start_instant(next_month(month)))
        params += [i, *bounds]
    return "(" + " UNION ALL ".join(parts) + ")", params
