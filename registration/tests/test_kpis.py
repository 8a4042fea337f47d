"""kpis.md REG1-REG3 against hand-built histories: applications worked through the services on the
dates the rule is about, and call and email rows as the telephony and mailbox imports write them."""

import datetime as dt

import pytest

from registration import kpis, services
from registration.models import ApplicationEvent, ApplicationRoute, Call, EmailEnquiry
from registration.tests.helpers import at, received
from regulator.kpi_months import first_of_month

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

YEAR_2026 = [dt.date(2026 + (m < 4), m, 1) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)][:8]  # to November


def month(months, day: str):
    first = first_of_month(dt.date.fromisoformat(day))
    return next(m for m in months if m.month == first)


def approved(received_on: str, approved_on: str, *, officer, pauses=(), **kwargs):
    """An application received, paused for each (requested, answered) pair, then approved."""
    application = received(now=at(received_on), **kwargs)
    for requested_on, answered_on in pauses:
        application = services.application_request_information(
            application=application, actor=officer, reason="Your course dates", version=None, now=at(requested_on)
        )
        application = services.application_record_information_received(
            application=application, actor=officer, version=None, now=at(answered_on)
        )
    return services.application_approve(application=application, actor=officer, version=None, now=at(approved_on))


def test_reg1_counts_working_days_to_approval_not_counting_the_august_bank_holiday(officer):
    # Received Monday 24 August 2026; Monday 31 August is a bank holiday, so 8 September is the 10th working day.
    approved("2026-08-24", "2026-09-08", officer=officer)
    approved("2026-08-24", "2026-09-09", officer=officer)  # the 11th

    september = month(kpis.reg1_months(YEAR_2026), "2026-09-01")
    assert (september.met, september.population) == (1, 2)


def test_reg1_does_not_count_the_working_days_waiting_for_the_applicant(officer):
    # 14 working days from 1 to 19 June, 5 of them paused (3 to 10 June): 9 counted.
    approved("2026-06-01", "2026-06-19", officer=officer, pauses=[("2026-06-03", "2026-06-10")])

    june = month(kpis.reg1_months(YEAR_2026), "2026-06-01")
    assert (june.met, june.population) == (1, 1)


def test_reg1_a_pause_with_two_requests_runs_from_the_first(officer):
    # Received Monday 1 June 2026, approved Friday 19 June: 14 working days. Asked on 3 June and
    # again on 8 June while still waiting; answered on 10 June. The pause runs from 3 June (5
    # working days): 9 counted, met. From the second request it would be 2 days paused: 12, missed.
    application = received(now=at("2026-06-01"))
    application = services.application_request_information(
        application=application, actor=officer, reason="Your course dates", version=None, now=at("2026-06-03")
    )
    ApplicationEvent.objects.create(application=application, event="info_requested", at=at("2026-06-08"))
    application = services.application_record_information_received(
        application=application, actor=officer, version=None, now=at("2026-06-10")
    )
    services.application_approve(application=application, actor=officer, version=None, now=at("2026-06-19"))

    june = month(kpis.reg1_months(YEAR_2026), "2026-06-01")
    assert (june.met, june.population) == (1, 1)


def test_reg1_reads_one_days_events_in_workflow_order_not_clock_order(officer):
    # Received 1 June, asked 3 June; answered at 15:00 and approved at 09:00 on Friday 19 June
    # (an old system stamped the approval when it was keyed). In workflow order the answer comes
    # first, so the 12 working days paused from 3 June are not counted: 2 working days, met.
    # Read by clock time the approval would come while still paused: 14 days, missed.
    approved("2026-06-01", "2026-06-19", officer=officer, pauses=[("2026-06-03", "2026-06-10")])
    ApplicationEvent.objects.filter(event="info_received").update(at=at("2026-06-19", 15))
    ApplicationEvent.objects.filter(event="approved").update(at=at("2026-06-19", 9))

    june = month(kpis.reg1_months(YEAR_2026), "2026-06-01")
    assert (june.met, june.population) == (1, 1)
    events = ApplicationEvent.objects.values_list("event", "at")
    assert kpis.reg1_working_days(list(events)) == (at("2026-06-19", 9), 14 - 12)  # the Python reference agrees


def test_reg1_an_approval_with_no_receipt_before_it_is_not_in_the_population(officer):
    application = approved("2026-06-01", "2026-06-05", officer=officer)
    ApplicationEvent.objects.filter(application=application, event="received").delete()

    assert month(kpis.reg1_months(YEAR_2026), "2026-06-01").population == 0


def test_reg1_counts_only_uk_new_applications_without_investigation_in_the_month_of_approval(officer):
    approved("2026-07-01", "2026-07-03", officer=officer, route=ApplicationRoute.OVERSEAS)
    flagged = received(now=at("2026-07-01"))
    flagged = services.application_flag_for_investigation(
        application=flagged, actor=officer, reason="A caution to look at", version=None, now=at("2026-07-02")
    )
    services.application_approve(application=flagged, actor=officer, version=None, now=at("2026-07-20"))
    approved("2026-07-27", "2026-08-03", officer=officer)  # approved in August: counted there

    months = kpis.reg1_months(YEAR_2026)
    assert month(months, "2026-07-01").result is None  # an empty month shows no value, not 0%
    assert (month(months, "2026-08-01").met, month(months, "2026-08-01").population) == (1, 1)


def call(when: dt.datetime, queue_seconds, outcome):
    return Call.objects.create(
        received_at=when, queue_seconds=queue_seconds, outcome=outcome, key=Call.key_for(when, queue_seconds, outcome)
    )


def test_reg2_calls_answered_within_5_minutes_of_those_that_reached_the_queue():
    call(at("2026-10-05", 9), 300, Call.Outcome.ANSWERED)  # exactly 5 minutes: met
    call(at("2026-10-05", 10), 301, Call.Outcome.ANSWERED)
    call(at("2026-10-05", 11), 30, Call.Outcome.ABANDONED_IN_QUEUE)
    call(at("2026-10-05", 12), None, Call.Outcome.HUNG_UP_BEFORE_QUEUE)  # not in the population
    call(at("2026-10-01", 0), 10, Call.Outcome.ANSWERED)  # midnight BST (still 30 September in UTC): October
    call(at("2026-09-30", 23), 10, Call.Outcome.ANSWERED)

    months = kpis.reg2_months(YEAR_2026)
    assert (month(months, "2026-10-01").met, month(months, "2026-10-01").population) == (2, 4)
    assert (month(months, "2026-09-01").met, month(months, "2026-09-01").population) == (1, 1)


def test_reg3_emails_received_in_the_month_answered_within_5_working_days():
    # Received Thursday 21 May 2026; Monday 25 May is a bank holiday, so Friday 29 May is the 5th working day.
    EmailEnquiry.objects.create(received_at=at("2026-05-21"), responded_at=at("2026-05-29"))
    EmailEnquiry.objects.create(received_at=at("2026-05-21"), responded_at=at("2026-06-01"))
    EmailEnquiry.objects.create(received_at=at("2026-05-28"), responded_at=None)  # not answered: missed

    may = month(kpis.reg3_months(YEAR_2026), "2026-05-01")
    assert (may.met, may.population) == (1, 3)
