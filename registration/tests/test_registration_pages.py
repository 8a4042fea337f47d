"""Registration pages: who may open them, the account journey, the queue's queries, the application page."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from registration import services
from registration.models import ApplicationDocument
from registration.tests.helpers import applicant, cpd, draft, received
from regulator.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.mark.parametrize("url_name", ["account:home", "account:cpd_new", "account:renew"])
def test_account_pages_send_anonymous_visitors_to_sign_in_and_refuse_staff(client, officer, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(officer)
    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", ["registration-work:queue", "registration-work:renewal_window"])
def test_officer_pages_refuse_anonymous_visitors_and_registrants(client, user_with_role, url_name):
    assert client.get(reverse(url_name)).status_code == 302
    client.force_login(user_with_role(Role.REGISTRANT))
    assert client.get(reverse(url_name)).status_code == 403
    client.force_login(user_with_role(Role.FTP_CASE_HANDLER))
    assert client.get(reverse(url_name)).status_code == 403


def test_signing_up_then_signing_in_with_the_email_address(client):
    response = client.post(
        reverse("account:sign_up"),
        {"given_name": "Kofi", "family_name": "Mensah", "email": "Kofi@Example.org", "password": "a-Good-password-1"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("account:home")
    client.logout()
    signed_in = client.post(reverse("login"), {"username": "kofi@example.org", "password": "a-Good-password-1"})
    assert signed_in.status_code == 302
    assert client.get(reverse("account:home")).status_code == 200


def test_sign_up_reports_a_weak_password_and_a_taken_email_on_their_fields(client):
    applicant()
    response = client.post(
        reverse("account:sign_up"), {"given_name": "A", "family_name": "B", "email": "x@example.org", "password": "123"}
    )
    assert "password" in response.context["form"].errors


def test_password_reset_emails_a_link_that_sets_a_new_password(client):
    user, _ = applicant()
    client.post(reverse("account:password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "An-other-Good-pass-2", "new_password2": "An-other-Good-pass-2"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("An-other-Good-pass-2")


def test_recording_cpd_with_peer_reflection_but_no_peer_shows_the_error_on_the_field(client):
    user, _ = applicant()
    client.force_login(user)
    response = client.post(
        reverse("account:cpd_new"),
        {
            "kind": "course",
            "done_on": dt.date.today().isoformat(),
            "description": "d",
            "learning": "l",
            "impact": "i",
            "peer_reflection": "on",
        },
    )
    assert response.status_code == 200 and "peer_name" in response.context["form"].errors


def test_the_queue_page_takes_the_same_queries_for_any_number_of_rows(client, officer, django_assert_max_num_queries):
    for _ in range(4):
        received()
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("registration-work:queue"))
    assert response.content.count(b"/registration/applications/") >= 4
    for _ in range(4):
        received()
    with django_assert_max_num_queries(12):
        client.get(reverse("registration-work:queue") + "?sort=due")


def test_an_officer_approves_from_the_application_page_and_a_stale_form_is_told_it_changed(client, officer):
    application = received()
    client.force_login(officer)
    url = reverse("registration-work:application", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"moj-timeline" in page.content
    client.post(url, {"action": "approve", "version": application.version})
    application.refresh_from_db()
    assert application.status == "approved"
    second = client.post(url, {"action": "approve", "version": application.version - 1}, follow=True)
    assert b"changed by someone else" in second.content


def test_documents_are_served_only_to_their_applicant_and_officers(client, officer):
    user, _ = applicant()
    application = draft(user, route="overseas")
    document = ApplicationDocument.objects.get(application=application)
    url = reverse("registration-work:document", args=[document.pk])
    client.force_login(user)
    assert client.get(url).status_code == 200
    intruder, _ = applicant()
    client.force_login(intruder)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 200


def test_the_account_page_shows_the_registration_and_cpd(client):
    user, registrant = applicant()
    services.register_entry_create(registrant=registrant, route="uk", town="Leeds", actor=None)
    cpd(registrant, on=dt.date.today())
    client.force_login(user)
    response = client.get(reverse("account:home"))
    assert b"you have recorded 1 piece of CPD" in response.content


def test_an_officer_queues_the_end_of_window_removal_and_reads_its_counts(
    client, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    url = reverse("registration-work:renewal_window")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "close-window", "confirmation": "remove 0"})
    response = client.get(url)
    assert b"is queued" in response.content and b"Completed" in response.content


def test_temporary_register_bulk_add_from_the_page_reports_counts_and_field_errors(client, officer):
    from tests.factories import make_entry

    entry = make_entry()
    services.register_entry_remove(entry=entry, removal_reason="failure_to_renew", actor=None)
    client.force_login(officer)
    url = reverse("registration-work:renewal_window")
    bad = client.post(
        url,
        {
            "action": "temporary-add",
            "add-registration_numbers": entry.registration_number,
            "add-until": "2000-01-01",
            "add-reason": "Powers",
        },
    )
    assert "until" in bad.context["add_form"].errors
    good = client.post(
        url,
        {
            "action": "temporary-add",
            "add-registration_numbers": entry.registration_number,
            "add-until": (dt.date.today() + dt.timedelta(days=90)).isoformat(),
            "add-reason": "Powers",
        },
        follow=True,
    )
    assert b"1 added; 0 not eligible" in good.content


def test_an_applicant_applies_by_route_on_the_pages_from_draft_to_sent(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from registration.models import Application

    user, _ = applicant()
    client.force_login(user)
    response = client.post(reverse("account:apply"), {"kind": "new", "route": "eea"})
    application = Application.objects.get(registrant__user=user)
    url = reverse("account:application", args=[application.pk])
    assert response["Location"] == url
    page = client.get(url)
    assert "course" not in page.context["answers_form"].fields  # a UK question, not asked on the EEA route
    assert "english_language_evidence" in page.context["problems"]
    answers = {
        "answers-version": application.version,
        "answers-town": "York",
        "answers-qualification": "Diplom Sozialarbeit",
        "answers-awarding_institution": "Hochschule München",
        "answers-qualified_on": "2021-07-01",
        "answers-english_language_evidence": "IELTS 7",
        "answers-character_declaration": "on",
        "answers-health_declaration": "on",
        "action": "answers",
    }
    assert client.post(url, answers).status_code == 302
    stale = client.post(url, answers)  # the version sent is now stale
    assert "changed by someone else" in str(stale.context["answers_form"].errors)
    not_a_pdf = SimpleUploadedFile("degree.pdf", b"plain text")
    upload = client.post(url, {"action": "document", "document-kind": "qualification", "document-file": not_a_pdf})
    assert "file" in upload.context["document_form"].errors
    pdf_file = SimpleUploadedFile("degree.pdf", b"%PDF-1.4\n%%EOF\n")
    client.post(url, {"action": "document", "document-kind": "qualification", "document-file": pdf_file})
    declined = client.post(url, {"action": "pay", "pay-payment_token": "fail"})
    assert "payment_token" in declined.context["pay_form"].errors
    client.post(url, {"action": "pay", "pay-payment_token": "success"})
    client.post(url, {"action": "submit"})
    application.refresh_from_db()
    assert application.status == "received"


def test_an_applicant_answers_an_information_request_and_the_clock_restarts(client, officer):
    application = received()
    services.application_request_information(
        application=application, actor=officer, reason="Transcript please", version=None
    )
    client.force_login(application.registrant.user)
    url = reverse("account:application", args=[application.pk])
    assert b"Transcript please" in client.get(url).content
    application.refresh_from_db()
    client.post(url, {"action": "answer", "answer-version": application.version, "answer-reason": "Attached"})
    assert list(application.events.values_list("event", flat=True)) == ["received", "info_requested", "info_received"]


def test_a_refused_applicant_appeals_from_their_application_page(client, officer):
    application = received()
    services.application_refuse(application=application, actor=officer, reasons="Not recognised", version=None)
    client.force_login(application.registrant.user)
    url = reverse("account:application", args=[application.pk])
    response = client.post(url, {"action": "appeal", "appeal-grounds": "It is recognised"}, follow=True)
    assert b"is lodged" in response.content and application.appeals.count() == 1


def test_another_persons_application_page_is_not_found(client):
    owner, _ = applicant()
    theirs = draft(owner)
    intruder, _ = applicant()
    client.force_login(intruder)
    url = reverse("account:application", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "submit"}).status_code == 404


@pytest.mark.parametrize(
    "url_name", ["registration-work:appeals", "registration-work:misuse_of_title", "registration-work:contact"]
)
def test_more_officer_pages_refuse_registrants_and_open_for_officers(client, user_with_role, officer, url_name):
    client.force_login(user_with_role(Role.REGISTRANT))
    assert client.get(reverse(url_name)).status_code == 403
    client.force_login(officer)
    assert client.get(reverse(url_name)).status_code == 200


def test_an_officer_decides_an_appeal_from_its_page(client, officer):
    application = received()
    services.application_refuse(application=application, actor=officer, reasons="No", version=None)
    appeal = services.appeal_lodge(
        registrant=application.registrant, actor=None, grounds="Yes", application=application
    )
    client.force_login(officer)
    url = reverse("registration-work:appeal", args=[appeal.pk])
    missing = client.post(url, {"action": "decide", "decision-version": appeal.version, "decision-outcome": "upheld"})
    assert "reasons" in missing.context["decision_form"].errors
    client.post(
        url,
        {
            "action": "decide",
            "decision-version": appeal.version,
            "decision-outcome": "upheld",
            "decision-reasons": "Fair",
        },
    )
    appeal.refresh_from_db()
    assert appeal.status == "upheld"


def test_a_bad_calls_file_lists_every_problem_on_the_page_and_imports_nothing(client, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from registration.models import Call

    client.force_login(officer)
    text = b"received_at,queue_seconds,outcome\n2026-01-01T10:00:00+00:00,x,answered\n"
    response = client.post(
        reverse("registration-work:contact"),
        {"action": "import-calls", "calls-file": SimpleUploadedFile("calls.csv", text)},
    )
    assert "calls.csv:2: queue_seconds" in response.content.decode() and Call.objects.count() == 0


def test_misuse_of_title_cases_open_and_complete_from_the_page(client, officer):
    from registration.models import MisuseOfTitleCase

    client.force_login(officer)
    url = reverse("registration-work:misuse_of_title")
    client.post(url, {"action": "open", "open-subject_name": "A. Person", "open-details": "Website"})
    case = MisuseOfTitleCase.objects.get()
    client.post(url, {"action": "complete", "case": case.pk, "version": case.version, "outcome": "Letter sent"})
    case.refresh_from_db()
    assert case.status == "completed"


def test_someone_already_registered_links_their_account_with_number_and_date_of_birth(client):
    from registration.models import Registrant
    from tests.factories import make_entry

    entry = make_entry(given_name="Ruth", family_name="Ellis", date_of_birth=dt.date(1980, 5, 17))
    form = {
        "given_name": "Ruth",
        "family_name": "Ellis",
        "email": "ruth@example.org",
        "password": "a-Good-password-1",
        "registration_number": entry.registration_number.lower(),
        "date_of_birth": "1980-05-18",
    }
    wrong = client.post(reverse("account:sign_up"), form)
    assert "registration_number" in wrong.context["form"].errors
    form["date_of_birth"] = "1980-05-17"
    assert client.post(reverse("account:sign_up"), form).status_code == 302
    assert Registrant.objects.get(pk=entry.registrant_id).user.email == "ruth@example.org"
    assert b"Ruth" in client.get(reverse("account:home")).content
    client.logout()
    form["email"] = "someone.else@example.org"
    again = client.post(reverse("account:sign_up"), form)  # the entry has an account now
    assert "registration_number" in again.context["form"].errors


def test_a_removed_registrant_appeals_against_the_removal_in_time(client):
    user, registrant = applicant()
    entry = services.register_entry_create(registrant=registrant, route="uk", town="Leeds", actor=None)
    client.force_login(user)
    assert client.get(reverse("account:appeal_removal")).status_code == 404  # not removed
    services.register_entry_remove(entry=entry, removal_reason="failure_to_renew", actor=None)
    response = client.post(reverse("account:appeal_removal"), {"grounds": "I renewed by post"}, follow=True)
    assert b"is lodged" in response.content and registrant.appeals.count() == 1


@pytest.mark.parametrize("case_id", ["not-a-number", "", "-1", "99999999999999999999", "1.5"])
def test_a_misuse_of_title_action_naming_no_real_case_is_refused_without_a_500(client, officer, case_id):
    # Found by probing the page's forms: a case id that is not a number raised ValueError in the lookup (500).
    from registration.models import MisuseOfTitleCase

    case = services.misuse_of_title_open(subject_name="A. Person", details="Website", actor=officer)
    client.force_login(officer)
    url = reverse("registration-work:misuse_of_title")
    response = client.post(url, {"action": "start-work", "case": case_id, "version": case.version})
    assert response.status_code in (302, 404)
    assert MisuseOfTitleCase.objects.get().status == "opened"


@pytest.mark.parametrize("enquiry_id", ["not-a-number", "", "1.5"])
def test_answering_an_email_naming_no_real_enquiry_is_refused_without_a_500(client, officer, enquiry_id):
    from django.utils import timezone

    enquiry = services.email_enquiry_receive(received_at=timezone.now(), actor=officer)
    client.force_login(officer)
    url = reverse("registration-work:contact")
    response = client.post(url, {"action": "answer-email", "enquiry": enquiry_id, "version": enquiry.version})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.responded_at is None
