"""Complaints: received, assigned, responded, closed; escalation to stage 2 with its own clock;
information requests with their deadlines, extension and closure; the monthly figures."""

import datetime as dt
import threading

import pytest
from django.db import connection

from complaints import services
from complaints.models import Complaint, ComplaintEvent, InformationRequestEvent
from complaints.selectors import (
    complaints_list,
    complaints_monthly_figures,
    complaints_overdue,
    information_requests_list,
    information_requests_monthly_figures,
    with_clock,
    with_deadline,
)
from regulator.errors import InvalidTransition, RuleViolation, StaleState
from regulator.models import AuditEvent

from .factories import closed_complaint, make_complaint, make_request

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
D = dt.date


@pytest.fixture
def officer(user_with_role):
    return user_with_role("complaints_officer")


def test_a_complaint_goes_received_assigned_responded_closed_with_dated_attributed_events(officer):
    c = make_complaint(received_on=D(2020, 4, 2))
    services.complaint_assign(complaint=c, officer=officer, actor=officer)
    services.complaint_respond(complaint=c, actor=officer, response="Refund made", on=D(2020, 4, 20))
    services.complaint_close(complaint=c, actor=officer, on=D(2020, 4, 21))
    assert list(c.events.values_list("kind", "stage")) == [
        ("received", 1),
        ("assigned", 1),
        ("responded", 1),
        ("closed", 1),
    ]
    assert c.events.get(kind="closed").actor == officer
    assert AuditEvent.objects.filter(object_type="complaints.complaint", object_id=str(c.pk)).count() == 4
    assert c.reference == f"CMP-{c.pk:06d}"


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("received", "respond"),
        ("received", "close"),
        ("assigned", "close"),
        ("responded", "assign"),
        ("closed", "assign"),
        ("closed", "respond"),
        ("closed", "close"),
        ("received", "escalate"),
        ("assigned", "escalate"),
    ],
)
def test_steps_out_of_order_are_refused_and_write_nothing(officer, status, action):
    c = make_complaint(received_on=D(2020, 4, 2))
    if status != "received":
        services.complaint_assign(complaint=c, officer=officer, actor=officer)
    if status in ("responded", "closed"):
        services.complaint_respond(complaint=c, actor=officer, response="r", on=D(2020, 4, 3))
    if status == "closed":
        services.complaint_close(complaint=c, actor=officer, on=D(2020, 4, 3))
    before = (ComplaintEvent.objects.count(), AuditEvent.objects.count())
    calls = {
        "assign": lambda: services.complaint_assign(complaint=c, officer=officer, actor=officer),
        "respond": lambda: services.complaint_respond(complaint=c, actor=officer, response="r", on=D(2020, 4, 6)),
        "close": lambda: services.complaint_close(complaint=c, actor=officer, on=D(2020, 4, 6)),
        "escalate": lambda: services.complaint_escalate(complaint=c, actor=officer, reason="unhappy", on=D(2020, 4, 6)),
    }
    with pytest.raises(InvalidTransition):
        calls[action]()
    assert (ComplaintEvent.objects.count(), AuditEvent.objects.count()) == before


def test_a_complaint_is_assigned_only_to_a_complaints_officer(user_with_role):
    with pytest.raises(RuleViolation) as error:
        services.complaint_assign(
            complaint=make_complaint(), officer=user_with_role("registration_officer"), actor=None
        )
    assert error.value.field == "officer"


def test_a_stale_version_is_refused(officer):
    c = make_complaint()
    with pytest.raises(StaleState):
        services.complaint_assign(complaint=c, officer=officer, actor=officer, version=c.version + 1)


def test_the_due_date_crosses_easter_2020_and_breach_is_derived_from_the_closing_event(officer):
    late = closed_complaint(officer, received_on=D(2020, 4, 2), closed_on=D(2020, 5, 5))
    on_time = closed_complaint(officer, received_on=D(2020, 4, 2), closed_on=D(2020, 5, 4))
    rows = {c.pk: with_clock(c, today=D(2020, 6, 1)) for c in complaints_list()}
    assert rows[late.pk].due_on == rows[on_time.pk].due_on == D(2020, 5, 4)
    assert rows[late.pk].in_breach and not rows[on_time.pk].in_breach


def test_escalation_starts_a_second_stage_with_its_own_20_working_day_clock_across_christmas_2021(officer):
    c = closed_complaint(officer, received_on=D(2021, 11, 1), closed_on=D(2021, 11, 20))
    services.complaint_escalate(complaint=c, actor=officer, reason="Not satisfied", on=D(2021, 12, 15))
    row = with_clock(complaints_list().get(pk=c.pk), today=D(2022, 1, 17))
    assert (row.stage, row.status, row.stage_started_on, row.due_on) == (2, "received", D(2021, 12, 15), D(2022, 1, 17))
    assert not row.in_breach and row.stage_closed_on is None
    assert with_clock(complaints_list().get(pk=c.pk), today=D(2022, 1, 18)).in_breach
    assert list(complaints_overdue(complaints_list(), D(2022, 1, 18))) == [row]
    assert list(complaints_overdue(complaints_list(), D(2022, 1, 17))) == []
    with pytest.raises(InvalidTransition):
        services.complaint_escalate(complaint=c, actor=officer, reason="again", on=D(2021, 12, 16))


