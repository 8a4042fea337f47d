"""The FTP pages: the public form, pre-triage, the queue and the case; access per role; escaping."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fitness_to_practise.models import Concern, FitnessToPractiseCase, State
from regulator import service_standards
from regulator.roles import Role
from tests.factories import make_entry

from .factories import case_in_state, raise_concern

FORM = {
    "referrer_type": "public",
    "referrer_name": "Pat Public",
    "referrer_email": "pat@example.org",
    "social_worker_name": "Jane Doe",
    "social_worker_town": "Leeds",
    "what_happened": "<script>alert('x')</script> The visit did not happen.",
}


@pytest.mark.django_db
def test_the_public_form_gives_a_reference_and_never_renders_script_back(client):
    response = client.post("/raise-a-concern/", FORM, follow=True)
    assert response.status_code == 200
    concern = Concern.objects.get()
    assert concern.reference in response.content.decode()
    assert concern.received_via == "online"
    bad = client.post("/raise-a-concern/", {**FORM, "social_worker_name": ""})
    assert bad.status_code == 200 and "<script>alert" not in bad.content.decode()
    assert "&lt;script&gt;" in bad.content.decode()


@pytest.mark.django_db
def test_the_public_form_refuses_a_file_that_is_not_what_it_claims(client):
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 an executable", content_type="image/png")
    response = client.post("/raise-a-concern/", {**FORM, "attachments": [fake]})
    assert response.status_code == 200
    assert "must be PDF, JPG, PNG or Word" in response.content.decode()
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_the_public_form_is_rate_limited(client):
    codes = [client.post("/raise-a-concern/", FORM).status_code for _ in range(6)]
    assert codes == [302] * 5 + [429]


@pytest.mark.django_db
def test_only_sent_concerns_count_toward_the_limit(client):
    for _ in range(8):
        assert client.post("/raise-a-concern/", {**FORM, "what_happened": ""}).status_code == 200  # a mistake
    codes = [client.post("/raise-a-concern/", FORM).status_code for _ in range(5)]
    assert codes == [302] * 5


@pytest.mark.django_db
def test_colleagues_behind_one_shared_address_each_have_their_own_limit(client):
    for n in range(4):
        sender = {**FORM, "referrer_email": f"worker{n}@council.example", "referrer_name": f"Worker {n}"}
        codes = [client.post("/raise-a-concern/", sender).status_code for _ in range(5)]
        assert codes == [302] * 5
    assert Concern.objects.count() == 20


@pytest.mark.django_db
def test_the_limit_page_keeps_what_was_typed_and_gives_the_contact_details(client, settings):
    for _ in range(5):
        client.post("/raise-a-concern/", FORM)
    response = client.post("/raise-a-concern/", {**FORM, "what_happened": "A missed visit on Tuesday."})
    page = response.content.decode()
    assert response.status_code == 429
    assert "A missed visit on Tuesday." in page and 'value="Pat Public"' in page
    assert settings.REGULATOR_CONTACT["phone"] in page and settings.REGULATOR_CONTACT["email"] in page
    assert Concern.objects.count() == 5


@pytest.mark.django_db
def test_the_form_says_what_is_missing(client):
    page = client.post("/raise-a-concern/", {}).content.decode()
    assert "This field is required." not in page
    for message in (
        "Select who you are",
        "Enter your name",
        "Enter the name of the social worker",
        "Tell us what happened",
    ):
        assert message in page


@pytest.mark.django_db
def test_a_handler_records_a_phone_concern_and_identifies_the_social_worker(client, handler):
    entry = make_entry(given_name="Jane", family_name="Doe", town="Leeds")
    client.force_login(handler)
    response = client.post("/ftp/concerns/new/", {**FORM, "received_via": "phone"})
    concern = Concern.objects.get()
    assert response.status_code == 302 and concern.received_via == "phone" and concern.entered_by == handler
    page = client.get(f"/ftp/concerns/{concern.pk}/").content.decode()
    assert entry.registration_number in page and "&lt;script&gt;" in page
    response = client.post(
        f"/ftp/concerns/{concern.pk}/",
        {"version": 1, "registration_number": entry.registration_number, "origin": "swe"},
    )
    case = FitnessToPractiseCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ftp/cases/{case.pk}/"


@pytest.mark.django_db
def test_an_action_page_moves_the_case_and_a_refused_one_says_why(client, handler):
    case = case_in_state(State.TRIAGE_DECISION)
    client.force_login(handler)
    response = client.post(f"/ftp/cases/{case.pk}/refer-to-investigation/", {"version": 1, "reason": "Serious"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.INVESTIGATION
    again = client.post(f"/ftp/cases/{case.pk}/refer-to-investigation/", {"version": 2, "reason": "Again"})
    assert again.status_code == 409 and "cannot" in again.content.decode()
    page = client.get(f"/ftp/cases/{case.pk}/").content.decode()
    assert "Referred to investigation" in page and "Serious" in page


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 50])
def test_the_queue_page_makes_the_same_number_of_queries_whatever_the_page_size(client, handler, n):
    for _ in range(4):
        case_in_state(State.INVESTIGATION)
        case_in_state(State.TRIAGE_INITIAL_REVIEW)
    client.force_login(handler)
    service_standards.target("triage_decision")  # the standards table is read once a process, not per row
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ftp/", {"page_size": n, "overdue": "", "ordering": "-stage_started"})
    assert response.status_code == 200 and "FTP-" in response.content.decode()
    assert len(queries) == 8  # session, user, roles, handlers for the filter, stage counts, count, ids, rows


@pytest.mark.django_db
def test_the_queue_page_filters(client, handler):
    triage = case_in_state(State.TRIAGE_INITIAL_REVIEW)
    investigation = case_in_state(State.INVESTIGATION, origin="hcpc")
    client.force_login(handler)
    body = client.get("/ftp/", {"stage": "investigation", "origin": "hcpc"}).content.decode()
    assert investigation.reference in body and triage.reference not in body


STAFF_PAGES = ["/ftp/", "/ftp/concerns/", "/ftp/concerns/new/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*STAFF_PAGES, "/ftp/letters/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.REGISTRANT, Role.REGISTRATION_OFFICER, Role.EDUCATION_QA_OFFICER])
@pytest.mark.parametrize("url", STAFF_PAGES)
def test_signed_in_users_without_an_ftp_role_are_refused(client, user_with_role, role, url):
    client.force_login(user_with_role(role))
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_a_case_examiner_cannot_open_pre_triage_or_a_case_in_triage(client, examiner):
    case = case_in_state(State.TRIAGE_DECISION)
    concern = raise_concern()
    client.force_login(examiner)
    assert client.get("/ftp/").status_code == 200
    assert case.reference not in client.get("/ftp/").content.decode()
    assert client.get(f"/ftp/cases/{case.pk}/").status_code == 404
    assert client.get(f"/ftp/concerns/{concern.pk}/").status_code == 403


@pytest.mark.django_db
def test_documents_are_served_only_to_who_may_see_the_case(client, handler, examiner, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    concern = raise_concern(attachments=[pdf])
    attachment = concern.attachments.get()
    client.force_login(examiner)
    assert client.get(f"/ftp/documents/{attachment.pk}/").status_code == 404
    client.force_login(handler)
    response = client.get(f"/ftp/documents/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_a_handler_assigns_a_case_to_themselves_from_the_queue(client, handler):
    case = case_in_state(State.INVESTIGATION)
    client.force_login(handler)
    assert "Assign to me" in client.get("/ftp/").content.decode()
    response = client.post(f"/ftp/cases/{case.pk}/assign/", {"version": 1, "handler": handler.username})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.handler == handler and case.events.filter(kind="assigned").exists()


@pytest.mark.django_db
def test_case_examiners_offer_a_disposal_and_adjudications_record_a_hearing_outcome_on_the_pages(
    client, examiner, adjudications
):
    offered = case_in_state(State.CASE_EXAMINERS_DECISION)
    client.force_login(examiner)
    assert client.get(f"/ftp/cases/{offered.pk}/offer-disposal/").status_code == 200
    response = client.post(
        f"/ftp/cases/{offered.pk}/offer-disposal/",
        {"version": 1, "sanction": "removal", "reason": "Serious"},
    )
    assert response.status_code == 400 and "Choose advice, a warning" in response.content.decode()
    response = client.post(
        f"/ftp/cases/{offered.pk}/offer-disposal/",
        {"version": 1, "sanction": "warning", "months": 24, "reason": "Insight shown"},
    )
    assert response.status_code == 302
    heard = case_in_state(State.HEARING)
    hearing = heard.hearings.get()
    client.force_login(adjudications)
    form = client.get(f"/ftp/cases/{heard.pk}/conclude-hearing/").content.decode()
    assert f'value="{hearing.pk}"' in form
    response = client.post(
        f"/ftp/cases/{heard.pk}/conclude-hearing/",
        {"version": 1, "hearing_id": hearing.pk, "impaired": "on", "sanction": "suspension", "months": 6,
         "reason": "Misconduct found"},
    )  # fmt: skip
    assert response.status_code == 302
    heard.refresh_from_db()
    assert heard.state == State.ORDER_MONITORING
    assert "Suspension order" in client.get(f"/register/{heard.entry.registration_number}/").content.decode()


def test_the_case_queue_answers_an_absurd_older_than_days_filter_without_a_500(client, handler):
    client.force_login(handler)
    response = client.get("/ftp/?older_than_days=99999999999999999999")
    assert response.status_code == 200
