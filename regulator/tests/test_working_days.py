"""The working-day calendar against known dates and, with hypothesis, against a plain count."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regulator.working_days import add_calendar_months, add_working_days, bank_holidays, cd, is_working_day, wd

pytestmark = pytest.mark.dates

dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31))


def brute_force_wd(a: dt.date, b: dt.date) -> int:
    sign, (lo, hi) = (1, (a, b)) if a <= b else (-1, (b, a))
    return sign * sum(1 for i in range(1, (hi - lo).days + 1) if is_working_day(lo + dt.timedelta(days=i)))


def test_easter_2020_good_friday_and_easter_monday_are_not_working_days():
    assert not is_working_day(dt.date(2020, 4, 10))
    assert not is_working_day(dt.date(2020, 4, 13))
    # Thursday before Easter to the Tuesday after: only the Tuesday counts.
    assert wd(dt.date(2020, 4, 9), dt.date(2020, 4, 14)) == 1


def test_may_2020_early_bank_holiday_moved_to_friday_8_may_for_ve_day():
    assert dt.date(2020, 5, 8) in bank_holidays(2020)
    assert dt.date(2020, 5, 4) not in bank_holidays(2020)
    assert is_working_day(dt.date(2020, 5, 4))
    assert not is_working_day(dt.date(2020, 5, 8))


def test_christmas_2021_falls_at_a_weekend_so_27_and_28_december_are_bank_holidays():
    assert not is_working_day(dt.date(2021, 12, 27))
    assert not is_working_day(dt.date(2021, 12, 28))
    assert add_working_days(dt.date(2021, 12, 24), 1) == dt.date(2021, 12, 29)


def test_examples_from_the_kpi_rules():
    monday = dt.date(2021, 3, 1)
    assert wd(monday, monday) == 0
    assert wd(monday, monday + dt.timedelta(days=7)) == 5


def test_ten_working_days_from_a_receipt_before_easter_2020():
    # Received Wed 1 April 2020: ten working days skips Good Friday and Easter Monday.
    assert add_working_days(dt.date(2020, 4, 1), 10) == dt.date(2020, 4, 17)


def test_calendar_months_clamp_to_the_month_end():
    assert add_calendar_months(dt.date(2020, 8, 31), 6) == dt.date(2021, 2, 28)
    assert add_calendar_months(dt.date(2020, 1, 15), 6) == dt.date(2020, 7, 15)
    assert cd(dt.date(2020, 1, 1), dt.date(2020, 3, 1)) == 60


def test_an_instant_counts_on_its_london_date():
    late_evening_utc = dt.datetime(2020, 6, 30, 23, 30, tzinfo=dt.UTC)  # 00:30 on 1 July in London
    assert wd(dt.date(2020, 6, 30), late_evening_utc) == 1
    with pytest.raises(ValueError, match="naive"):
        wd(dt.datetime(2020, 6, 30, 12), dt.date(2020, 7, 1))


@given(dates, dates)
def test_wd_matches_a_day_by_day_count(a, b):
    if abs((b - a).days) > 400:
        b = a + dt.timedelta(days=(b - a).days % 400)
    assert wd(a, b) == brute_force_wd(a, b)


@given(dates, dates, dates)
def test_wd_adds_up_across_an_intermediate_date(a, b, c):
    assert wd(a, b) + wd(b, c) == wd(a, c)


@given(dates, dates)
def test_wd_is_antisymmetric_and_never_exceeds_calendar_days(a, b):
    assert wd(a, b) == -wd(b, a)
    assert abs(wd(a, b)) <= abs(cd(a, b))


@given(dates, st.integers(min_value=-300, max_value=300))
def test_adding_working_days_lands_on_a_working_day_n_working_days_away(start, n):
    result = add_working_days(start, n)
    if n == 0:
        assert result == start
    elif n > 0:
        assert wd(start, result) == n
        assert is_working_day(result)
        assert wd(start, result - dt.timedelta(days=1)) == n - 1  # the earliest such day
    else:
        assert wd(result, start) == -n
        assert is_working_day(result)
