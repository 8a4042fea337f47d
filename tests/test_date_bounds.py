"""Every app's date bounds (decision 0760): each rule refuses a date far in the past or the future on its
field with a sentence saying what is allowed, and accepts a sensible one; forms say the same."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints import services as complaints
from education_qa import services as education
from education_qa.tests.factories import make_course, request_at
from registration import date_bounds as registration_bounds
from registration import services as registration
from registration.tests.helpers import applicant
from regulator.date_bounds import REGULATOR_STARTED, DateBound, days_ahead, on_the_day, years_ago
from regulator.errors import RuleViolation
from tests.factories import make_entry

pytestmark = [pytest.mark.dates, pytest.mark.django_db]


def today() -> dt.date:
    return timezone.localdate()


def _cpd(registrant, done_on):
    registration.cpd_record_add(
        registrant=registrant,
        actor=None,
        kind="course",
        done_on=done_on,
        description="d",
        learning="l",
        impact="i",
        peer_reflection=False,
    )


def _qualification(done_on):
    _, registrant = applicant()
    application = registration.application_start(registrant=registrant, kind="new", route="uk", actor=None)
    registration.application_update_draft(application=application, actor=None, version=None, qualified_on=done_on)


CALLS = {
    "qualification": _qualification,
    "cpd": lambda on: _cpd(applicant()[1], on),
    "complaint": lambda on: complaints.complaint_receive(
        complainant_name="A person", category="customer_service", summary="Late reply", actor=None, received_on=on
    ),
    "foi": lambda on: complaints.information_request_receive(
        kind="foi", requester_name="A journalist", description="Numbers", actor=None, received_on=on
    ),
    "appeal-hearing": None,  # built below: needs an appeal
    "annotation": lambda on: registration.annotation_add(entry=make_entry(), kind="amhp", starts_on=on, actor=None),
    "temporary-until": lambda on: registration.temporary_register_add(
        registration_numbers=["SW1"], until=on, reason="Emergency powers", actor=None
    ),
    "approval-request": lambda on: education.approval_request_receive(
        course=make_course(), kind="reapproval", actor=None, received_on=on
    ),
    "monitoring-due": lambda on: education.monitoring_cycle_open(year=today().year, due_on=on, actor=None),
}
FIELD = {
    "qualification": "qualified_on",
    "cpd": "done_on",
    "complaint": "received_on",
    "foi": "received_on",
    "annotation": "starts_on",
    "temporary-until": "until",
    "approval-request": "received_on",
    "monitoring-due": "due_on",
}
REFUSED = [
    ("qualification", dt.date(2099, 6, 1)),
    ("qualification", dt.date(1850, 6, 1)),
    ("cpd", dt.date(1900, 1, 1)),
    ("cpd", "tomorrow"),
    ("complaint", dt.date(1900, 1, 1)),
    ("complaint", REGULATOR_STARTED - dt.timedelta(days=1)),
    ("complaint", "tomorrow"),
    ("foi", dt.date(1900, 1, 1)),
    ("annotation", dt.date(1900, 1, 1)),
    ("temporary-until", dt.date(2099, 1, 1)),
    ("temporary-until", "today"),
    ("approval-request", dt.date(1900, 1, 1)),
    ("monitoring-due", dt.date(2099, 1, 1)),
]


def _date(value):
    return {"tomorrow": today() + dt.timedelta(days=1), "today": today()}.get(value, value)


@pytest.mark.parametrize(("rule", "value"), REFUSED, ids=[f"{r}-{v}" for r, v in REFUSED])
def test_a_date_outside_its_bounds_is_refused_on_its_field_saying_what_is_allowed(rule, value):
    with pytest.raises(RuleViolation) as refused:
        CALLS[rule](_date(value))
    assert refused.value.field == FIELD[rule]
    assert " must be " in refused.value.message


ACCEPTED = [
    ("qualification", -400),
    ("cpd", -30),
    ("complaint", 0),
    ("foi", -3),
    ("annotation", -10),
    ("approval-request", -1),
    ("monitoring-due", 60),
]


@pytest.mark.parametrize(("rule", "days"), ACCEPTED, ids=[r for r, _ in ACCEPTED])
def test_a_sensible_date_is_accepted(rule, days):
    CALLS[rule](today() + dt.timedelta(days=days))


def test_an_appeal_hearing_is_listed_from_today_to_two_years_ahead(officer):
    from registration.tests.helpers import at
    from registration.tests.test_appeals_and_contact import refused

    application = refused(officer)
    appeal = registration.appeal_lodge(
        registrant=application.registrant, actor=None, grounds="x", application=application, now=at("2026-10-05")
    )
    for bad in (today() - dt.timedelta(days=1), dt.date(2099, 1, 1)):
        with pytest.raises(RuleViolation) as caught:
            registration.appeal_list_hearing(appeal=appeal, hearing_on=bad, actor=officer, version=None)
        assert caught.value.field == "hearing_on"
    registration.appeal_list_hearing(
        appeal=appeal, hearing_on=today() + dt.timedelta(days=30), actor=officer, version=None
    )


def test_an_inspection_starts_after_the_request_and_within_two_years():
    request = request_at("documentary_review_complete", received_on=today() - dt.timedelta(days=30))
    for starts_on, words in (
        (today() - dt.timedelta(days=31), "the day the request was received"),
        (dt.date(2099, 1, 1), "must be between"),
    ):
        with pytest.raises(RuleViolation) as caught:
            education.inspection_schedule(
                approval_request=request,
                mode="remote",
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(days=1),
                team=[("Lead Inspector", "lead")],
                actor=None,
            )
        assert caught.value.field == "starts_on" and words in caught.value.message


def test_a_bound_says_its_window_in_words():
    bound = DateBound("The date of the thing", earliest=years_ago(1), latest=on_the_day)
    on = dt.date(2026, 6, 15)
    assert bound.problem(dt.date(2026, 6, 16), on=on) == "The date of the thing must be between 15 June 2025 and today."
    assert bound.problem(dt.date(2026, 6, 15), on=on) is None
    after = DateBound("The review", earliest=days_ahead(1))
    assert (
        after.problem(dt.date(2026, 6, 15), on=on, before=(dt.date(2026, 7, 1), "the order ends"))
        == "The review must be between tomorrow (16 June 2026) and the day before the order ends (1 July 2026)."
    )


def test_the_form_validator_says_the_same_as_the_service():
    from django.core.exceptions import ValidationError

    validate = registration_bounds.QUALIFIED_ON.validator()
    with pytest.raises(ValidationError) as caught:
        validate(dt.date(2099, 1, 1))
    assert caught.value.messages == [registration_bounds.QUALIFIED_ON.problem(dt.date(2099, 1, 1))]
