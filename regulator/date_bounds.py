"""Sensible bounds for the dates people type, one named bound per rule (decision 0760).

Each app declares its bounds in its own `date_bounds.py` (a qualification date, a CPD date, a
complaint's received date, a hearing's first day ...). A bound is checked by the service that takes
the date (RuleViolation, 400, with the field and a sentence saying what is allowed) and can be
offered to a form as a validator, so the page says the same thing before the service is reached.

Bounds are relative to the regulator's today (`regulator.transitions.today`), so a test that moves
the clock moves the bounds; the case's own history (a hearing's date, an order's end) is passed in
as `after` / `before` with the words that name it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .errors import RuleViolation

Relative = Callable[[dt.date], dt.date]


def today() -> dt.date:
    from .transitions import today as regulator_today

    return regulator_today()


def years_ago(years: int) -> Relative:
    def earliest(on: dt.date) -> dt.date:
        return _shift_years(on, -years)

    return earliest


def years_ahead(years: int) -> Relative:
    def latest(on: dt.date) -> dt.date:
        return _shift_years(on, years)

    return latest


def days_ahead(days: int) -> Relative:
    return lambda on: on + dt.timedelta(days=days)


def on_the_day(on: dt.date) -> dt.date:
    return on


# Social Work England took over the regulation of social workers in England on 2 December 2019:
# nothing addressed to it (a complaint, an FOI request, a course approval request) was received before.
REGULATOR_STARTED = dt.date(2019, 12, 2)


def since_the_regulator_started(on: dt.date) -> dt.date:
    return REGULATOR_STARTED


def _shift_years(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year + years)
    except ValueError:  # 29 February in a year without one
        return on.replace(year=on.year + years, day=28)


def long_date(on: dt.date) -> str:
    return f"{on.day} {on:%B %Y}"


def _words(on: dt.date, reference: dt.date) -> str:
    if on == REGULATOR_STARTED:
        return f"{long_date(on)}, when Social Work England began"
    if on == reference:
        return "today"
    if on == reference + dt.timedelta(days=1):
        return f"tomorrow ({long_date(on)})"
    return long_date(on)


@dataclass(frozen=True)
class DateBound:
    """What a date is (`what`, the start of a sentence) and the window it must fall in, relative to today."""

    what: str
    earliest: Relative | None = None
    latest: Relative | None = None

    def window(self, *, on: dt.date | None = None) -> tuple[dt.date | None, dt.date | None]:
        on = on or today()
        return (self.earliest(on) if self.earliest else None, self.latest(on) if self.latest else None)

    def problem(
        self,
        value: dt.date,
        *,
        on: dt.date | None = None,
        after: tuple[dt.date, str] | None = None,
        before: tuple[dt.date, str] | None = None,
    ) -> str | None:
        """The sentence saying what is allowed, or None when `value` is allowed.

        `after=(date, words)`: the value must be on or after that date of the case's history;
        `before=(date, words)`: strictly before it (an order's end, say)."""
        on = on or today()
        earliest, latest = self.window(on=on)
        if after and (earliest is None or after[0] > earliest):
            earliest_words = f"{after[1]} ({long_date(after[0])})"
            earliest = after[0]
        else:
            earliest_words = _words(earliest, on) if earliest else ""
        latest_words = _words(latest, on) if latest else ""
        if before and (latest is None or before[0] - dt.timedelta(days=1) < latest):
            latest = before[0] - dt.timedelta(days=1)
            latest_words = f"the day before {before[1]} ({long_date(before[0])})"
        if earliest and latest and earliest > latest:
            return (
                f"{self.what} cannot be set: it would have to be on or after {earliest_words}"
                f" and on or before {latest_words}."
            )
        if (earliest and value < earliest) or (latest and value > latest):
            if earliest and latest:
                return f"{self.what} must be between {earliest_words} and {latest_words}."
            if earliest:
                return f"{self.what} must be on or after {earliest_words}."
            return f"{self.what} must be on or before {latest_words}."
        return None

    def check(self, value: dt.date, *, field: str, **context) -> dt.date:
        """The value, or RuleViolation (400) on `field` with the sentence that says what is allowed."""
        message = self.problem(value, **context)
        if message:
            raise RuleViolation(message, field=field)
        return value

    def validator(self) -> Callable[[dt.date], None]:
        """A form-field validator with the same rule and words (history-free part only)."""

        def validate(value: dt.date) -> None:
            if value is None:
                return
            message = self.problem(value)
            if message:
                raise ValidationError(message, code="date_out_of_bounds")

        return validate
