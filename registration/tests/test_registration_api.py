"""The registration API: who may use what, the queue's filters and query counts, actions and errors."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registration import services
from registration.models import Application, Call, Renewal
from registration.tests.helpers import applicant, at, cpd, draft, received
from regulator.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

OFFICER_ENDPOINTS = [
    ("get", "/api/v1/applications/"),
    ("post", "/api/v1/applications/bulk-assign/"),
    ("get", "/api/v1/renewal-window-closures/"),
    ("post", "/api/v1/renewal-window-closures/"),
    ("post", "/api/v1/temporary-register/add/"),
    ("post", "/api/v1/temporary-register/remove/"),
    ("get", "/api/v1/appeals/"),
    ("get", "/api/v1/misuse-of-title-cases/"),
    ("post", "/api/v1/misuse-of-title-cases/"),
    ("get", "/api/v1/calls/"),
    ("post", "/api/v1/calls/import/"),
    ("get", "/api/v1/email-enquiries/"),
]
ACCOUNT_ENDPOINTS = [
    ("get", "/api/v1/account/"),
    ("get", "/api/v1/account/cpd/"),
    ("post", "/api/v1/account/cpd/"),
    ("get", "/api/v1/account/renewals/"),
    ("post", "/api/v1/account/renewals/"),
    ("get", "/api/v1/account/applications/"),
    ("post", "/api/v1/account/applications/"),
    ("get", "/api/v1/account/appeals/"),
]


@pytest.mark.parametrize(("method", "url"), OFFICER_ENDPOINTS)
def test_officer_endpoints_refuse_anonymous_callers_registrants_and_other_staff(
    api_client, user_with_role, method, url
):
    assert getattr(api_client, method)(url).status_code in (401, 403)
    for role in (Role.REGISTRANT, Role.CASE_EXAMINER):
        api_client.force_authenticate(user_with_role(role))
        assert getattr(api_client, method)(url).status_code == 403


@pytest.mark.parametrize(("method", "url"), ACCOUNT_ENDPOINTS)
def test_account_endpoints_refuse_anonymous_callers_and_staff(api_client, officer, method, url):
    assert getattr(api_client, method)(url).status_code in (401, 403)
    api_client.force_authenticate(officer)
    assert getattr(api_client, method)(url).status_code == 403


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("patch", ""),
        ("post", "submit/"),
        ("post", "pay/"),
        ("post", "withdraw/"),
        ("post", "information/"),
    ],
)
def test_a_registrant_cannot_read_or_change_another_persons_application(api_client, method, suffix):
    owner, _ = applicant()
    theirs = draft(owner, pay=False)
    intruder, _ = applicant()
    api_client.force_authenticate(intruder)
    response = getattr(api_client, method)(f"/api/v1/account/applications/{theirs.pk}/{suffix}", {}, format="json")
    assert response.status_code == 404
    guessed = getattr(api_client, method)(
        f"/api/v1/account/applications/{theirs.pk + 1000}/{suffix}", {}, format="json"
    )
    assert guessed.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "draft" and theirs.version == Application.objects.get(pk=theirs.pk).version


def test_an_applicant_applies_through_the_api_from_draft_to_received(api_client):
    user, _ = applicant()
    api_client.force_authenticate(user)
    started = api_client.post("/api/v1/account/applications/", {"kind": "new", "route": "overseas"}, format="json")
    assert started.status_code == 201, started.content
    pk = started.json()["id"]
    refused = api_client.post(f"/api/v1/account/applications/{pk}/submit/", {}, format="json")
    assert refused.status_code == 400 and "english_language_evidence" in refused.json()
    answers = {
        "town": "Bristol",
        "qualification": "Bachelor of Social Work",
        "awarding_institution": "University of Cape Town",
        "qualified_on": "2020-12-01",
        "english_language_evidence": "IELTS 8",
        "character_declaration": True,
        "health_declaration": True,
    }
    assert api_client.patch(f"/api/v1/account/applications/{pk}/", answers, format="json").status_code == 200
    bad = SimpleUploadedFile("degree.pdf", b"just text", content_type="application/pdf")
    upload = api_client.post(f"/api/v1/account/applications/{pk}/documents/", {"kind": "qualification", "file": bad})
    assert upload.status_code == 400 and "file" in upload.json()
    good = SimpleUploadedFile("degree.pdf", b"%PDF-1.4\n%%EOF\n")
    assert (
        api_client.post(
            f"/api/v1/account/applications/{pk}/documents/", {"kind": "qualification", "file": good}
        ).status_code
        == 201
    )
    declined = api_client.post(f"/api/v1/account/applications/{pk}/pay/", {"payment_token": "fail"}, format="json")
    assert declined.status_code == 400 and "payment" in declined.json()
    paid = api_client.post(f"/api/v1/account/applications/{pk}/pay/", {"payment_token": "success"}, format="json")
    assert paid.status_code == 200
    submitted = api_client.post(f"/api/v1/account/applications/{pk}/submit/", {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "received"


def test_an_officer_approving_with_a_stale_version_gets_409(api_client, officer):
    application = received()
    api_client.force_authenticate(officer)
    url = f"/api/v1/applications/{application.pk}/"
    version = api_client.get(url).json()["version"]
    assert api_client.post(url + "approve/", {"version": version}, format="json").status_code == 200
    second = api_client.post(url + "approve/", {"version": version}, format="json")
    assert second.status_code == 409 and "changed by someone else" in second.json()["detail"]


def test_refusing_without_reasons_is_a_400_naming_the_field(api_client, officer):
    application = received()
    api_client.force_authenticate(officer)
    response = api_client.post(f"/api/v1/applications/{application.pk}/refuse/", {"reasons": ""}, format="json")
    assert response.status_code == 400 and "reasons" in response.json()


def test_the_queue_filters_by_route_investigation_and_overdue_and_sorts_by_due_date(api_client, officer, time_machine):
    time_machine.move_to(at("2026-11-23"), tick=False)  # overdue is judged today: late's due date has passed
    late = received(now=at("2026-10-01"))
    fresh = received(now=at("2026-11-20"), route="eea")
    services.application_flag_for_investigation(application=fresh, actor=officer, reason="Check", version=None)
    api_client.force_authenticate(officer)
    ids = lambda q: [r["reference"] for r in api_client.get("/api/v1/applications/" + q).json()["results"]]  # noqa: E731
    assert ids("?route=eea") == [fresh.reference]
    assert ids("?investigation_required=true") == [fresh.reference]
    assert ids("?overdue=true") == [late.reference]
    assert ids("?sort=-due") == [fresh.reference, late.reference]
    row = api_client.get("/api/v1/applications/?reference=" + late.reference).json()["results"][0]
    assert row["clock"]["overdue"] and row["clock"]["due_on"] == "2026-10-15"


@pytest.mark.parametrize("query", ["", "?sort=due", "?overdue=false"])
def test_the_queue_takes_the_same_number_of_queries_for_2_or_50_rows(
    api_client, officer, django_assert_max_num_queries, query
):
    for _ in range(6):
        application = received()
        services.application_assign(application=application, officer=officer, actor=officer)
    api_client.force_authenticate(officer)
    joiner = "&" if query else "?"
    for size in (2, 50):
        with django_assert_max_num_queries(6):
            response = api_client.get(f"/api/v1/applications/{query}{joiner}page_size={size}")
        assert response.status_code == 200 and len(response.json()["results"]) == min(size, 6)


def test_bulk_assign_through_the_api(api_client, officer):
    apps = [received() for _ in range(2)]
    api_client.force_authenticate(officer)
    response = api_client.post(
        "/api/v1/applications/bulk-assign/",
        {"applications": [a.pk for a in apps], "officer": officer.pk},
        format="json",
    )
    assert response.json() == {"assigned": 2}
    not_an_officer, _ = applicant()
    response = api_client.post(
        "/api/v1/applications/bulk-assign/", {"applications": [apps[0].pk], "officer": not_an_officer.pk}, format="json"
    )
    assert response.status_code == 400 and "officer" in response.json()


def test_a_registrant_renews_through_the_api(api_client, time_machine_free_renewal_window):
    user, registrant = applicant()
    services.register_entry_create(
        registrant=registrant, route="uk", town="Leeds", actor=None, registered_until=time_machine_free_renewal_window
    )
    today = dt.date.today()
    cpd(registrant, on=today, today=today)
    api_client.force_authenticate(user)
    refused = api_client.post("/api/v1/account/renewals/", {"declarations_confirmed": True, "payment_token": "success"})
    assert refused.status_code == 400 and "cpd" in refused.json()
    cpd(registrant, on=today, peer=True, today=today)
    response = api_client.post(
        "/api/v1/account/renewals/", {"declarations_confirmed": True, "payment_token": "success"}
    )
    assert response.status_code == 201, response.content
    again = api_client.post("/api/v1/account/renewals/", {"declarations_confirmed": True, "payment_token": "success"})
    assert again.status_code == 409 and Renewal.objects.count() == 1
    record = api_client.get("/api/v1/account/").json()
    assert record["renewal_window"]["renewed"] and record["cpd"]["meets_rule"]


@pytest.fixture
def time_machine_free_renewal_window(settings):
    """Open the renewal window around today (the window is a setting), whatever today is."""
    today = dt.date.today()
    settings.REGISTRATION_RENEWAL_WINDOW_OPENS = (today.month, 1)
    closes = today + dt.timedelta(days=1) if today.month == (today + dt.timedelta(days=1)).month else today
    if (closes.month, closes.day) == (2, 29):  # a year cannot end on 29 February: close on 1 March instead
        closes = today + dt.timedelta(days=1)
    settings.REGISTRATION_RENEWAL_WINDOW_CLOSES = (closes.month, closes.day)
    return closes


def test_importing_calls_reports_every_bad_row_and_writes_nothing_then_is_idempotent(api_client, officer):
    api_client.force_authenticate(officer)
    bad = (
        "received_at,queue_seconds,outcome\n"
        "2026-04-03T10:15:00+01:00,45,answered\n"
        "yesterday,45,answered\n"
        "2026-04-03T10:20:00+01:00,,answered\n"
        "2026-04-03T10:25:00+01:00,10,rang_off\n"
    )
    response = api_client.post("/api/v1/calls/import/", {"file": SimpleUploadedFile("calls.csv", bad.encode())})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        "calls.csv:3: received_at: not a time with an offset, e.g. 2020-04-03T10:15:00+01:00 ('yesterday')",
        "calls.csv:4: queue_seconds: required for a call that queued",
        "calls.csv:5: outcome: must be one of answered, abandoned_in_queue, hung_up_before_queue ('rang_off')",
    ]
    assert Call.objects.count() == 0
    good = (
        "outcome,received_at,queue_seconds\nanswered,2026-04-03T10:15:00+01:00,45\nhung_up_before_queue,2026-04-03,\n"
    )
    first = api_client.post("/api/v1/calls/import/", {"file": SimpleUploadedFile("calls.csv", good.encode())}).json()
    again = api_client.post("/api/v1/calls/import/", {"file": SimpleUploadedFile("calls.csv", good.encode())}).json()
    assert (first["created"], again["created"], Call.objects.count()) == (2, 0, 2)


def test_unknown_columns_in_calls_csv_are_an_error(api_client, officer):
    api_client.force_authenticate(officer)
    text = "received_at,queue_seconds,outcome,agent\n"
    response = api_client.post("/api/v1/calls/import/", {"file": SimpleUploadedFile("calls.csv", text.encode())})
    assert response.json()["errors"] == ["calls.csv:1: agent: unknown column"]


def test_the_end_of_window_action_queues_the_sweep_and_reports_the_counts(
    api_client, officer, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(officer)
    with django_capture_on_commit_callbacks(execute=True):
        words = api_client.get("/api/v1/renewal-window-closures/preview/").json()["confirmation"]
        response = api_client.post("/api/v1/renewal-window-closures/", {"confirmation": words})
    assert response.status_code == 202
    closure = api_client.get(f"/api/v1/renewal-window-closures/{response.json()['id']}/").json()
    assert closure["status"] == "completed" and closure["removed"] == 0
    assert reverse("api-renewal-window-closure-list")


def test_importing_emails_checks_every_row_then_is_idempotent(api_client, officer):
    from registration.models import EmailEnquiry

    api_client.force_authenticate(officer)
    bad = "responded_at,received_at\n2026-04-01T09:00:00+01:00,2026-04-02T09:00:00+01:00\n,\n"
    response = api_client.post("/api/v1/email-enquiries/import/", {"file": SimpleUploadedFile("e.csv", bad.encode())})
    assert response.json()["errors"] == [
        "emails.csv:2: responded_at: is before received_at",
        "emails.csv:3: received_at: missing value",
    ]
    good = "received_at,responded_at\n2026-04-01,2026-04-03T10:00:00+01:00\n2026-04-02T11:00:00+01:00,\n"
    first = api_client.post("/api/v1/email-enquiries/import/", {"file": SimpleUploadedFile("e.csv", good.encode())})
    again = api_client.post("/api/v1/email-enquiries/import/", {"file": SimpleUploadedFile("e.csv", good.encode())})
    assert (first.json()["created"], again.json()["created"], EmailEnquiry.objects.count()) == (2, 0, 2)


def test_an_application_s_page_in_the_api_takes_a_fixed_number_of_queries(
    api_client, officer, django_assert_max_num_queries
):
    application = received()
    for _ in range(4):
        services.application_assign(application=application, officer=officer, actor=officer)
    api_client.force_authenticate(officer)
    api_client.get(f"/api/v1/applications/{application.pk}/")
    with django_assert_max_num_queries(6):
        response = api_client.get(f"/api/v1/applications/{application.pk}/")
    assert len(response.json()["events"]) == 5


def test_a_cpd_record_sent_without_the_optional_peer_reflection_is_recorded_without_one(api_client):
    # Found by schemathesis: peer_reflection is optional in the schema, but its absence reached the service as a
    # missing keyword argument (TypeError, 500).
    user, registrant = applicant()
    api_client.force_authenticate(user)
    today = dt.date.today()
    body = {"kind": "course", "done_on": today.isoformat(), "description": "Course", "learning": "L", "impact": "I"}
    response = api_client.post("/api/v1/account/cpd/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["peer_reflection"] is False
    assert registrant.cpd_records.get().peer_reflection is False


def test_an_import_without_a_file_is_a_400_naming_the_field_as_the_schema_documents(api_client, officer):
    # Found by schemathesis: the schema promised an import result for every 400, not the field error.
    api_client.force_authenticate(officer)
    response = api_client.post("/api/v1/calls/import/", {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    paths = api_client.get("/api/schema/?format=json").json()["paths"]
    refused = paths["/api/v1/calls/import/"]["post"]["responses"]["400"]["content"]["application/json"]["schema"]
    assert refused == {"type": "object", "additionalProperties": {}}  # either shape, not only the import result
