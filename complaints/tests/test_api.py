"""The complaints and information governance API: roles, transitions (400/409), clocks in the
answers, the overdue filter, export download access, and query counts pinned on every list."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from complaints.models import SubjectAccessExport
from regulator.models import AuditEvent
from tests.factories import make_entry

from .factories import closed_complaint, make_complaint, make_request

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
D = dt.date
LISTS = [
    "/api/v1/complaints/",
    "/api/v1/information-requests/",
    "/api/v1/subject-access-exports/",
    "/api/v1/complaints/figures/?start=2020-04-01&end=2020-06-01",
    "/api/v1/information-requests/figures/?start=2020-04-01&end=2020-06-01",
]


@pytest.fixture
def officer(user_with_role):
    return user_with_role("complaints_officer")


@pytest.fixture
def officer_client(api_client, officer):
    api_client.force_authenticate(officer)
    return api_client


@pytest.fixture
def world(officer):
    for i in range(4):
        closed_complaint(officer, received_on=D(2020, 4, 1 + i), closed_on=D(2020, 4, 20))
        make_complaint(received_on=D(2020, 5, 1 + i))
        make_request("foi", received_on=D(2020, 4, 1 + i))
        make_request("sar", received_on=D(2020, 4, 1 + i), registrant=make_entry(given_name=f"P{i}").registrant)


@pytest.mark.parametrize("url", LISTS)
def test_anonymous_and_other_roles_are_refused(api_client, user_with_role, url):
    assert api_client.get(url).status_code in (401, 403)
    for role in ("education_qa_officer", "registration_officer", "registrant"):
        api_client.force_authenticate(user_with_role(role))
        assert api_client.get(url).status_code == 403, role


@pytest.mark.parametrize("url", LISTS[:3])
def test_lists_take_the_same_number_of_queries_for_2_or_50_rows(
    officer_client, world, url, django_assert_max_num_queries
):
    officer_client.get(url)
    counts = []
    for size in (2, 50):
        with django_assert_max_num_queries(6) as captured:
            assert officer_client.get(url, {"page_size": size}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_complaint_through_the_api_with_its_due_date_and_the_errors_it_can_meet(officer_client, officer):
    response = officer_client.post(
        "/api/v1/complaints/",
        {
            "complainant_name": "Pat",
            "category": "application_closure",
            "summary": "Closed without notice",
            "received_on": "2020-04-02",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["due_on"], body["stage"], body["status"]) == ("2020-05-04", 1, "received")
    base = f"/api/v1/complaints/{body['id']}"
    assert officer_client.post(f"{base}/respond/", {"response": "x"}, format="json").status_code == 409
    response = officer_client.post(f"{base}/assign/", {"officer": officer.pk, "version": 99}, format="json")
    assert response.status_code == 409
    assert officer_client.post(f"{base}/assign/", {"officer": officer.pk}, format="json").status_code == 200
    response = officer_client.post(f"{base}/respond/", {"response": ""}, format="json")
    assert response.status_code == 400 and "response" in response.json()
    assert (
        officer_client.post(f"{base}/respond/", {"response": "Reopened", "on": "2020-05-05"}, format="json").status_code
        == 200
    )
    response = officer_client.post(f"{base}/close/", {"on": "2020-05-05"}, format="json")
    assert response.status_code == 200 and response.json()["in_breach"] is True
    response = officer_client.post(f"{base}/escalate/", {"reason": "Still unhappy", "on": "2020-05-06"}, format="json")
    assert (
        response.json()["stage"] == 2 and response.json()["due_on"] == "2020-06-05"
    )  # past VE Day and the spring bank holiday
    kinds = [e["kind"] for e in officer_client.get(f"{base}/events/").json()]
    assert kinds == ["received", "assigned", "responded", "closed", "escalated"]


def test_bad_input_is_a_400_naming_the_field(officer_client):
    response = officer_client.post(
        "/api/v1/complaints/", {"complainant_name": "x", "category": "weather", "summary": "y"}, format="json"
    )
    assert response.status_code == 400 and "category" in response.json()
    response = officer_client.post(
        "/api/v1/information-requests/",
        {"kind": "foi", "requester_name": "x", "description": "y", "received_on": "2999-01-01"},
        format="json",
    )
    assert response.status_code == 400 and "received_on" in response.json()


def test_the_overdue_filter_lists_open_complaints_past_their_due_date(officer_client, world):
    make_complaint(received_on=timezone.localdate())
    overdue = officer_client.get("/api/v1/complaints/", {"overdue": "true", "page_size": 100}).json()
    assert overdue["count"] == 4  # the four open ones received in May 2020
    assert all(r["in_breach"] and r["status"] != "closed" for r in overdue["results"])
    assert officer_client.get("/api/v1/complaints/", {"overdue": "false"}).json()["count"] == 5


def test_a_subject_access_request_is_extended_and_its_export_downloaded_only_by_complaints_officers(
    officer_client, api_client, user_with_role, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    registrant = make_entry(given_name="Alice").registrant
    sar = make_request("sar", received_on=timezone.localdate(), registrant=registrant)
    base = f"/api/v1/information-requests/{sar.pk}"
    response = officer_client.post(f"{base}/extend/", {"reason": "Many records"}, format="json")
    assert response.status_code == 200 and response.json()["extended"] is True
    assert officer_client.post(f"{base}/extend/", {"reason": "again"}, format="json").status_code == 409
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(f"{base}/export/")
    assert response.status_code == 202  # the job is queued on commit; tasks run in process here
    export = SubjectAccessExport.objects.get(request=sar)
    assert export.status == "ready"
    url = f"/api/v1/subject-access-exports/{export.pk}/download/"
    downloaded = officer_client.get(url)
    assert downloaded.status_code == 200
    document = json.loads(b"".join(downloaded.streaming_content))
    assert document["sections"]["registration"]["registrant"][0]["given_name"] == "Alice"
    assert AuditEvent.objects.filter(action="subject_access_export.downloaded", object_id=str(export.pk)).exists()
    other = api_client.__class__()
    assert other.get(url).status_code in (401, 403)
    other.force_authenticate(user_with_role("registration_officer"))
    assert other.get(url).status_code == 403


def test_an_export_needs_an_open_subject_access_request_about_a_registrant(officer_client):
    foi = make_request("foi")
    assert officer_client.post(f"/api/v1/information-requests/{foi.pk}/export/").status_code == 409
    sar = make_request("sar")
    response = officer_client.post(f"/api/v1/information-requests/{sar.pk}/export/")
    assert response.status_code == 400 and "registrant" in response.json()


def test_figures_endpoints_answer_for_officers_and_executives(officer_client, world, api_client, user_with_role):
    rows = officer_client.get("/api/v1/complaints/figures/", {"start": "2020-04-01", "end": "2020-05-01"}).json()
    assert [(r["complaints_received"], r["complaints_closed"]) for r in rows] == [(4, 4), (4, 0)]
    assert rows[0]["percent_closed_within_20_working_days"] == 100.0
    assert rows[1]["percent_closed_within_20_working_days"] is None
    api_client.force_authenticate(user_with_role("executive"))
    rows = api_client.get("/api/v1/information-requests/figures/", {"start": "2020-04-01", "end": "2020-04-01"}).json()
    assert (rows[0]["foi_received"], rows[0]["sar_received"]) == (4, 4)
