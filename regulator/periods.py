"""A run of months asked for as ?from=YYYY-MM&to=YYYY-MM (the metrics API and the dashboard page).

One parser, so the API's 400 and the page's error summary give the same field and reason.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .kpi_months import first_of_month, next_month
from .kpis import year_start
from .transitions import today

MAX_MONTHS = 12  # a board pack's year: every month of it fits a 1280 px screen and an A4 landscape page
FIRST_MONTH = dt.date(2000, 1, 1)
MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")  # ASCII digits only: \d takes any script's


class PeriodError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Period:
    months: list[dt.date] = field(default_factory=list)

    @property
    def first(self) -> dt.date:
        return self.months[0]

    @property
    def last(self) -> dt.date:
        return self.months[-1]

    @property
    def query(self) -> str:
        return f"from={self.first:%Y-%m}&to={self.last:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{self.first:%B %Y} to {self.last:%B %Y}" if len(self.months) > 1 else f"{self.first:%B %Y}"


def _month(raw: str, name: str) -> dt.date:
    match = MONTH.match(raw.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        raise PeriodError({name: "Give the month as YYYY-MM, such as 2020-04."})
    return dt.date(int(match[1]), int(match[2]), 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def default_period(on: dt.date | None = None) -> Period:
    """The regulator's year so far: April (1 April starts the year) to the current month."""
    current = first_of_month(on or today())
    return Period(months_between(year_start(current), current))


def parse_period(raw_from: str | None, raw_to: str | None, *, on: dt.date | None = None) -> Period:
    """The months from `raw_from` to `raw_to` inclusive (each YYYY-MM; either may be left out: the
    year so far, or twelve months ending at `to`, or `from` to the current month). Raises
    PeriodError({field: reason}) for a bad month, an end before the start, a month not yet begun or
    more than MAX_MONTHS."""
    current = first_of_month(on or today())
    if not raw_from and not raw_to:
        return default_period(current)
    errors: dict[str, str] = {}
    first = last = None
    for name, raw in (("from", raw_from), ("to", raw_to)):
        if not raw:
            continue
        try:
            month = _month(raw, name)
        except PeriodError as error:
            errors.update(error.errors)
            continue
        if month < FIRST_MONTH:
            errors[name] = f"Give a month from {FIRST_MONTH:%Y-%m} onwards."
        elif month > current:
            errors[name] = f"The month cannot be after the current month ({current:%Y-%m})."
        elif name == "from":
            first = month
        else:
            last = month
    if errors:
        raise PeriodError(errors)
    if last is None:
        last = current
    if first is None:
        back = last.year * 12 + last.month - MAX_MONTHS  # twelve months ending at `to`
        first = max(dt.date(back // 12, back % 12 + 1, 1), FIRST_MONTH)
    if first > last:
        raise PeriodError({"to": "The end month cannot be before the start month."})
    months = months_between(first, last)
    if len(months) > MAX_MONTHS:
        raise PeriodError({"to": f"Choose at most {MAX_MONTHS} months."})
    return Period(months)
