"""The working-day calendar: Monday to Friday, less the bank holidays of England and Wales.

The one place that knows what a working day is (kpis.md, "Time"). Bank holidays come from the
`holidays` package (country GB, subdivision England; Wales has the same bank holidays). Every
function takes and returns calendar dates; convert instants with `local_date` first.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
_FIRST_YEAR, _LAST_YEAR = 1990, 2100


@lru_cache(maxsize=1)
def _bank_holidays() -> tuple[dt.date, ...]:
    """Bank holidays that fall on a weekday (those are the only ones that change a count), sorted."""
    table = holidays.country_holidays("GB", subdiv="ENG", years=range(_FIRST_YEAR, _LAST_YEAR + 1))
    return tuple(sorted(d for d in table if d.weekday() < 5))


@lru_cache(maxsize=1)
def _bank_holiday_set() -> frozenset[dt.date]:
    return frozenset(_bank_holidays())


def weekday_bank_holidays() -> list[dt.date]:
    """Every bank holiday on a weekday from 1990 to 2100: the dates the KPI statements' SQL calendar
    leaves out, so that it counts exactly as `wd` does (regulator.kpi_months.calendar_sql)."""
    return list(_bank_holidays())


def bank_holidays(year: int) -> list[dt.date]:
    """Every bank holiday in England and Wales in a year (including any that fall at a weekend)."""
    return sorted(holidays.country_holidays("GB", subdiv="ENG", years=year))


def local_date(value: dt.datetime | dt.date) -> dt.date:
    """The calendar date of an instant in Europe/London; a date is returned as it is."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("a naive datetime has no place in the calendar: give it a time zone")
        return value.astimezone(LONDON).date()
    return value


def is_working_day(day: dt.date) -> bool:
    day = local_date(day)
    return day.weekday() < 5 and day not in _bank_holiday_set()


def _weekdays_up_to(day: dt.date) -> int:
    """Monday-to-Friday days from an arbitrary fixed Monday up to and including `day`."""
    ordinal = day.toordinal() - 1  # date(1, 1, 1) is a Monday, ordinal 1
    weeks, rest = divmod(ordinal + 1, 7)
    return weeks * 5 + min(rest, 5)


def _working_days_up_to(day: dt.date) -> int:
    return _weekdays_up_to(day) - bisect.bisect_right(_bank_holidays(), day)


def wd(a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> int:
    """Working days d with a < d <= b (negative when b is before a). Same day: 0."""
    a, b = local_date(a), local_date(b)
    return _working_days_up_to(b) - _working_days_up_to(a)


def cd(a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> int:
    """Calendar days from a to b."""
    return (local_date(b) - local_date(a)).days


def add_working_days(start: dt.date | dt.datetime, n: int) -> dt.date:
    """The date n working days after start, so that wd(start, result) == n (a due date).

    For negative n, the working day n working days before start, so that wd(result, start) == -n.
    For n = 0 the start itself, even when it is not a working day.
    """
    day = local_date(start)
    if n == 0:
        return day
    # wd is monotone in each argument, so the answer is found by bisection over a bounded window
    # (n working days never span more than 2n + 14 calendar days: weekends plus a Christmas break).
    span = 2 * abs(n) + 14
    if n > 0:
        # The earliest t with wd(day, t) >= n: a working day, since wd only grows on working days.
        lo, hi = 1, span
        while lo < hi:
            mid = (lo + hi) // 2
            if wd(day, day + dt.timedelta(days=mid)) >= n:
                hi = mid
            else:
                lo = mid + 1
        return day + dt.timedelta(days=lo)
    # The latest t with wd(t, day) >= -n: the working day that starts the -n counted days.
    lo, hi = 1, span
    while lo < hi:
        mid = (lo + hi) // 2
        if wd(day - dt.timedelta(days=mid), day) >= -n:
            hi = mid
        else:
            lo = mid + 1
    result = day - dt.timedelta(days=lo)
    while not is_working_day(result):  # a weekend or holiday before it leaves the count unchanged
        result -= dt.timedelta(days=1)
    return result


def add_calendar_months(start: dt.date, months: int) -> dt.date:
    """The same day `months` later, or that month's last day when it is shorter (31 Aug + 6 = 28 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


FIRST_DAY, LAST_DAY = dt.date(_FIRST_YEAR, 1, 1), dt.date(_LAST_YEAR, 12, 31)


def calendar_rows(first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> list[tuple[dt.date, bool, int]]:
    """(day, is working day, working days up to and including it) for every day: the rows of the
    calendar table (models.WorkingDay), so SQL counts wd(a, b) as ordinal(b) - ordinal(a)."""
    rows = []
    day = first
    while day <= last:
        rows.append((day, is_working_day(day), _working_days_up_to(day)))
        day += dt.timedelta(days=1)
    return rows
