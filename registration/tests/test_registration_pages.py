"""Registration pages: who may open them, the account journey, the queue's queries, the application page."""

import datetime as dt

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
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


def link_in(message, part: str) -> str:
    """The path of the link in an email (links are built on settings.SITE_URL)."""
    from django.conf import settings

    line = next(line for line in message.body.splitlines() if part in line)
    assert line.startswith(settings.SITE_URL.rstrip("/"))
    return line[len(settings.SITE_URL.rstrip("/")) :]


def test_signing_up_confirms_the_address_by_email_then_signs_in(client, django_capture_on_commit_callbacks):
    form = {"given_name": "Kofi", "family_name": "Mensah", "email": "Kofi@Example.org", "password": "a-Good-password-1"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account:sign_up"), form)
    assert response.status_code == 302 and response["Location"] == reverse("account:sign_up_sent")
    assert b"kofi@example.org" in client.get(response["Location"]).content
    # Not usable until the address is confirmed.
    assert (
        client.post(reverse("login"), {"username": "kofi@example.org", "password": "a-Good-password-1"}).status_code
        == 200
    )
    [message] = mail.outbox
    assert message.to == ["kofi@example.org"] and "Confirm your email address" in message.subject
    path = link_in(message, "/sign-up/confirm/")
    assert b"Continue" in client.get(path).content  # opening the link (a mail scanner may) confirms nothing
    assert (
        client.post(reverse("login"), {"username": "kofi@example.org", "password": "a-Good-password-1"}).status_code
        == 200
    )
    confirmed = client.post(path)
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("account:home")
    assert client.get(reverse("account:home")).status_code == 200
    client.logout()
    assert client.post(path).status_code == 400  # the link is used up
    signed_in = client.post(reverse("login"), {"username": "kofi@example.org", "password": "a-Good-password-1"})
    assert signed_in.status_code == 302


def test_sign_up_with_an_address_that_has_an_account_answers_the_same_and_tells_the_owner_by_email(
    client, django_capture_on_commit_callbacks
):
    user, _ = applicant()
    new = {"given_name": "A", "family_name": "B", "email": "somebody.new@example.org", "password": "a-Good-password-1"}
    taken = new | {"email": user.email.upper(), "password": "An-attackers-password-9"}
    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.post(reverse("account:sign_up"), new)
        again = client.post(reverse("account:sign_up"), taken)
    assert (fresh.status_code, fresh["Location"]) == (again.status_code, again["Location"])
    assert fresh.content == again.content
    to_owner = next(m for m in mail.outbox if m.to == [user.email])
    assert "already have" in to_owner.subject and "/sign-in/" in to_owner.body and "/password-reset/" in to_owner.body
    user.refresh_from_db()
    assert user.check_password("a-Good-password-1") and user.is_active  # nothing about the account changed


def test_signing_up_again_before_confirming_replaces_the_password_and_the_old_link_stops_working(
    client, django_capture_on_commit_callbacks
):
    """Nobody can hold an address by signing it up first: its owner signs up again and gets a new link."""
    from regulator.models import User

    form = {"given_name": "Kofi", "family_name": "Mensah", "email": "kofi@example.org", "password": "Squatters-pass-1"}
    with django_capture_on_commit_callbacks(execute=True):  # each email goes when its sign-up commits
        client.post(reverse("account:sign_up"), form)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account:sign_up"), form | {"password": "Owners-own-pass-2"})
    first, second = (link_in(m, "/sign-up/confirm/") for m in mail.outbox)
    assert client.post(first).status_code == 400
    assert client.post(second).status_code == 302
    user = User.objects.get(email="kofi@example.org")
    assert user.check_password("Owners-own-pass-2") and User.objects.filter(email="kofi@example.org").count() == 1


class Counting(MD5PasswordHasher):
    """A password hasher that counts its work (a test's measure of what a request does)."""

    calls = 0

    def encode(self, password, salt):
        Counting.calls += 1
        return super().encode(password, salt)


def test_sign_up_does_the_same_password_work_for_a_known_and_an_unknown_address(client, settings):
    """The answer's timing must not say whether an address has an account: both paths hash the
    password once (the cost of the request) and queue one email."""
    from regulator.models import OutboxMessage

    user, _ = applicant()
    settings.PASSWORD_HASHERS = [f"{__name__}.Counting"]
    work = []
    for email in (user.email, "nobody.yet@example.org"):
        Counting.calls, queued = 0, OutboxMessage.objects.count()
        client.post(
            reverse("account:sign_up"),
            {"given_name": "A", "family_name": "B", "email": email, "password": "a-Good-password-1"},
        )
        work.append((Counting.calls, OutboxMessage.objects.count() - queued))
    assert work == [(1, 1), (1, 1)]


def test_sign_up_reports_a_weak_password_on_its_field(client):
    response = client.post(
        reverse("account:sign_up"), {"given_name": "A", "family_name": "B", "email": "x@example.org", "password": "123"}
    )
    assert "password" in response.context["form"].errors


def test_password_reset_emails_a_link_that_sets_a_new_password(client, django_capture_on_commit_callbacks):
    user, _ = applicant()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account:password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    path = link_in(mail.outbox[0], "/password-reset/")
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


def test_someone_already_registered_links_their_account_with_number_and_date_of_birth(
    client, django_capture_on_commit_callbacks
):
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
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("account:sign_up"), form).status_code == 302
    assert Registrant.objects.get(pk=entry.registrant_id).user.email == "ruth@example.org"
    assert client.post(link_in(mail.outbox[0], "/sign-up/confirm/")).status_code == 302
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
