"""The board's KPIs: aims, RAG, year to date and direction of travel (shared/kpis.md, exactly).

Pure functions over monthly figures. Each app's selectors compute a KPI's monthly populations
from its events; this module turns them into what the dashboard shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    PERCENTAGE = "percentage"
    COUNT = "count"


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Direction(StrEnum):
    UP = "up"
    LEVEL = "level"
    DOWN = "down"


@dataclass(frozen=True)
class KPI:
    code: str
    description: str
    kind: Kind
    aim: float  # a percentage (0-100) or a count
    higher_is_better: bool  # ">= aim" when True, "<= aim" when False

    @property
    def tolerance(self) -> float:
        """5 points where the aim is 40% or less, 10 points where it is 80% or more, 10% of a count."""
        if self.kind is Kind.COUNT:
            return self.aim * 0.10
        if self.aim <= 40:
            return 5.0
        if self.aim >= 80:
            return 10.0
        raise ValueError(f"{self.code}: kpis.md gives no tolerance for a {self.aim}% aim")

    @property
    def aim_label(self) -> str:
        sign = ">=" if self.higher_is_better else "<="
        return f"{sign} {self.aim:g}%" if self.kind is Kind.PERCENTAGE else f"{sign} {self.aim:,.0f}"


KPIS: dict[str, KPI] = {
    k.code: k
    for k in [
        KPI(
            "REG1",
            "UK applications with no investigation required approved within 10 working days",
            Kind.PERCENTAGE,
            95,
            True,
        ),
        KPI("REG2", "Calls answered within 5 minutes", Kind.PERCENTAGE, 90, True),
        KPI("REG3", "Emails answered within 5 working days", Kind.PERCENTAGE, 95, True),
        KPI(
            "TRI1",
            "Cases through triage in under 28 days after establishing the case concerns a social worker",
            Kind.PERCENTAGE,
            80,
            True,
        ),
        KPI(
            "TRI2",
            "Cases progressing to initial review and streamed within 10 working days",
            Kind.PERCENTAGE,
            100,
            True,
        ),
        KPI("TRI3", "Open cases in triage (end of month)", Kind.COUNT, 300, False),
        KPI("TRI4", "Cases closed at triage stage", Kind.PERCENTAGE, 40, True),
        KPI("INV1", "Open cases at investigation stage (end of month)", Kind.COUNT, 1100, False),
        KPI(
            "INV2", "Social Work England cases progressed to case examiners within 6 months", Kind.PERCENTAGE, 80, True
        ),
        KPI("INV3", "HCPC cases closed or progressed (cumulative, toward December 2021)", Kind.PERCENTAGE, 80, True),
        KPI("CE1", "Initial decisions made by case examiners within 10 working days", Kind.PERCENTAGE, 100, True),
        KPI("CE2", "HCPC case examiner cases referred to hearing", Kind.PERCENTAGE, 40, False),
        KPI("CE3", "Social Work England case examiner cases referred to hearing", Kind.PERCENTAGE, 25, False),
    ]
}
# KPIs whose monthly value is a snapshot (a count at month end, or a cumulative share): year to
# date is the latest month, not the pooled months.
SNAPSHOT_KPIS = frozenset({"TRI3", "INV1", "INV3"})


@dataclass(frozen=True)
class Month:
    """One month's figure: met/population for a percentage, or value for a count."""

    month: dt.date  # the first day of the month
    met: int = 0
    population: int = 0
    value: float | None = None

    @property
    def result(self) -> float | None:
        """The month's value; None where a percentage has an empty population (not 0%)."""
        if self.value is not None:
            return self.value
        return 100.0 * self.met / self.population if self.population else None


def rag(kpi: KPI, value: float | None) -> Rag | None:
    if value is None:
        return None
    shortfall = (kpi.aim - value) if kpi.higher_is_better else (value - kpi.aim)
    if shortfall <= 0:
        return Rag.GREEN
    return Rag.AMBER if shortfall <= kpi.tolerance + 1e-9 else Rag.RED


