"""Enquiries and concerns are received and closed with dates; the approved list on a date and the
board's monthly education figures are read from the dated events."""

import datetime as dt

import pytest

from education_qa import services
from education_qa.models import ApprovalRequest, CourseStatus
from education_qa.selectors import approved_courses_on, education_monthly_figures
from regulator.errors import InvalidTransition, RuleViolation

from .factories import make_course, make_provider, provider_user, request_at

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_an_enquiry_is_received_and_closed_once_with_dates():
    enquiry = services.enquiry_receive(
        enquirer="A student", subject="Is my course approved?", actor=None, received_on=dt.date(2020, 4, 6)
    )
    services.enquiry_close(enquiry=enquiry, actor=None, on=dt.date(2020, 4, 8))
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.closed_on) == ("closed", dt.date(2020, 4, 8))
    with pytest.raises(InvalidTransition):
        services.enquiry_close(enquiry=enquiry, actor=None)


def test_a_concern_cannot_close_before_it_was_received():
    concern = services.concern_receive(
        course=make_course(),
        raised_by="A student",
        summary="Placements cancelled",
        actor=None,
        received_on=dt.date(2020, 5, 4),
    )
    with pytest.raises(RuleViolation):
        services.concern_close(concern=concern, outcome="advice", actor=None, on=dt.date(2020, 5, 1))
    services.concern_close(concern=concern, outcome="advice", actor=None, on=dt.date(2020, 5, 20))
    concern.refresh_from_db()
    assert (concern.status, concern.outcome) == ("closed", "advice")


def test_a_graduate_of_a_course_since_made_historic_still_chooses_it_for_their_qualification_date():
    course = make_course(approved_on=dt.date(2015, 9, 1))
    services.course_make_historic(course=course, actor=None, on=dt.date(2020, 8, 31))
    assert course in approved_courses_on(dt.date(2019, 6, 30))
    assert course not in approved_courses_on(dt.date(2020, 9, 1))
    assert course not in approved_courses_on(dt.date(2015, 8, 31))


def test_a_course_approved_in_the_product_is_on_the_list_from_its_approval_date():
    req = request_at(ApprovalRequest.Status.DECIDED, received_on=dt.date(2020, 4, 1))  # approved 16 May 2020
    assert req.course not in approved_courses_on(dt.date(2020, 5, 15))
    assert req.course in approved_courses_on(dt.date(2020, 5, 16))


def test_monthly_figures_count_enquiries_concerns_inspections_outcomes_returns_and_month_end_position():
    north = make_provider()
    kept = make_course(north, approved_on=dt.date(2019, 9, 1))
    make_course(north, status=CourseStatus.NOT_APPROVED)
    services.enquiry_receive(enquirer="x", subject="y", actor=None, received_on=dt.date(2020, 4, 30))
    services.enquiry_receive(enquirer="x", subject="z", actor=None, received_on=dt.date(2020, 5, 1))
    services.concern_receive(course=kept, raised_by="x", summary="y", actor=None, received_on=dt.date(2020, 5, 12))
    request_at(ApprovalRequest.Status.DECIDED, received_on=dt.date(2020, 4, 1))  # inspected 2 May, approved 16 May
    request_at(ApprovalRequest.Status.WITHDRAWN, received_on=dt.date(2020, 4, 1))  # withdrawn 3 April
    cycle = services.monitoring_cycle_open(
        year=2020, due_on=dt.date(2020, 7, 1), actor=None, opened_on=dt.date(2020, 5, 20)
    )
    services.monitoring_return_submit(
        monitoring_return=cycle.returns.get(course=kept),
        actor=provider_user(north),
        students_enrolled=20,
        meets_standards=True,
        on=dt.date(2020, 5, 28),
    )
    april, may = education_monthly_figures(dt.date(2020, 4, 1), dt.date(2020, 5, 1))
    assert april["enquiries_received"] == 1 and may["enquiries_received"] == 1
    assert (april["concerns_received"], may["concerns_received"]) == (0, 1)
    assert (april["inspections_conducted"], may["inspections_conducted"]) == (0, 1)
    assert april["inspection_outcomes"] == {
        "approved": 0,
        "approved_with_conditions": 0,
        "not_approved": 0,
        "request_withdrawn": 1,
    }
    assert may["inspection_outcomes"]["approved"] == 1
    assert (april["approved_courses_at_month_end"], may["approved_courses_at_month_end"]) == (1, 2)
    assert april["approved_providers_at_month_end"] == 1 and may["approved_providers_at_month_end"] == 2
    assert (april["monitoring_returns_received"], may["monitoring_returns_received"]) == (0, 1)
