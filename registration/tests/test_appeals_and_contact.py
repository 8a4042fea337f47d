"""Appeals, misuse-of-title cases, and email enquiries: their rules, timings and list endpoints."""

import datetime as dt

import pytest

from registration import services
from registration.clocks import weeks_between, working_days_between
from registration.models import EntryStatus, RegisterEntry, RegisterEvent
from registration.selectors import renewal_window_preview
from registration.tests.helpers import applicant, at, received
from regulator.errors import InvalidTransition, RuleViolation, StaleState

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def refused(officer, when="2026-10-01"):
    application = received(now=at(when))
    return services.application_refuse(
        application=application, actor=officer, reasons="Not recognised", version=None, now=at(when, 15)
    )


def test_an_upheld_appeal_against_a_refusal_enters_the_appellant_on_the_register(officer):
    application = refused(officer)
    appeal = services.appeal_lodge(
        registrant=application.registrant, actor=None, grounds="It is", application=application, now=at("2026-10-05")
    )
    hearing_on = dt.date.today() + dt.timedelta(days=60)
    services.appeal_list_hearing(appeal=appeal, hearing_on=hearing_on, actor=officer, version=None)
    appeal = services.appeal_decide(
        appeal=appeal, outcome="upheld", reasons="Qualification recognised", actor=officer, version=None
    )
    entry = RegisterEntry.objects.get(registrant=application.registrant)
    assert entry.status == EntryStatus.REGISTERED
    application.refresh_from_db()
    assert application.registration_number == entry.registration_number
    assert list(appeal.events.values_list("event", flat=True)) == ["lodged", "hearing_listed", "upheld"]


def test_an_upheld_appeal_against_a_removal_restores_the_entry(officer):
    user, registrant = applicant()
    entry = services.register_entry_create(registrant=registrant, route="uk", town="Leeds", actor=None)
    services.register_entry_remove(entry=entry, removal_reason="failure_to_renew", actor=None, on=dt.date(2026, 12, 1))
    removal = RegisterEvent.objects.get(entry=entry, kind="removed")
    appeal = services.appeal_lodge(
        registrant=registrant, actor=user, grounds="I renewed by post", removal_event=removal, now=at("2026-12-10")
    )
    services.appeal_decide(appeal=appeal, outcome="upheld", reasons="Renewal was received", actor=officer, version=None)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REGISTERED


def test_upholding_an_appeal_that_restores_someone_closes_their_open_restoration_application_with_the_reason(
    officer,
):
    user, registrant = applicant()
    entry = services.register_entry_create(registrant=registrant, route="uk", town="Leeds", actor=None)
    services.register_entry_remove(entry=entry, removal_reason="failure_to_renew", actor=None, on=dt.date(2026, 12, 1))
    removal = RegisterEvent.objects.get(entry=entry, kind="removed")
    restoration = received(user, kind="restoration", now=at("2026-12-03"))
    appeal = services.appeal_lodge(
        registrant=registrant, actor=user, grounds="I renewed by post", removal_event=removal, now=at("2026-12-10")
    )
    services.appeal_decide(
        appeal=appeal,
        outcome="upheld",
        reasons="Renewal was received",
        actor=officer,
        version=None,
        now=at("2027-01-05"),
    )
    restoration.refresh_from_db()
    assert restoration.status == "withdrawn"
    closing = restoration.events.get(event="withdrawn")
    assert f"appeal {appeal.reference} was upheld on 5 January 2027" in closing.reason
    assert registrant.letters.filter(subject__contains=restoration.reference, body=closing.reason).exists()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REGISTERED


def test_a_rejected_appeal_leaves_an_open_restoration_application_open(officer):
    user, registrant = applicant()
    entry = services.register_entry_create(registrant=registrant, route="uk", town="Leeds", actor=None)
    services.register_entry_remove(entry=entry, removal_reason="failure_to_renew", actor=None, on=dt.date(2026, 12, 1))
    removal = RegisterEvent.objects.get(entry=entry, kind="removed")
    restoration = received(user, kind="restoration", now=at("2026-12-03"))
    appeal = services.appeal_lodge(
        registrant=registrant, actor=user, grounds="x", removal_event=removal, now=at("2026-12-10")
    )
    services.appeal_decide(appeal=appeal, outcome="rejected", reasons="No renewal", actor=officer, version=None)
    restoration.refresh_from_db()
    assert restoration.status == "received"


def test_a_rejected_appeal_changes_nothing_on_the_register_and_cannot_be_decided_twice(officer):
    application = refused(officer)
    appeal = services.appeal_lodge(
        registrant=application.registrant, actor=None, grounds="It is", application=application, now=at("2026-10-05")
    )
    services.appeal_decide(appeal=appeal, outcome="rejected", reasons="No new evidence", actor=officer, version=None)
    assert not RegisterEntry.objects.filter(registrant=application.registrant).exists()
    with pytest.raises(InvalidTransition):
        services.appeal_decide(appeal=appeal, outcome="upheld", reasons="Second thoughts", actor=officer, version=None)


