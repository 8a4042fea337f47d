"""The timers on the officers' pages: queues filter and sort by timer state in constant queries,
each item's page shows its timer with the rule that made it, and only administrators keep the
service standards (in the admin, audited)."""

import datetime as dt

import pytest

from complaints.tests.factories import make_complaint
from fitness_to_practise.tests.factories import open_case
from registration.tests.helpers import at, received
from regulator import timers
from regulator.models import AuditEvent, ServiceStandard
from regulator.roles import Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
D = dt.date


@pytest.fixture
def applications():
    """Received on 2, 9 and 16 November 2026; swept on 17 November: breached, due soon, on time."""
    apps = [received(now=at(day)) for day in ("2026-11-09", "2026-11-02", "2026-11-16")]
    timers.sweep(today=D(2026, 11, 17))
    return apps


def test_the_application_queue_lists_the_breached_and_the_due_soon_most_urgent_first(
    client, applications, django_assert_max_num_queries
):
    client.force_login(UserFactory(roles=[Role.REGISTRATION_OFFICER]))
    with django_assert_max_num_queries(12):
        breached = client.get("/registration/applications/", {"timer": "breached"})
    assert breached.status_code == 200
    body = breached.content.decode()
    assert applications[1].reference in body and applications[0].reference not in body
    urgent = client.get("/registration/applications/", {"timer": "urgent"}).content.decode()
    positions = [urgent.index(a.reference) for a in (applications[1], applications[0], applications[2])]
    assert positions == sorted(positions)  # by due date: 16, 23 and 30 November
    soon = client.get("/registration/applications/", {"timer": "due_soon"}).content.decode()
    assert applications[0].reference in soon and applications[1].reference not in soon
    assert "Due in the next 5 working days" in soon


def test_the_application_api_filters_by_timer_state_too(api_client, applications):
    api_client.force_authenticate(UserFactory(roles=[Role.REGISTRATION_OFFICER]))
    response = api_client.get("/api/v1/applications/", {"timer": "breached"})
    assert response.status_code == 200
    assert [row["reference"] for row in response.json()["results"]] == [applications[1].reference]
    assert api_client.get("/api/v1/applications/", {"timer": "late"}).status_code == 400


def test_an_application_page_shows_its_timer_and_the_rule_that_made_it(client, applications):
    client.force_login(UserFactory(roles=[Role.REGISTRATION_OFFICER]))
    body = client.get(f"/registration/applications/{applications[1].pk}/").content.decode()
    assert "Service standard" in body and "Breached" in body
    assert "within 10 working days of receipt, time paused awaiting the applicant excluded" in body


def test_the_ftp_and_complaints_queues_filter_by_timer_state(client):
    case = open_case(at=at("2026-11-02"))
    recent = open_case(at=at("2026-11-16"))
    complaint = make_complaint(received_on=D(2026, 10, 1))
    fresh = make_complaint(received_on=D(2026, 11, 16))
    timers.sweep(today=D(2026, 11, 17))
    client.force_login(UserFactory(roles=[Role.FTP_CASE_HANDLER, Role.COMPLAINTS_OFFICER]))
    ftp = client.get("/ftp/", {"timer": "breached"}).content.decode()
    assert case.reference in ftp and recent.reference not in ftp  # initial review due 16 November
    assert recent.reference in client.get("/ftp/", {"timer": "on_time"}).content.decode()
    complaints = client.get("/complaints/", {"timer": "breached"}).content.decode()
    assert complaint.reference in complaints and fresh.reference not in complaints
    page = client.get(f"/ftp/cases/{case.pk}/").content.decode()
    assert "within 28 calendar days of establishing the case concerns a social worker" in page


def test_an_officer_without_the_role_cannot_see_a_queue_filtered_by_timers(client, applications):
    client.force_login(UserFactory(roles=[Role.COMPLAINTS_OFFICER]))
    assert client.get("/registration/applications/", {"timer": "breached"}).status_code == 403


# --- The service standards in the admin ---


def test_only_an_administrator_may_open_the_service_standards(client):
    client.force_login(UserFactory(is_staff=True, roles=[Role.REGISTRATION_OFFICER, Role.TEAM_LEAD]))
    assert client.get("/admin/regulator/servicestandard/").status_code == 302  # to the admin's sign-in
    client.force_login(UserFactory(is_staff=True, roles=[Role.ADMINISTRATOR]))
    page = client.get("/admin/regulator/servicestandard/")
    assert page.status_code == 200 and "UK applications" in page.content.decode()


def test_an_administrator_adds_a_rule_in_the_admin_and_the_change_is_audited(client):
    admin = UserFactory(is_staff=True, roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    form = {
        "code": "email",
        "amount": "3",
        "unit": "working_days",
        "measured_from": "receipt",
        "effective_from": "2099-04-01",
        "note": "",
        "reason": "Faster replies from April",
    }
    response = client.post("/admin/regulator/servicestandard/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = ServiceStandard.objects.get(code="email", effective_from=D(2099, 4, 1))
    audit = AuditEvent.objects.get(action="service_standard.added", object_id=str(rule.pk))
    assert audit.actor == admin and audit.reason == "Faster replies from April"


def test_the_admin_refuses_to_rewrite_a_rule_already_in_force_and_says_why(client):
    client.force_login(UserFactory(is_staff=True, roles=[Role.ADMINISTRATOR]))
    rule = ServiceStandard.objects.get(code="email")
    form = {
        "code": "email",
        "amount": "3",
        "unit": "working_days",
        "measured_from": "receipt",
        "effective_from": rule.effective_from.isoformat(),
        "note": "",
        "reason": "Shorter",
    }
    response = client.post(f"/admin/regulator/servicestandard/{rule.pk}/change/", form)
    assert response.status_code == 200 and "already in force" in response.content.decode()
    rule.refresh_from_db()
    assert rule.amount == 5
