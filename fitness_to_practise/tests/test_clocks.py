"""Each stage's clock: elapsed, due and overdue, from the events and the working-day calendar."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from fitness_to_practise import clocks
from fitness_to_practise.models import FitnessToPractiseCase, State
from fitness_to_practise.tests.factories import case_in_state

# The targets are rows of the service standards table (regulator.service_standards).
pytestmark = [pytest.mark.django_db, pytest.mark.dates]

LONDON = ZoneInfo("Europe/London")


def ev(kind, day):
    return SimpleNamespace(kind=kind, at=dt.datetime.combine(day, dt.time(10), tzinfo=LONDON))


def by_name(found):
    return {c.name: c for c in found}


def test_initial_review_is_due_ten_working_days_after_the_social_worker_is_identified():
    # Identified Monday 4 May 2020; Friday 8 May 2020 was the moved VE day bank holiday.
    found = by_name(
        clocks.clocks_from_events(
            [ev("social_worker_identified", dt.date(2020, 5, 4))], origin="swe", today=dt.date(2020, 5, 18)
        )
    )
    review = found["Initial review"]
    assert review.due_on == dt.date(2020, 5, 19)
    assert review.elapsed == 9 and review.unit == "working days" and not review.overdue
    assert found["Triage decision"].due_on == dt.date(2020, 6, 1)


def test_a_clock_stops_at_the_event_that_ends_its_stage_and_is_overdue_when_it_stopped_late():
    events = [
        ev("social_worker_identified", dt.date(2021, 3, 1)),
        ev("initial_review_completed", dt.date(2021, 3, 16)),
        ev("referred_to_investigation", dt.date(2021, 3, 20)),
    ]
    found = by_name(clocks.clocks_from_events(events, origin="swe", today=dt.date(2021, 4, 1)))
    assert found["Initial review"].stopped_on == dt.date(2021, 3, 16)
    assert found["Initial review"].overdue  # 11 working days
    assert found["Triage decision"].elapsed == 19 and not found["Triage decision"].overdue
    assert found["Investigation"].due_on == dt.date(2021, 9, 20) and found["Investigation"].stopped_on is None


def test_swe_investigation_is_due_six_calendar_months_later_and_hcpc_by_december_2021():
    assert clocks.investigation_due(dt.date(2020, 8, 31), "swe") == dt.date(2021, 2, 28)
    assert clocks.investigation_due(dt.date(2020, 8, 31), "hcpc") == dt.date(2021, 12, 31)


def test_case_examiners_initial_decision_and_interim_order_decision_count_working_days():
    assert clocks.case_examiner_initial_decision_due(dt.date(2020, 12, 21)) == dt.date(2021, 1, 7)
    # Good Friday and Easter Monday 2020 fall in the count.
    assert clocks.interim_order_decision_due(dt.date(2020, 4, 1)) == dt.date(2020, 5, 1)


def test_a_returned_case_starts_a_new_investigation_pass():
    events = [
        ev("social_worker_identified", dt.date(2021, 1, 4)),
        ev("initial_review_completed", dt.date(2021, 1, 5)),
        ev("referred_to_investigation", dt.date(2021, 1, 6)),
        ev("referred_to_case_examiners", dt.date(2021, 3, 1)),
        ev("case_examiner_initial_decision", dt.date(2021, 3, 2)),
        ev("returned_for_investigation", dt.date(2021, 3, 2)),
    ]
    found = clocks.clocks_from_events(events, origin="swe", today=dt.date(2021, 3, 3))
    passes = [c for c in found if c.name == "Investigation"]
    assert [(c.started_on, c.stopped_on) for c in passes] == [
        (dt.date(2021, 1, 6), dt.date(2021, 3, 1)),
        (dt.date(2021, 3, 2), None),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("days_ago", range(0, 45, 3))
def test_the_overdue_filter_in_the_database_agrees_with_the_clocks(days_ago):
    today = dt.date(2026, 11, 20)
    at = dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(9), tzinfo=LONDON)
    cases = [
        case_in_state(state, at=at)
        for state in (
            State.TRIAGE_INITIAL_REVIEW,
            State.TRIAGE_DECISION,
            State.INVESTIGATION,
            State.CASE_EXAMINERS_INITIAL,
        )
    ]
    FitnessToPractiseCase.objects.update(stage_started_at=at)
    in_db = set(FitnessToPractiseCase.objects.filter(clocks.overdue_q(today)).values_list("pk", flat=True))
    for case in cases:
        case.refresh_from_db()
        expected = any(c.overdue for c in clocks.running_clocks(case, today=today))
        assert (case.pk in in_db) == expected, (case.state, days_ago)
