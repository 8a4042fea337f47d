"""The board's dashboard: which function computes each KPI's months, and the reports of a range.

Each app computes its own KPIs where its events live (registration/kpis.py,
fitness_to_practise/kpis.py); this registry maps a KPI code to that monthly function and turns the
months into regulator.kpis reports. Months are read from the kept months (regulator.kpi_cache)
and only those missing are computed: each app statement once for all the months missing, a shared
statement (SHARED_FUNCTIONS) once for all its KPIs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.utils import timezone

from . import kpi_cache
from .kpi_months import MonthlyFunction, first_of_month, next_month
from .kpis import KPIS, KpiReport, Month, report
from .roles import FTP_ROLES, Role, has_role

# KPI code -> "module.function" (imported when first used, so regulator depends on no app at import).
MONTHLY_FUNCTIONS: dict[str, str] = {
    "REG1": "registration.kpis.reg1_months",
    "REG2": "registration.kpis.reg2_months",
    "REG3": "registration.kpis.reg3_months",
    "TRI1": "fitness_to_practise.kpis.tri1_months",
    "TRI2": "fitness_to_practise.kpis.tri2_months",
    "TRI3": "fitness_to_practise.kpis.tri3_months",
    "TRI4": "fitness_to_practise.kpis.tri4_months",
    "INV1": "fitness_to_practise.kpis.inv1_months",
    "INV2": "fitness_to_practise.kpis.inv2_months",
    "INV3": "fitness_to_practise.kpis.inv3_months",
    "CE1": "fitness_to_practise.kpis.ce1_months",
    "CE2": "fitness_to_practise.kpis.ce2_months",
    "CE3": "fitness_to_practise.kpis.ce3_months",
}
# A statement that computes several KPIs at once (one fetch of the case histories): "module.function"
# returning {code: months} -> the codes it computes. Used in place of those codes' own functions.
SHARED_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "fitness_to_practise.kpis.closing_months": ("TRI1", "TRI2", "TRI4", "INV2", "CE1", "CE2", "CE3"),
    "fitness_to_practise.kpis.snapshot_months": ("TRI3", "INV1"),
}
# Everything that decides a kept month's figures: a change to any of these recomputes them all.
RULES_MODULES = ("regulator.kpi_months", "regulator.working_days", "registration.kpis", "fitness_to_practise.kpis")


@dataclass(frozen=True)
class KpiGroup:
    slug: str
    title: str
    codes: tuple[str, ...]
    readers: tuple[Role, ...]  # besides executives and administrators, the function's own staff


GROUPS: tuple[KpiGroup, ...] = (
    KpiGroup("registration", "Registration", ("REG1", "REG2", "REG3"), (Role.REGISTRATION_OFFICER,)),
    KpiGroup("triage", "Fitness to practise: triage", ("TRI1", "TRI2", "TRI3", "TRI4"), tuple(FTP_ROLES)),
    KpiGroup("investigation", "Fitness to practise: investigation", ("INV1", "INV2", "INV3"), tuple(FTP_ROLES)),
    KpiGroup("case-examiners", "Fitness to practise: case examiners", ("CE1", "CE2", "CE3"), tuple(FTP_ROLES)),
)
GROUP_OF: dict[str, KpiGroup] = {code: group for group in GROUPS for code in group.codes}
DASHBOARD_ROLES = (Role.EXECUTIVE, Role.ADMINISTRATOR)
READER_ROLES = tuple({*DASHBOARD_ROLES, *(role for group in GROUPS for role in group.readers)})


def _function(path: str):
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)


@cache
def monthly_function(code: str) -> MonthlyFunction:
    return _function(MONTHLY_FUNCTIONS[code])


def current_year(today: dt.date | None = None) -> int:
    """The regulator's year (from 1 April) containing today, named by the calendar year it starts in."""
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from `first` to `last`, both included."""
    months, month = [], first_of_month(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def year_months(year: int, today: dt.date | None = None) -> list[dt.date]:
    """April of `year` to March of the next, less the months not yet begun (a past year is whole)."""
    today = today or timezone.localdate()
    return month_range(dt.date(year, 4, 1), min(dt.date(year + 1, 3, 1), first_of_month(today)))


def _span(months: set[dt.date]) -> list[dt.date]:
    return month_range(min(months), max(months))


def kpi_months(codes: list[str], months: list[dt.date]) -> dict[str, list[Month]]:
    """Each code's Month for each of `months`: kept months read in one query, the missing ones
    computed (one statement per app function or shared statement, over the span of months
    missing) and kept."""
    rules = kpi_cache.rules_fingerprint(RULES_MODULES)
    found = kpi_cache.read(codes, months, rules)
    missing: dict[str, set[dt.date]] = {}
    for code in codes:
        absent = {m for m in months if (code, m) not in found}
        if absent:
            missing[code] = absent

    def compute() -> dict[kpi_cache.Key, Month]:
        computed: dict[kpi_cache.Key, Month] = {}
        left = dict(missing)
        for path, shared in SHARED_FUNCTIONS.items():
            wanted = set().union(*(left.pop(code) for code in shared if code in left))
            if wanted:
                for code, results in _function(path)(_span(wanted)).items():
                    computed.update(((code, m.month), m) for m in results)
        for code, wanted in left.items():
            computed.update(((code, m.month), m) for m in monthly_function(code)(_span(wanted)))
        return computed

    if missing:
        found.update(kpi_cache.compute_and_keep(compute, rules))
    return {code: [found[code, m] for m in months] for code in codes}


def year_to_date_months(last: dt.date) -> list[dt.date]:
    """From 1 April of the regulator year containing `last` to `last`."""
    return month_range(dt.date(current_year(last), 4, 1), last)


def range_reports(
    first: dt.date, last: dt.date, codes: list[str] | None = None, today: dt.date | None = None
) -> list[KpiReport]:
    """Each KPI over the months from `first` to `last` (those begun by today), with year to date
    and direction of travel over the regulator year of the range's last month, April to that month."""
    codes = codes if codes is not None else list(KPIS)
    today = today or timezone.localdate()
    shown = month_range(first, min(last, first_of_month(today)))
    if not shown:
        return [report(KPIS[code], []) for code in codes]
    ytd = year_to_date_months(shown[-1])
    values = kpi_months(codes, sorted({*shown, *ytd}))
    by_month = {code: {m.month: m for m in months} for code, months in values.items()}
    return [
        report(KPIS[code], [by_month[code][m] for m in shown], year=[by_month[code][m] for m in ytd]) for code in codes
    ]


def readable_codes(user) -> list[str]:
    """The KPIs a user may read: all of them for executives and administrators, their function's otherwise."""
    if has_role(user, *DASHBOARD_ROLES):
        return list(KPIS)
    return [code for code in KPIS if has_role(user, *GROUP_OF[code].readers)]


def kpi_report(code: str, year: int, today: dt.date | None = None) -> KpiReport:
    return year_reports(year, [code], today)[0]


def year_reports(year: int, codes: list[str] | None = None, today: dt.date | None = None) -> list[KpiReport]:
    """Every KPI's report for the regulator year (April to March, the months begun so far)."""
    return range_reports(dt.date(year, 4, 1), dt.date(year + 1, 3, 1), codes, today)
