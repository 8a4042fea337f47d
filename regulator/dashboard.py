"""The board's dashboard: which function computes each KPI's months, and the year's reports.

Each app computes its own KPIs where its events live (registration/kpis.py,
fitness_to_practise/kpis.py); this registry maps a KPI code to that monthly function and turns the
months into regulator.kpis reports. One query per KPI, whatever the number of events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.utils import timezone

from .kpi_months import MonthlyFunction, first_of_month, next_month
from .kpis import KPIS, KpiReport, report
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


@cache
def monthly_function(code: str) -> MonthlyFunction:
    module, _, name = MONTHLY_FUNCTIONS[code].rpartition(".")
    return getattr(import_module(module), name)


def current_year(today: dt.date | None = None) -> int:
    """The regulator's year (from 1 April) containing today, named by the calendar year it starts in."""
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def year_months(year: int, today: dt.date | None = None) -> list[dt.date]:
    """April of `year` to March of the next, less the months not yet begun (a past year is whole)."""
    today = today or timezone.localdate()
    months, month = [], dt.date(year, 4, 1)
    while month < dt.date(year + 1, 4, 1) and month <= first_of_month(today):
        months.append(month)
        month = next_month(month)
    return months


def readable_codes(user) -> list[str]:
    """The KPIs a user may read: all of them for executives and administrators, their function's otherwise."""
    if has_role(user, *DASHBOARD_ROLES):
        return list(KPIS)
    return [code for code in KPIS if has_role(user, *GROUP_OF[code].readers)]


def kpi_report(code: str, year: int, today: dt.date | None = None) -> KpiReport:
    months = year_months(year, today)
    kpi = KPIS[code]
    return report(kpi, monthly_function(code)(months) if months else [])


def year_reports(year: int, codes: list[str] | None = None, today: dt.date | None = None) -> list[KpiReport]:
    """Every KPI's report for the year (one query per KPI)."""
    return [kpi_report(code, year, today) for code in (codes if codes is not None else list(KPIS))]
