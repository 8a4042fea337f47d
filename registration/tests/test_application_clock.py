"""REG1's service standard: 10 working days from `received`, pauses awaiting the applicant excluded."""

import datetime as dt

import pytest

from registration import services
from registration.clocks import application_clock, application_clocks
from registration.tests.helpers import at, received
from regulator import service_standards

# The targets are rows of the service standards table (regulator.service_standards).

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

D = dt.date.fromisoformat


def test_an_application_is_due_ten_working_days_after_it_was_received():
    clock = application_clock([("received", at("2026-11-02"))], today=D("2026-11-04"))
    assert clock.due_on == D("2026-11-16")
    assert clock.age_working_days == 2 and not clock.overdue


def test_bank_holidays_do_not_count_towards_the_service_standard():
    # Received Thursday 17 December 2026: Christmas, the substitute Boxing Day and New Year do not count.
    clock = application_clock([("received", at("2026-12-17"))], today=D("2026-12-17"))
    assert clock.due_on == D("2027-01-05")


def test_time_awaiting_the_applicant_is_excluded_across_a_bank_holiday():
    events = [
        ("received", at("2026-12-17")),
        ("info_requested", at("2026-12-22")),
        ("info_received", at("2026-12-29")),  # 23, 24 and 29 December: 3 working days paused
    ]
    clock = application_clock(events, today=D("2026-12-30"))
    assert clock.paused_working_days == 3
    assert clock.due_on == D("2027-01-08")
    assert clock.age_working_days == 4  # 18, 21, 22 and 30 December


def test_a_pause_still_open_keeps_pushing_the_due_date_back():
    events = [("received", at("2026-11-02")), ("info_requested", at("2026-11-03"))]
    clock = application_clock(events, today=D("2026-11-10"))
    assert clock.paused and clock.paused_working_days == 5
    assert clock.age_working_days == 1
    assert clock.due_on == D("2026-11-23")


def test_the_clock_stops_at_the_decision_and_reports_a_breach():
    events = [("received", at("2026-11-02")), ("approved", at("2026-11-18"))]
    clock = application_clock(events, today=D("2027-03-01"))
    assert clock.stopped_on == D("2026-11-18")
    assert clock.age_working_days == 12 and clock.overdue


def test_an_application_never_received_has_no_clock():
    assert application_clock([], today=D("2026-11-02")).due_on is None


@pytest.mark.django_db
def test_the_clocks_of_many_applications_take_one_query(django_assert_num_queries):
    apps = [received(now=at("2026-11-02")) for _ in range(3)]
    user = apps[0].registrant.user
    services.application_request_information(
        application=apps[0], actor=user, reason="Transcript", version=None, now=at("2026-11-03")
    )
    service_standards.target("uk_application")  # the standards table is read once a process, not per row
    with django_assert_num_queries(1):
        clocks = application_clocks([a.pk for a in apps], today=D("2026-11-04"))
    assert clocks[apps[0].pk].paused and clocks[apps[1].pk].due_on == D("2026-11-16")
