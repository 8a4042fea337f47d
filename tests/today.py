"""The suite's clock guard: `pytest --today WHEN` runs a whole session as if the clock read WHEN.

Loaded from the root conftest (`pytest_plugins`). Each xdist process runs `pytest_configure`, so
every test process moves its clock, and each test starts again at WHEN and ticks on from it (a run
of several minutes must not drift past the midnight it was meant to stand before). Tests that freeze
their own clock (`time_machine.travel`, the `time_machine` fixture) still do, inside it.
`pytest --stress-days` runs each test marked `dates` once for every day of scripts/stress_days.txt,
in one session (the test's id says which day: `[today=2028-02-29]`); ./scripts/test does that.
docs/testing-dates.md says why those days.
"""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

LONDON = ZoneInfo("Europe/London")
STRESS_DAYS_FILE = Path(__file__).resolve().parent.parent / "scripts" / "stress_days.txt"


def stress_days() -> list[str]:
    """The --today values of scripts/stress_days.txt, in order (comments and blank lines skipped)."""
    days = []
    for line in STRESS_DAYS_FILE.read_text().splitlines():
        value = line.split("#", 1)[0].strip()
        if value:
            days.append(value)
    return days


def moved_now(value: str) -> dt.datetime:
    """The instant a --today value names (in London's zone): a bare date is midday in London on that day."""
    try:
        if len(value) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(12), tzinfo=LONDON)
        when = dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(f"--today {value}: {error}") from None
    if when.tzinfo is None:
        raise pytest.UsageError(f"--today {value}: give the instant's offset, as in 2027-03-28T01:30+01:00")
    # The same instant in London's zone: time-machine then gives the process London's local time, as
    # Django does (TIME_ZONE), so date.today() is the London date, as it is in the product.
    return when.astimezone(LONDON)


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        metavar="WHEN",
        default=None,
        help="run as if now were WHEN: YYYY-MM-DD (midday in London) or an ISO 8601 instant with its offset",
    )
    parser.addoption(
        "--stress-days",
        action="store_true",
        default=False,
        help="run each test marked `dates` once as if today were each day of scripts/stress_days.txt",
    )


_traveller: time_machine.travel | None = None
_coordinates: time_machine.Traveller | None = None
_when: dt.datetime | None = None


def pytest_configure(config):
    global _traveller, _coordinates, _when
    value = config.getoption("--today")
    if value and config.getoption("--stress-days"):
        raise pytest.UsageError("--today and --stress-days: give one or the other")
    if config.getoption("--stress-days"):
        value = stress_days()[0]  # where the clock stands for a test of no day of its own
    if value:
        _when = moved_now(value)
        _traveller = time_machine.travel(_when, tick=True)
        _coordinates = _traveller.start()


def pytest_generate_tests(metafunc):
    """With --stress-days, a test marked `dates` is run once per stress day (its `stress_day`)."""
    if metafunc.config.getoption("--stress-days") and metafunc.definition.get_closest_marker("dates"):
        metafunc.fixturenames.append("stress_day")
        metafunc.parametrize("stress_day", stress_days(), indirect=True, ids=lambda day: f"today={day}")


@pytest.fixture
def stress_day(request) -> str:
    """The stress day this run of the test stands on (--stress-days)."""
    return request.param


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Each test begins at WHEN (its own stress day with --stress-days), before any of its fixtures
    builds a record."""
    if _coordinates is None:
        return
    callspec = getattr(item, "callspec", None)
    day = callspec.params.get("stress_day") if callspec is not None else None
    when = moved_now(day) if day else _when
    if when is not None:
        _coordinates.move_to(when, tick=True)


def pytest_unconfigure(config):
    global _traveller, _coordinates
    if _traveller is not None:
        _traveller.stop()
        _traveller = _coordinates = None


def pytest_report_header(config):
    value = config.getoption("--today")
    if config.getoption("--stress-days"):
        return f"today: each test marked `dates` on each of {len(stress_days())} stress days (--stress-days)"
    return f"today: moved to {moved_now(value).isoformat()} (--today)" if value else None


if __name__ == "__main__":  # scripts/test reads the days from here: one file, one parser
    print("\n".join(stress_days()))
