"""The date guard itself: a test that reads the real clock is caught on the stress days."""

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.today import moved_now, stress_days

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parent.parent

READS_THE_REAL_CLOCK = """
import datetime as dt

def test_the_renewal_window_is_open():
    # The shape of issue 8's bug: the real clock decides what the test sees.
    assert dt.date(dt.date.today().year, 9, 1) <= dt.date.today() <= dt.date(dt.date.today().year, 11, 30)
"""

FREEZES_ITS_CLOCK = """
import datetime as dt
import time_machine

def test_the_renewal_window_is_open():
    with time_machine.travel(dt.datetime(2027, 10, 1, 9, tzinfo=dt.timezone.utc), tick=False):
        assert dt.date(dt.date.today().year, 9, 1) <= dt.date.today() <= dt.date(dt.date.today().year, 11, 30)
"""


def run_on_every_stress_day(pytester, source: str) -> dict[str, int]:
    """What the guard does (scripts/test): the module run once per stress day; exit code by day."""
    pytester.makepyfile(test_sample=source)
    outcomes = {}
    for day in stress_days():
        result = pytester.runpytest_subprocess("-p", "tests.today", "-p", "no:cacheprovider", "--today", day)
        outcomes[day] = result.ret
    return outcomes


@pytest.fixture
def pytester_with_project(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # only the guard's plugin: a fast start per day
    return pytester


def test_a_test_that_reads_the_real_clock_fails_on_some_stress_days(pytester_with_project):
    outcomes = run_on_every_stress_day(pytester_with_project, READS_THE_REAL_CLOCK)
    assert outcomes["2027-10-31T01:30+01:00"] == 0  # inside the window it passes, as it did when written
    failed = [day for day, code in outcomes.items() if code != 0]
    assert "2027-12-01T00:05+00:00" in failed and "2028-03-31T23:30+00:00" in failed


def test_the_same_test_on_a_frozen_clock_passes_on_every_stress_day(pytester_with_project):
    outcomes = run_on_every_stress_day(pytester_with_project, FREEZES_ITS_CLOCK)
    assert set(outcomes.values()) == {0}, outcomes


def test_a_bare_date_is_midday_in_london_and_an_instant_is_read_in_london():
    assert moved_now("2027-06-30").isoformat() == "2027-06-30T12:00:00+01:00"
    assert moved_now("2028-03-31T23:30+00:00").isoformat() == "2028-04-01T00:30:00+01:00"  # the same instant


def test_an_instant_without_its_offset_is_refused():
    with pytest.raises(pytest.UsageError, match="offset"):
        moved_now("2027-03-28T01:30")


def test_the_stress_days_cover_what_the_rules_turn_on():
    days = [moved_now(day) for day in stress_days()]
    london = [day.astimezone(moved_now("2027-01-01").tzinfo) for day in days]
    assert any((d.month, d.day) == (9, 1) for d in london) and any((d.month, d.day) == (11, 30) for d in london)
    raw = [dt.datetime.fromisoformat(day) for day in stress_days() if len(day) > 10]
    assert any(r.astimezone(dt.UTC).day == 31 and r.astimezone(london[0].tzinfo).day == 1 for r in raw)
    assert any((d.month, d.day) == (2, 29) for d in london) and any((d.month, d.day) == (12, 31) for d in london)


def test_stress_days_runs_each_marked_test_once_per_day_in_one_session(pytester_with_project):
    """What ./scripts/test does: `--stress-days -m dates`, one session, the day in each test's id."""
    pytester_with_project.makepyfile(
        test_sample="import pytest\n"
        + READS_THE_REAL_CLOCK.replace("def test_", "@pytest.mark.dates\ndef test_")
        + "\ndef test_not_about_dates():\n    pass\n"
    )
    pytester_with_project.makeini("[pytest]\nmarkers =\n    dates: depends on the date\n")
    result = pytester_with_project.runpytest_subprocess(
        "-p", "tests.today", "-p", "no:cacheprovider", "--stress-days", "-m", "dates"
    )
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) + outcomes.get("failed", 0) == len(stress_days())
    assert outcomes.get("failed", 0) > 0 and outcomes.get("passed", 0) > 0
    result.stdout.fnmatch_lines(["*FAILED*test_the_renewal_window_is_open?today=2027-12-01T00:05+00:00*"])
    assert "today=2027-10-31T01:30+01:00] FAILED" not in result.stdout.str()