def test_nobody_can_appeal_someone_elses_decision_or_appeal_twice(officer):
    application = refused(officer)
    stranger, _ = applicant()
    with pytest.raises(InvalidTransition):
        services.appeal_lodge(
            registrant=stranger.registrant, actor=stranger, grounds="x", application=application, now=at("2026-10-05")
        )
    services.appeal_lodge(
        registrant=application.registrant, actor=None, grounds="x", application=application, now=at("2026-10-05")
    )
    with pytest.raises(InvalidTransition):
        services.appeal_lodge(
            registrant=application.registrant, actor=None, grounds="x", application=application, now=at("2026-10-06")
        )


def test_weeks_to_conclude_an_appeal_are_calendar_weeks():
    assert weeks_between(at("2020-10-01"), at("2021-04-08")) == 27.0


def test_a_misuse_of_title_case_is_opened_worked_and_completed_in_working_days(officer):
    case = services.misuse_of_title_open(
        subject_name="J. Bloggs", details="Advert", actor=officer, now=at("2026-12-21")
    )
    services.misuse_of_title_start_work(case=case, actor=officer, version=case.version)
    with pytest.raises(StaleState):
        services.misuse_of_title_start_work(case=case, actor=officer, version=case.version)
    case.refresh_from_db()
    done = services.misuse_of_title_complete(
        case=case, outcome="Advert withdrawn", actor=officer, version=case.version, now=at("2027-01-04")
    )
    # 22, 23, 24, 29, 30, 31 December and 4 January: Christmas, Boxing Day (28th) and New Year excluded.
    assert working_days_between(done.opened_at, done.completed_at) == 7
    with pytest.raises(InvalidTransition):
        services.misuse_of_title_complete(case=done, outcome="again", actor=officer, version=None)


def test_an_email_is_answered_once_and_not_before_it_arrived(officer):
    enquiry = services.email_enquiry_receive(received_at=at("2026-11-02"), actor=officer, subject="Renewal")
    with pytest.raises(RuleViolation):
        services.email_enquiry_answer(enquiry=enquiry, actor=officer, version=None, responded_at=at("2026-11-01"))
    services.email_enquiry_answer(enquiry=enquiry, actor=officer, version=None, responded_at=at("2026-11-05"))
    with pytest.raises(InvalidTransition):
        services.email_enquiry_answer(enquiry=enquiry, actor=officer, version=None)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/appeals/",
        "/api/v1/misuse-of-title-cases/",
        "/api/v1/calls/",
        "/api/v1/email-enquiries/",
        "/api/v1/renewal-window-closures/",
    ],
)
def test_officer_lists_take_the_same_queries_for_2_or_50_rows(api_client, officer, django_assert_max_num_queries, url):
    for n in range(4):
        application = refused(officer)
        services.appeal_lodge(
            registrant=application.registrant, actor=None, grounds="x", application=application, now=at("2026-10-05")
        )
        services.misuse_of_title_open(subject_name=f"Person {n}", details="Advert", actor=officer)
        services.email_enquiry_receive(received_at=at("2026-11-02", 9 + n), actor=officer)
        services.renewal_window_closure_request(actor=officer, confirmation=renewal_window_preview().confirmation)
    services.calls_import(
        text="received_at,queue_seconds,outcome\n"
        + "".join(f"2026-11-02T1{n}:00:00+00:00,{n},answered\n" for n in range(4)),
        actor=officer,
    )
    api_client.force_authenticate(officer)
    api_client.get(url)  # the officer's roles are read once and cached on the user
    counts = []
    for size in (2, 50):
        with django_assert_max_num_queries(4) as captured:
            response = api_client.get(f"{url}?page_size={size}")
        assert response.status_code == 200 and len(response.json()["results"]) == min(size, 4)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/account/applications/",
        "/api/v1/account/cpd/",
        "/api/v1/account/renewals/",
        "/api/v1/account/appeals/",
        "/api/v1/account/",
    ],
)
def test_account_lists_take_a_fixed_number_of_queries(api_client, django_assert_max_num_queries, url):
    user, _ = applicant()
    received(user)
    api_client.force_authenticate(user)
    # The whole record (/api/v1/account/) also reads the entry's orders and annotations, the appeals and
    # every letter sent (registration and fitness to practise): still a fixed number, whatever the rows.
    with django_assert_max_num_queries(14):
        assert api_client.get(url).status_code == 200


def _lodged_appeal(officer):
    application = refused(officer)
    return services.appeal_lodge(
        registrant=application.registrant, actor=None, grounds="x", application=application, now=at("2026-10-05")
    )


@pytest.mark.parametrize(
    ("make", "action", "body"),
    [
        (_lodged_appeal, "/api/v1/appeals/{id}/decide/", {"outcome": "rejected", "reasons": "No new evidence"}),
        (
            lambda officer: services.email_enquiry_receive(received_at=at("2026-11-02"), actor=officer),
            "/api/v1/email-enquiries/{id}/answer/",
            {},
        ),
        (
            lambda officer: services.misuse_of_title_open(subject_name="A Person", details="Advert", actor=officer),
            "/api/v1/misuse-of-title-cases/{id}/start-work/",
            {},
        ),
    ],
)
def test_an_action_sent_without_the_optional_version_is_applied_not_a_500(api_client, officer, make, action, body):
    # Found by schemathesis: `version` is optional in the schema, but its absence reached the service as a
    # missing keyword argument (TypeError, 500).
    record = make(officer)
    api_client.force_authenticate(officer)
    response = api_client.post(action.format(id=record.pk), body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == record.version + 1
