"""The clocks of complaints and information requests, in one place. Each is a function of dates read
from the event rows and of regulator.working_days; nothing here is stored."""

from __future__ import annotations

import datetime as dt

from regulator.working_days import add_calendar_months, add_working_days, is_working_day, wd

# The regulator's service standard: each stage of a complaint is closed within 20 working days.
COMPLAINT_STANDARD_WORKING_DAYS = 20
# Freedom of Information Act 2000, s.10: respond within 20 working days of receipt.
FOI_WORKING_DAYS = 20
# UK GDPR art. 12(3): one month from receipt, extendable by two further months when complex.
SAR_MONTHS = 1
SAR_EXTENSION_MONTHS = 2


def complaint_due_on(stage_started_on: dt.date) -> dt.date:
    """The day a complaint stage must be closed by: 20 working days after it started."""
    return add_working_days(stage_started_on, COMPLAINT_STANDARD_WORKING_DAYS)


def complaint_met_standard(stage_started_on: dt.date, closed_on: dt.date) -> bool:
    return wd(stage_started_on, closed_on) <= COMPLAINT_STANDARD_WORKING_DAYS


def complaint_in_breach(stage_started_on: dt.date, closed_on: dt.date | None, today: dt.date) -> bool:
    """Closed after its due date, or still open after it."""
    return (closed_on or today) > complaint_due_on(stage_started_on)


def information_request_due_on(kind: str, received_on: dt.date, extended: bool = False) -> dt.date:
    if kind == "foi":
        return add_working_days(received_on, FOI_WORKING_DAYS)
    months = SAR_MONTHS + (SAR_EXTENSION_MONTHS if extended else 0)
    return next_working_day(add_calendar_months(received_on, months))


def next_working_day(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the next one (ICO: a month that ends on a weekend
    or bank holiday runs to the next working day)."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def overdue_cutoff(today: dt.date, working_days: int = COMPLAINT_STANDARD_WORKING_DAYS) -> dt.date:
    """Started before this date and still open means past a `working_days` standard today: a filter
    the database can apply (wd(start, today) > n exactly when start < add_working_days(today, -n))."""
    return add_working_days(today, -working_days)


def information_request_on_time(kind: str, received_on: dt.date, closed_on: dt.date, extended: bool = False) -> bool:
    return closed_on <= information_request_due_on(kind, received_on, extended)
