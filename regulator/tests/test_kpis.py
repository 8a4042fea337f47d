"""RAG, year to date and direction of travel, exactly as shared/kpis.md defines them."""

import datetime as dt

import pytest

from regulator.kpis import KPIS, Direction, Month, Rag, direction_of_travel, rag, report, year_start, year_to_date

pytestmark = pytest.mark.dates


def months(values, *, start=dt.date(2020, 4, 1)):
    out = []
    for i, v in enumerate(values):
        first = dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        out.append(Month(first, value=v) if isinstance(v, int | float) else Month(first, met=v[0], population=v[1]))
    return out


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("REG1", 95.0, Rag.GREEN),  # meets the aim exactly
        ("REG1", 85.0, Rag.AMBER),  # 10 points short: within tolerance for an aim of 80% or more
        ("REG1", 84.9, Rag.RED),
        ("TRI4", 35.0, Rag.AMBER),  # aim 40% or less: 5 points of tolerance
        ("TRI4", 34.9, Rag.RED),
        ("CE3", 25.0, Rag.GREEN),  # "<= 25%": lower is better
        ("CE3", 30.0, Rag.AMBER),
        ("CE3", 30.1, Rag.RED),
        ("TRI3", 330, Rag.AMBER),  # a count: 10% of the aim (300 -> 30)
        ("TRI3", 331, Rag.RED),
        ("INV1", 1100, Rag.GREEN),
        ("INV1", 1210, Rag.AMBER),
    ],
)
def test_rag_uses_the_tolerance_of_each_kind_of_aim(code, value, expected):
    assert rag(KPIS[code], value) == expected


def test_a_month_with_no_population_has_no_value_not_zero():
    assert Month(dt.date(2020, 4, 1), met=0, population=0).result is None
    assert rag(KPIS["REG1"], None) is None


def test_year_to_date_pools_the_populations_rather_than_averaging_percentages():
    # 1/1 (100%) and 0/9 (0%): the mean of percentages would be 50%, pooled it is 10%.
    assert year_to_date(KPIS["REG1"], months([(1, 1), (0, 9)])) == pytest.approx(10.0)


def test_year_to_date_of_a_count_is_the_latest_month():
    assert year_to_date(KPIS["TRI3"], months([250, 280, 310])) == 310


def test_the_regulators_year_starts_in_april():
    assert year_start(dt.date(2021, 3, 31)) == dt.date(2020, 4, 1)
    assert year_start(dt.date(2021, 4, 1)) == dt.date(2021, 4, 1)


def test_a_rising_percentage_is_up_and_green_when_higher_is_better():
    assert direction_of_travel(KPIS["REG1"], months([80, 84, 88, 92])) == (Direction.UP, Rag.GREEN)


def test_a_rising_count_is_up_and_red_when_lower_is_better():
    assert direction_of_travel(KPIS["TRI3"], months([200, 250, 300, 350])) == (Direction.UP, Rag.RED)


def test_a_falling_count_is_down_and_green_when_lower_is_better():
    assert direction_of_travel(KPIS["INV1"], months([1300, 1250, 1150, 1100])) == (Direction.DOWN, Rag.GREEN)


def test_a_change_within_two_points_over_the_year_is_level_and_amber():
    assert direction_of_travel(KPIS["REG2"], months([90, 91, 90, 91.5])) == (Direction.LEVEL, Rag.AMBER)


def test_recent_months_weigh_more_than_early_ones():
    # An early dip then a steady climb: weighted towards recent months the trend is up.
    assert direction_of_travel(KPIS["REG3"], months([99, 70, 75, 80, 85, 90]))[0] is Direction.UP


def test_months_with_no_value_are_left_out_of_the_trend():
    # 90% every month but one with no population: level. Counted as 0%, the gap would read as a rise.
    series = months([(9, 10), (0, 0), (18, 20), (27, 30)])
    assert direction_of_travel(KPIS["REG1"], series) == (Direction.LEVEL, Rag.AMBER)


def test_a_report_carries_every_month_with_its_rag_and_the_year_to_date():
    data = report(KPIS["REG1"], months([(19, 20), (17, 20)])).as_dict()
    assert [m["value"] for m in data["months"]] == [95.0, 85.0]
    assert [m["rag"] for m in data["months"]] == ["green", "amber"]
    assert data["year_to_date"] == 90.0 and data["year_to_date_rag"] == "amber"
    assert data["aim_label"] == ">= 95%"
