"""The FTP API: raising a concern, pre-triage, the queue, the case, its actions; access per role."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fitness_to_practise.models import CaseEvent, Concern, FitnessToPractiseCase, State
from registration.models import RegisterEntry
from regulator.roles import Role
from tests.factories import make_entry

from .factories import case_in_state, raise_concern

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONCERN = {
    "referrer_type": "employer",
    "referrer_name": "A Manager",
    "referrer_email": "manager@example.org",
    "what_happened": "Records were falsified.",
    "social_worker_name": "Jane Doe",
    "social_worker_town": "Leeds",
}


@pytest.mark.django_db
def test_anyone_can_raise_a_concern_and_gets_only_a_reference(api_client):
    response = api_client.post("/api/v1/concerns/", CONCERN, format="json")
    assert response.status_code == 201
    assert set(response.json()) == {"reference", "received_at"}
    concern = Concern.objects.get(reference=response.json()["reference"])
    assert concern.received_via == "api" and concern.status == "awaiting_pre_triage"


@pytest.mark.django_db
def test_a_concern_with_a_pdf_is_stored_and_one_pretending_to_be_a_pdf_is_refused(api_client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    good = io.BytesIO(PDF)
    good.name = "letter.pdf"
    response = api_client.post("/api/v1/concerns/", {**CONCERN, "attachments": [good]}, format="multipart")
    assert response.status_code == 201
    attachment = Concern.objects.get(reference=response.json()["reference"]).attachments.get()
    assert attachment.content_type == "application/pdf" and attachment.original_name == "letter.pdf"
    assert attachment.file.path.startswith(str(tmp_path)) and "letter" not in attachment.stored_name
    bad = io.BytesIO(b"<script>alert(1)</script>")
    bad.name = "evil.pdf"
    response = api_client.post("/api/v1/concerns/", {**CONCERN, "attachments": [bad]}, format="multipart")
    assert response.status_code == 400 and "attachments" in response.json()
    assert Concern.objects.count() == 1


@pytest.mark.django_db
def test_raising_concerns_is_rate_limited_per_address(api_client):
    codes = [api_client.post("/api/v1/concerns/", CONCERN, format="json").status_code for _ in range(6)]
    assert codes == [201] * 5 + [429]
    assert Concern.objects.count() == 5


@pytest.mark.django_db
def test_a_concern_that_is_too_long_is_refused_with_the_field(api_client):
    response = api_client.post("/api/v1/concerns/", {**CONCERN, "what_happened": "x" * 10_001}, format="json")
    assert response.status_code == 400 and "what_happened" in response.json()


@pytest.mark.django_db
def test_pre_triage_finds_the_social_worker_and_opens_a_case(api_client, handler):
    entry = make_entry(given_name="Jane", family_name="Doe", town="Leeds")
    make_entry(given_name="John", family_name="Smith", town="York")
    concern = raise_concern()
    api_client.force_authenticate(handler)
    matches = api_client.get(f"/api/v1/ftp/concerns/{concern.pk}/register-matches/").json()
    assert [m["registration_number"] for m in matches["results"]] == [entry.registration_number]
    response = api_client.post(
        f"/api/v1/ftp/concerns/{concern.pk}/identify-social-worker/",
        {"version": concern.version, "registration_number": entry.registration_number},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "triage_initial_review"
    assert [e["kind"] for e in body["events"]] == ["concern_received", "social_worker_identified", "letter_sent"]
    assert [c["name"] for c in body["clocks"]] == ["Initial review", "Triage decision"]


@pytest.mark.django_db
def test_a_second_concern_joins_the_open_case_about_the_same_person(api_client, handler):
    case = case_in_state(State.INVESTIGATION)
    concern = raise_concern(referrer_type="police")
    api_client.force_authenticate(handler)
    response = api_client.post(
        f"/api/v1/ftp/concerns/{concern.pk}/identify-social-worker/",
        {"version": 1, "registration_number": case.entry.registration_number, "join_case": case.reference},
        format="json",
    )
    assert response.status_code == 200
    assert FitnessToPractiseCase.objects.count() == 1
    assert case.concerns.count() == 2
    assert response.json()["state"] == "investigation"


@pytest.mark.django_db
def test_a_concern_about_someone_not_on_the_register_is_closed_with_a_reason(api_client, handler):
    concern = raise_concern()
    api_client.force_authenticate(handler)
    url = f"/api/v1/ftp/concerns/{concern.pk}/close/"
    assert api_client.post(url, {"version": 1, "reason": ""}, format="json").status_code == 400
    response = api_client.post(url, {"version": 1, "reason": "Not on the register: misuse of title?"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    again = api_client.post(url, {"version": 2, "reason": "again"}, format="json")
    assert again.status_code == 409


@pytest.mark.django_db
def test_a_transition_posted_from_the_wrong_state_is_409_and_a_stale_version_is_409(api_client, handler):
    case = case_in_state(State.TRIAGE_INITIAL_REVIEW)
    api_client.force_authenticate(handler)
    url = f"/api/v1/ftp/cases/{case.pk}/refer-to-investigation/"
    response = api_client.post(url, {"version": 1, "reason": "Serious"}, format="json")
    assert response.status_code == 409 and "cannot" in response.json()["detail"]
    review = f"/api/v1/ftp/cases/{case.pk}/complete-initial-review/"
    ok = api_client.post(review, {"version": 1, "reason": "Streamed", "risk_level": "high"}, format="json")
    assert ok.status_code == 200 and ok.json()["state"] == "triage_decision"
    stale = api_client.post(url, {"version": 1, "reason": "Serious"}, format="json")
    assert stale.status_code == 409 and "changed" in stale.json()["detail"]
    bad = api_client.post(url, {"version": 2, "reason": ""}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()


@pytest.mark.django_db
def test_the_queue_filters_by_stage_origin_risk_overdue_and_assignment(api_client, handler):
    case_in_state(State.TRIAGE_INITIAL_REVIEW)
    hcpc = case_in_state(State.INVESTIGATION, origin="hcpc")
    FitnessToPractiseCase.objects.filter(pk=hcpc.pk).update(risk_level="high", handler=handler)
    api_client.force_authenticate(handler)

    def refs(**params):
        return {r["reference"] for r in api_client.get("/api/v1/ftp/cases/", params).json()["results"]}

    assert refs(stage="investigation") == {hcpc.reference}
    assert refs(origin="hcpc") == {hcpc.reference}
    assert refs(risk_level="high") == {hcpc.reference}
    assert refs(assigned="me") == {hcpc.reference}
    assert refs(overdue="true") == {hcpc.reference}  # HCPC cases were due by December 2021
    assert len(refs(assigned="none")) == 1
    assert api_client.get("/api/v1/ftp/cases/", {"stage": "nonsense"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/api/v1/ftp/cases/?page_size={n}", "/api/v1/ftp/concerns/?page_size={n}"],
)
def test_list_endpoints_make_the_same_number_of_queries_for_2_and_50_rows(api_client, handler, url):
    for _ in range(6):
        case_in_state(State.INVESTIGATION)
        raise_concern()
    api_client.force_authenticate(handler)
    api_client.get(url.format(n=1))  # the user's roles are read once, then cached on the user
    counts = []
    for n in (2, 50):
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(url.format(n=n)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6


@pytest.mark.django_db
def test_the_case_api_makes_a_constant_number_of_queries(api_client, handler, django_assert_max_num_queries):
    case = case_in_state(State.HEARING, interim="in_force")
    api_client.force_authenticate(handler)
    with django_assert_max_num_queries(14):
        assert api_client.get(f"/api/v1/ftp/cases/{case.pk}/").status_code == 200


# --- Access ---

STAFF_URLS = ["/api/v1/ftp/cases/", "/api/v1/ftp/concerns/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*STAFF_URLS, "/api/v1/ftp/letters/"])
def test_anonymous_callers_are_refused(api_client, url):
    assert api_client.get(url).status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.REGISTRANT, Role.REGISTRATION_OFFICER, Role.EXECUTIVE, Role.COMPLAINTS_OFFICER])
@pytest.mark.parametrize("url", STAFF_URLS)
def test_users_without_an_ftp_role_are_refused(api_client, user_with_role, role, url):
    case_in_state(State.TRIAGE_DECISION)
    api_client.force_authenticate(user_with_role(role))
    assert api_client.get(url).status_code == 403


@pytest.mark.django_db
def test_a_case_examiner_sees_only_cases_referred_to_case_examiners(api_client, examiner, handler):
    triage = case_in_state(State.TRIAGE_DECISION)
    referred = case_in_state(State.INVESTIGATION)
    api_client.force_authenticate(handler)
    api_client.post(
        f"/api/v1/ftp/cases/{referred.pk}/refer-to-case-examiners/", {"version": 1, "reason": "Done"}, format="json"
    )
    api_client.force_authenticate(examiner)
    listed = [r["reference"] for r in api_client.get("/api/v1/ftp/cases/").json()["results"]]
    assert listed == [referred.reference]
    assert api_client.get(f"/api/v1/ftp/cases/{triage.pk}/").status_code == 404
    assert api_client.get("/api/v1/ftp/concerns/").status_code == 403
    refused = api_client.post(
        f"/api/v1/ftp/cases/{triage.pk}/close-at-triage/", {"version": 1, "reason": "x"}, format="json"
    )
    assert refused.status_code == 403
    ok = api_client.post(
        f"/api/v1/ftp/cases/{referred.pk}/accept-for-decision/", {"version": 2, "reason": "Ready"}, format="json"
    )
    assert ok.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "slug", "allowed"),
    [
        (Role.FTP_CASE_HANDLER, "refer-to-investigation", True),
        (Role.CASE_EXAMINER, "refer-to-investigation", False),
        (Role.ADJUDICATIONS_OFFICER, "refer-to-investigation", False),
        (Role.ADJUDICATIONS_OFFICER, "add-note", True),
        (Role.CASE_EXAMINER, "identify-interim-order-need", False),  # cannot see a case in triage at all
    ],
)
def test_each_action_is_open_only_to_its_roles(api_client, user_with_role, role, slug, allowed):
    case = case_in_state(State.TRIAGE_DECISION)
    api_client.force_authenticate(user_with_role(role))
    body = {"version": 1, "reason": "Because", "text": "A note"}
    response = api_client.post(f"/api/v1/ftp/cases/{case.pk}/{slug}/", body, format="json")
    assert (response.status_code == 200) is allowed, response.content
    if not allowed:
        assert response.status_code in (403, 404)
        assert (
            not CaseEvent.objects.filter(case=case)
            .exclude(kind__in=["concern_received", "social_worker_identified", "letter_sent"])
            .exists()
        )


@pytest.mark.django_db
def test_a_registrant_sees_only_the_letters_sent_to_them(api_client, user_with_role):
    mine = case_in_state(State.TRIAGE_DECISION)
    theirs = case_in_state(State.TRIAGE_DECISION)
    me = user_with_role(Role.REGISTRANT)
    RegisterEntry.objects.get(pk=mine.entry_id).registrant.__class__.objects.filter(pk=mine.entry.registrant_id).update(
        user=me
    )
    api_client.force_authenticate(me)
    letters = api_client.get("/api/v1/ftp/letters/").json()["results"]
    assert [letter["case_reference"] for letter in letters] == [mine.reference]
    assert theirs.reference not in str(letters)
    assert api_client.get(f"/api/v1/ftp/cases/{mine.pk}/").status_code == 403


@pytest.mark.django_db
def test_a_case_handler_enters_a_concern_received_by_post_through_the_api(api_client, handler, examiner):
    api_client.force_authenticate(handler)
    online = api_client.post("/api/v1/ftp/concerns/", {**CONCERN, "received_via": "online"}, format="json")
    assert online.status_code == 400 and "received_via" in online.json()
    response = api_client.post(
        "/api/v1/ftp/concerns/",
        {**CONCERN, "received_via": "post", "received_at": "2026-11-02T09:00:00+00:00"},
        format="json",
    )
    assert response.status_code == 201
    concern = Concern.objects.get()
    assert concern.received_via == "post" and concern.entered_by == handler
    assert concern.received_at.isoformat().startswith("2026-11-02")
    api_client.force_authenticate(examiner)
    assert (
        api_client.post("/api/v1/ftp/concerns/", {**CONCERN, "received_via": "post"}, format="json").status_code == 403
    )


def test_an_absurd_older_than_days_filter_is_a_400_naming_the_field(api_client, handler):
    # Found by probing the case queue page: 20 digits of days overflowed the date arithmetic (500).
    api_client.force_authenticate(handler)
    response = api_client.get("/api/v1/ftp/cases/?older_than_days=99999999999999999999")
    assert response.status_code == 400
    assert "older_than_days" in response.json()
