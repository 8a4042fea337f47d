"""The clocks of complaints and information requests, in one place. Each is a function of dates read
from the event rows, of the service standards table (regulator.service_standards: `complaint_stage`,
`foi`, `subject_access`, the rule in force on the day the clock started) and of
regulator.working_days; nothing here is stored."""

from __future__ import annotations

import datetime as dt

from regulator.models import ServiceStandard
from regulator.service_standards import due_on, target
from regulator.working_days import add_working_days, is_working_day

Code = ServiceStandard.Code


def complaint_due_on(stage_started_on: dt.date) -> dt.date:
    """The day a complaint stage must be closed by (as seeded: 20 working days after it started)."""
    return due_on(target(Code.COMPLAINT_STAGE, on=stage_started_on), stage_started_on)


def complaint_met_standard(stage_started_on: dt.date, closed_on: dt.date) -> bool:
    return closed_on <= complaint_due_on(stage_started_on)


def complaint_in_breach(stage_started_on: dt.date, closed_on: dt.date | None, today: dt.date) -> bool:
    """Closed after its due date, or still open after it."""
    return (closed_on or today) > complaint_due_on(stage_started_on)


def information_request_code(kind: str) -> str:
    return Code.FOI if kind == "foi" else Code.SUBJECT_ACCESS


def information_request_due_on(kind: str, received_on: dt.date, extended: bool = False) -> dt.date:
    """FOI: 20 working days (40 with the public interest extension); subject access: one month (three when
    extended), to the next working day."""
    return due_on(target(information_request_code(kind), on=received_on), received_on, extended=extended)


def next_working_day(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the next one (ICO: a month that ends on a weekend
    or bank holiday runs to the next working day)."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def overdue_cutoff(today: dt.date, working_days: int | None = None) -> dt.date:
    """Started before this date and still open means past a `working_days` standard today (by default
    the complaint standard in force today): a filter the database can apply (wd(start, today) > n
    exactly when start < add_working_days(today, -n)). The kept timers (regulator.timers) measure
    each stage by the rule of the day it started."""
    if working_days is None:
        working_days = target(Code.COMPLAINT_STAGE, on=today).amount
    return add_working_days(today, -working_days)


def information_request_on_time(kind: str, received_on: dt.date, closed_on: dt.date, extended: bool = False) -> bool:
    return closed_on <= information_request_due_on(kind, received_on, extended)