def year_start(day: dt.date) -> dt.date:
    """The regulator's year starts on 1 April."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def year_to_date(kpi: KPI, months: Sequence[Month]) -> float | None:
    """Pooled over the year's months (not a mean of percentages); a snapshot KPI's latest month."""
    if not months:
        return None
    if kpi.kind is Kind.COUNT or kpi.code in SNAPSHOT_KPIS:
        return months[-1].result
    met, population = sum(m.met for m in months), sum(m.population for m in months)
    return 100.0 * met / population if population else None


def direction_of_travel(kpi: KPI, months: Sequence[Month]) -> tuple[Direction, Rag] | None:
    """The slope of a least-squares line through the months' values, month i weighted i; level when
    the fitted change over the year is within 2 points (percentages) or 2% of the aim (counts)."""
    points = [(float(i), m.result, float(i)) for i, m in enumerate(months, start=1) if m.result is not None]
    if len(points) < 2:
        return None
    weights = sum(w for _, _, w in points)
    mean_x = sum(w * x for x, _, w in points) / weights
    mean_y = sum(w * y for _, y, w in points) / weights  # type: ignore[operator]
    sxx = sum(w * (x - mean_x) ** 2 for x, _, w in points)
    sxy = sum(w * (x - mean_x) * (y - mean_y) for x, y, w in points)  # type: ignore[operator]
    slope = sxy / sxx if sxx else 0.0
    change = slope * (points[-1][0] - points[0][0])
    threshold = 2.0 if kpi.kind is Kind.PERCENTAGE else 0.02 * kpi.aim
    if abs(change) <= threshold:
        return Direction.LEVEL, Rag.AMBER
    direction = Direction.UP if change > 0 else Direction.DOWN
    good = (direction is Direction.UP) == kpi.higher_is_better
    return direction, (Rag.GREEN if good else Rag.RED)


@dataclass(frozen=True)
class KpiReport:
    kpi: KPI
    months: tuple[Month, ...]
    year_to_date: float | None
    year_to_date_rag: Rag | None
    direction: Direction | None
    direction_rag: Rag | None
    year_start: dt.date | None = None  # the first month of the year to date and direction of travel

    def as_dict(self) -> dict:
        return {
            "code": self.kpi.code,
            "description": self.kpi.description,
            "kind": str(self.kpi.kind),
            "aim": self.kpi.aim,
            "aim_label": self.kpi.aim_label,
            "months": [
                {
                    "month": m.month.isoformat(),
                    "value": None if m.result is None else round(m.result, 1),
                    "met": m.met if self.kpi.kind is Kind.PERCENTAGE else None,
                    "population": m.population if self.kpi.kind is Kind.PERCENTAGE else None,
                    "rag": rag(self.kpi, m.result),
                }
                for m in self.months
            ],
            "year_to_date": None if self.year_to_date is None else round(self.year_to_date, 1),
            "year_to_date_from": self.year_start.isoformat() if self.year_start else None,
            "year_to_date_rag": self.year_to_date_rag,
            "direction": self.direction,
            "direction_rag": self.direction_rag,
        }


def report(kpi: KPI, months: Sequence[Month], *, year: Sequence[Month] | None = None) -> KpiReport:
    """What the dashboard shows for one KPI over `months` (oldest first). Year to date and the
    direction of travel are over `year`, the regulator year's months from April (by default the
    months shown, when they are one regulator year)."""
    year = months if year is None else year
    ytd = year_to_date(kpi, year)
    travel = direction_of_travel(kpi, year)
    return KpiReport(
        kpi=kpi,
        months=tuple(months),
        year_to_date=ytd,
        year_to_date_rag=rag(kpi, ytd),
        direction=travel[0] if travel else None,
        direction_rag=travel[1] if travel else None,
        year_start=year[0].month if year else None,
    )
