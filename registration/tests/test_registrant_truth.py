"""The registrant's side says one true thing: what they can do about renewal today, their CPD per
registration year, everything sent to them, their appeals; the application is a task list with
"Check your answers" before sending; sign-in lands on the account."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from fitness_to_practise.models import Letter as FTPLetter
from fitness_to_practise.tests.factories import open_case
from registration import services
from registration.models import RegisterEvent
from registration.tests.helpers import PDF, applicant, at, cpd, draft
from regulator.working_days import LONDON

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def moment(day: str):
    return time_machine.travel(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), tzinfo=LONDON), tick=False)


def registered(until=dt.date(2026, 11, 30)):
    user, registrant = applicant()
    entry = services.register_entry_create(
        registrant=registrant, route="uk", town="Leeds", actor=None, registered_until=until
    )
    return user, registrant, entry


def test_inside_the_window_with_the_cpd_done_the_renewal_page_offers_the_form(client):
    user, registrant, _ = registered()
    with moment("2026-10-01"):
        cpd(registrant, on=dt.date(2026, 3, 1))
        cpd(registrant, on=dt.date(2026, 4, 1), peer=True)
        client.force_login(user)
        page = client.get(reverse("account:renew")).content.decode()
        assert "You can renew today. Renewal closes on 30 November 2026." in page
        assert "Renew and pay" in page
        home = client.get(reverse("account:home")).content.decode()
        assert "Renew your registration" in home


def test_outside_the_window_the_page_says_when_it_opens_and_shows_no_form(client):
    user, _registrant, _ = registered()
    with moment("2026-06-15"):
        client.force_login(user)
        page = client.get(reverse("account:renew")).content.decode()
        assert "You cannot renew yet. Renewal opens on 1 September 2026 and closes on 30 November 2026." in page
        assert "Renew and pay" not in page and "open until" not in page
        home = client.get(reverse("account:home")).content.decode()
        assert "Renew your registration" not in home


def test_the_day_after_the_window_closes_nobody_is_told_it_is_open(client):
    user, _registrant, _ = registered(until=dt.date(2026, 11, 30))
    with moment("2026-12-01"):
        client.force_login(user)
        page = client.get(reverse("account:renew")).content.decode()
        assert "Renewal opens on 1 September 2027" in page and "Renew and pay" not in page


def test_in_the_window_without_enough_cpd_the_page_says_what_is_missing_instead_of_a_form_that_refuses(client):
    user, registrant, _ = registered()
    with moment("2026-10-01"):
        cpd(registrant, on=dt.date(2026, 3, 1))
        client.force_login(user)
        page = client.get(reverse("account:renew")).content.decode()
        assert "you need to record more CPD first" in page and "(you have 1, 0 with peer reflection)" in page
        assert "Renew and pay" not in page


def test_a_removed_registrant_is_not_told_registered_until_and_is_offered_restoration(client):
    user, _, entry = registered()
    services.register_entry_remove(entry=entry, removal_reason="failure_to_renew", actor=None, on=dt.date(2026, 12, 1))
    with moment("2026-12-05"):
        client.force_login(user)
        page = client.get(reverse("account:home")).content.decode()
        assert "Registered until" not in page and 'id="registered-until"' not in page
        assert "Removed: failure to renew" in page
        assert "You were removed from the register, so you cannot renew" in page
        assert "Apply for restoration" in page


def test_cpd_is_counted_per_registration_year_beside_its_records(client):
    user, registrant, _ = registered()
    with moment("2026-02-01"):
        cpd(registrant, on=dt.date(2025, 10, 1), peer=True)  # last registration year (to 30 November 2025)
        cpd(registrant, on=dt.date(2026, 1, 20))
        client.force_login(user)
        page = client.get(reverse("account:home")).content.decode()
    assert "This registration year (1 December 2025 to 30 November 2026) you have recorded 1 piece of CPD" in page
    assert "Registration year 1 December 2025 to 30 November 2026 (this year): 1 record, 0 with peer reflection" in page
    assert "Registration year 1 December 2024 to 30 November 2025: 1 record, 1 with peer reflection" in page


def test_the_account_lists_everything_sent_including_fitness_to_practise_letters_and_the_appeals(client):
    user, registrant, entry = registered()
    case = open_case(entry=entry)
    FTPLetter.objects.create(
        case=case, registrant=registrant, sent_at=at("2026-05-02"), subject="Your case", body="We have a concern."
    )
    services.register_entry_remove(entry=entry, removal_reason="failure_to_renew", actor=None, on=dt.date(2026, 12, 1))
    removal = RegisterEvent.objects.get(entry=entry, kind="removed")
    appeal = services.appeal_lodge(
        registrant=registrant, actor=user, grounds="I renewed by post", removal_event=removal, now=at("2026-12-03")
    )
    client.force_login(user)
    page = client.get(reverse("account:home")).content.decode()
    assert "Your case" in page and f"Fitness to practise case {case.reference}" in page
    assert "No letters yet" not in page
    assert appeal.reference in page and "Your removal from the register" in page and ">Lodged<" in page
    assert client.get("/ftp/letters/")["Location"].endswith("/account/#letters")


def test_the_application_is_a_task_list_with_check_your_answers_before_sending(client):
    user, _ = applicant()
    application = draft(user, pay=False)
    client.force_login(user)
    url = reverse("account:application", args=[application.pk])
    tasks = client.get(url).content.decode()
    assert 'class="govuk-task-list"' in tasks
    assert "Your details and declarations" in tasks and "Pay the application fee" in tasks
    assert "Cannot start yet" in tasks  # not paid yet
    assert "Accept and send" not in tasks
    pay = client.get(url, {"step": "pay"}).content.decode()
    assert "Simulate a declined payment" not in pay  # the development provider's controls: development only
    client.post(url, {"action": "pay", "pay-payment_token": "success"})
    check = client.get(url, {"step": "check"}).content.decode()
    assert "Check your answers before sending your application" in check
    assert "Leeds" in check and "30 June 2026" in check and "Paid" in check
    assert "Accept and send" in check
    response = client.post(url, {"action": "submit"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "received"


def test_the_development_payment_choice_is_shown_in_development_settings(client, settings):
    settings.REGISTRATION_PAYMENT_SIMULATION = True
    user, _ = applicant()
    application = draft(user, pay=False)
    client.force_login(user)
    page = client.get(reverse("account:application", args=[application.pk]), {"step": "pay"}).content.decode()
    assert "Simulate a declined payment" in page


def test_a_document_upload_error_stays_on_its_step(client):
    user, _ = applicant()
    application = draft(user, pay=False, route="overseas")
    client.force_login(user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    url = reverse("account:application", args=[application.pk])
    page = client.post(url, {"action": "document", "document-kind": "qualification", "document-file": bad})
    assert "Upload documents" in page.content.decode() and 'class="govuk-task-list"' not in page.content.decode()
    good = SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")
    assert (
        client.post(url, {"action": "document", "document-kind": "qualification", "document-file": good}).status_code
        == 302
    )


def test_a_registrant_signing_in_lands_on_their_account(client):
    user, _ = applicant()
    response = client.post("/sign-in/", {"username": user.email, "password": "a-Good-password-1"})
    assert response.status_code == 302 and response["Location"] == reverse("account:home")


def test_every_page_footer_links_the_accessibility_statement_privacy_notice_and_cookies(client):
    page = client.get("/register/").content.decode()
    for url in ("/accessibility/", "/privacy/", "/cookies/", "/contact/"):
        assert f'href="{url}"' in page
        assert client.get(url).status_code == 200
    assert 'href="/contact/#feedback">give your feedback</a>' in page


def test_the_api_documentation_loads_swagger_ui_from_our_own_static_files(client):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page and "cdn.jsdelivr.net" not in page and "unpkg.com" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
