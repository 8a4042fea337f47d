"""The clocks, across bank holidays: complaints and FOI in working days, subject access in calendar
months (to the next working day when the month ends on a weekend or bank holiday)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaints.deadlines import (
    complaint_due_on,
    complaint_in_breach,
    complaint_met_standard,
    information_request_due_on,
    information_request_on_time,
    overdue_cutoff,
)
from regulator.working_days import add_calendar_months, is_working_day, wd

# The targets are rows of the service standards table (regulator.service_standards).
pytestmark = [pytest.mark.django_db, pytest.mark.dates]

D = dt.date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2020, 4, 2), D(2020, 5, 4)),  # Easter 2020: Good Friday 10 and Easter Monday 13 April, not 30 April
        (D(2020, 4, 9), D(2020, 5, 12)),  # Easter plus the VE Day bank holiday moved to Friday 8 May 2020
        (D(2021, 12, 15), D(2022, 1, 17)),  # Christmas 2021: 27, 28 December and 3 January 2022 substitutes
        (D(2021, 12, 24), D(2022, 1, 26)),  # Christmas Eve: the break costs four working days
        (D(2021, 3, 1), D(2021, 3, 29)),  # an ordinary month: four weeks
    ],
)
def test_a_complaint_stage_is_due_20_working_days_after_it_starts(received, due):
    assert complaint_due_on(received) == due
    assert wd(received, due) == 20


def test_a_complaint_closed_on_its_due_date_meets_the_standard_and_a_day_later_does_not():
    assert complaint_met_standard(D(2020, 4, 2), D(2020, 5, 4))
    assert not complaint_met_standard(D(2020, 4, 2), D(2020, 5, 5))


def test_an_open_complaint_is_in_breach_only_after_its_due_date():
    assert not complaint_in_breach(D(2021, 12, 15), None, today=D(2022, 1, 17))
    assert complaint_in_breach(D(2021, 12, 15), None, today=D(2022, 1, 18))
    assert not complaint_in_breach(D(2021, 12, 15), D(2022, 1, 14), today=D(2022, 3, 1))


def test_the_overdue_cutoff_agrees_with_working_days_across_christmas():
    today = D(2022, 1, 18)
    cutoff = overdue_cutoff(today)
    for offset in range(-10, 10):
        start = cutoff + dt.timedelta(days=offset)
        assert (start < cutoff) == (wd(start, today) > 20), start


@pytest.mark.parametrize(
    ("received", "due"),
    [(D(2020, 4, 2), D(2020, 5, 4)), (D(2021, 12, 15), D(2022, 1, 17))],
)
def test_an_foi_request_is_due_in_20_working_days(received, due):
    assert information_request_due_on("foi", received) == due
    assert information_request_on_time("foi", received, due)
    assert not information_request_on_time("foi", received, due + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("received", "extended", "due"),
    [
        (D(2021, 3, 3), False, D(2021, 4, 6)),  # 3 April 2021 is Easter Saturday: Monday 5th is a holiday
        (D(2020, 3, 10), False, D(2020, 4, 14)),  # 10 April 2020 is Good Friday, 13th Easter Monday
        (D(2021, 11, 25), False, D(2021, 12, 29)),  # Christmas Day 2021 is a Saturday; 27 and 28 are holidays
        (D(2021, 1, 31), False, D(2021, 3, 1)),  # 28 February 2021 is a Sunday
        (D(2021, 2, 15), False, D(2021, 3, 15)),
        (D(2021, 1, 29), True, D(2021, 4, 29)),  # extended: three months in all
        (D(2021, 9, 25), True, D(2021, 12, 29)),  # extended into Christmas 2021
    ],
)
def test_a_subject_access_request_is_due_in_one_calendar_month_or_three_when_extended(received, extended, due):
    assert information_request_due_on("sar", received, extended) == due


days = st.dates(min_value=D(2019, 1, 1), max_value=D(2030, 12, 31))


@given(days, st.booleans())
def test_a_subject_access_deadline_is_the_first_working_day_on_or_after_the_calendar_month(received, extended):
    due = information_request_due_on("sar", received, extended)
    month_end = add_calendar_months(received, 3 if extended else 1)
    assert is_working_day(due) and due >= month_end
    assert all(not is_working_day(month_end + dt.timedelta(days=i)) for i in range((due - month_end).days))


@given(days)
def test_every_complaint_and_foi_due_date_is_a_working_day_20_working_days_on(received):
    for due in (complaint_due_on(received), information_request_due_on("foi", received)):
        assert is_working_day(due) and wd(received, due) == 20
        assert wd(received, due - dt.timedelta(days=1)) == 19