def test_a_complaint_cannot_close_before_its_response(officer):
    c = make_complaint(received_on=D(2020, 4, 2))
    services.complaint_assign(complaint=c, officer=officer, actor=officer)
    services.complaint_respond(complaint=c, actor=officer, response="r", on=D(2020, 4, 10))
    with pytest.raises(RuleViolation):
        services.complaint_close(complaint=c, actor=officer, on=D(2020, 4, 9))


def test_monthly_complaint_figures_count_received_closed_and_percent_within_20_working_days(officer):
    closed_complaint(officer, received_on=D(2020, 4, 2), closed_on=D(2020, 5, 4))  # met, across Easter
    closed_complaint(officer, received_on=D(2020, 4, 2), closed_on=D(2020, 5, 5))  # one day late
    escalated = closed_complaint(officer, received_on=D(2020, 5, 1), closed_on=D(2020, 5, 6))
    services.complaint_escalate(complaint=escalated, actor=officer, reason="r", on=D(2020, 5, 7))
    services.complaint_assign(complaint=escalated, officer=officer, actor=officer)
    services.complaint_respond(complaint=escalated, actor=officer, response="r", on=D(2020, 6, 4))
    services.complaint_close(complaint=escalated, actor=officer, on=D(2020, 6, 4))  # stage 2: 19 wd from escalation
    make_complaint(received_on=D(2020, 6, 30))
    april, may, june = complaints_monthly_figures(D(2020, 4, 1), D(2020, 6, 1))
    assert (april["complaints_received"], may["complaints_received"], june["complaints_received"]) == (2, 1, 1)
    assert (april["complaints_closed"], may["complaints_closed"], june["complaints_closed"]) == (0, 3, 1)
    assert april["percent_closed_within_20_working_days"] is None
    assert may["closed_within_20_working_days"] == 2 and may["percent_closed_within_20_working_days"] == 66.7
    assert june["percent_closed_within_20_working_days"] == 100.0


def test_an_foi_request_closed_after_20_working_days_is_late():
    r = make_request("foi", received_on=D(2021, 12, 15))
    services.information_request_close(request=r, outcome="provided", actor=None, on=D(2022, 1, 18))
    row = with_deadline(information_requests_list().get(pk=r.pk), today=D(2022, 2, 1))
    assert row.due_on == D(2022, 1, 17) and row.late


def test_a_subject_access_request_can_be_extended_once_within_its_first_month_only():
    sar = make_request("sar", received_on=D(2021, 9, 25))
    with pytest.raises(RuleViolation):
        services.subject_access_request_extend(request=sar, actor=None, reason="complex", on=D(2021, 10, 26))
    services.subject_access_request_extend(request=sar, actor=None, reason="Many records", on=D(2021, 10, 20))
    row = with_deadline(information_requests_list().get(pk=sar.pk), today=D(2021, 11, 1))
    assert row.extended and row.due_on == D(2021, 12, 29)
    with pytest.raises(InvalidTransition):
        services.subject_access_request_extend(request=sar, actor=None, reason="again", on=D(2021, 10, 21))


def test_an_foi_request_cannot_be_extended():
    with pytest.raises(InvalidTransition):
        services.subject_access_request_extend(request=make_request("foi"), actor=None, reason="x", on=D(2020, 4, 3))


def test_monthly_information_request_figures_count_each_kind_and_on_time():
    foi = make_request("foi", received_on=D(2020, 4, 2))
    services.information_request_close(request=foi, outcome="provided", actor=None, on=D(2020, 5, 4))  # on time
    sar_late = make_request("sar", received_on=D(2020, 3, 10))
    services.information_request_close(request=sar_late, outcome="provided", actor=None, on=D(2020, 4, 15))
    sar_ext = make_request("sar", received_on=D(2020, 3, 2))
    services.subject_access_request_extend(request=sar_ext, actor=None, reason="complex", on=D(2020, 3, 20))
    services.information_request_close(request=sar_ext, outcome="partly_provided", actor=None, on=D(2020, 4, 30))
    april, may = information_requests_monthly_figures(D(2020, 4, 1), D(2020, 5, 1))
    assert (april["foi_received"], april["sar_received"], may["foi_received"]) == (1, 0, 0)
    assert (april["sar_closed"], april["sar_closed_on_time"], april["sar_percent_on_time"]) == (2, 1, 50.0)
    assert (may["foi_closed"], may["foi_percent_on_time"]) == (1, 100.0)
    assert april["foi_percent_on_time"] is None
    assert InformationRequestEvent.objects.filter(kind="extended").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_closing_the_same_complaint_at_once_only_one_succeeds(officer):
    c = make_complaint(received_on=D(2020, 4, 2))
    services.complaint_assign(complaint=c, officer=officer, actor=officer)
    services.complaint_respond(complaint=c, actor=officer, response="r", on=D(2020, 4, 3))
    results, barrier = [], threading.Barrier(2)

    def close():
        try:
            barrier.wait()
            services.complaint_close(complaint=c, actor=officer, on=D(2020, 4, 6))
            results.append("ok")
        except InvalidTransition:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=close) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert Complaint.objects.get(pk=c.pk).events.filter(kind="closed").count() == 1
