"""In a real browser: a concern raised on the public form becomes a case, is triaged and referred to
investigation, and the case's timeline shows every step."""

import re

import pytest

from fitness_to_practise.models import FitnessToPractiseCase
from regulator.roles import Role
from tests.factories import UserFactory, make_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_public_concern_becomes_a_case_is_triaged_and_referred_with_every_step_on_the_timeline(page, screenshot):
    entry = make_entry(given_name="Jane", family_name="Doe", town="Leeds")
    UserFactory(username="hana", roles=[Role.FTP_CASE_HANDLER])

    # A member of the public raises the concern, no account.
    page.goto("/raise-a-concern/")
    page.get_by_label("Member of the public").check()
    page.get_by_label("Your name").fill("Pat Public")
    page.get_by_label("The social worker's name").fill("Jane Doe")
    page.get_by_label("The town where they work").fill("Leeds")
    page.get_by_label("What happened?").fill("The planned visits to my mother did not take place.")
    page.get_by_role("button", name="Send the concern").click()
    reference = page.locator("#concern-reference").inner_text()
    assert re.fullmatch(r"CON-\d{7}", reference)

    # A case handler signs in, matches it to the register at pre-triage: the case opens.
    page.goto("/sign-in/")
    page.get_by_label("Username or email address").fill("hana")
    page.get_by_label("Password").fill("a-Good-password-1")
    page.get_by_role("button", name="Sign in").click()
    page.goto("/ftp/concerns/")
    page.get_by_role("link", name=reference).click()
    assert entry.registration_number in page.locator("#register-matches").inner_text()
    page.get_by_role("button", name="This is the social worker").click()
    assert page.locator("#case-state").inner_text() == "Triage: awaiting initial review"

    # Triage: the initial review, then the referral to investigation.
    page.get_by_role("link", name="Complete the initial review").click()
    page.get_by_label("Medium").check()
    page.get_by_label("Reason for the decision").fill("Repeated missed visits: medium risk.")
    page.get_by_role("button", name="Complete the initial review").click()
    assert page.locator("#case-state").inner_text() == "Triage: awaiting decision"
    page.get_by_role("link", name="Refer to investigation").click()
    page.get_by_label("Reason for the decision").fill("Needs the employer's records.")
    page.get_by_role("button", name="Refer to investigation").click()
    assert page.locator("#case-state").inner_text() == "Investigation"

    timeline = page.locator("#case-timeline").inner_text()
    for step in (
        "Concern received",
        "Social worker identified",
        "Initial review completed",
        "Referred to investigation",
        "Repeated missed visits",
        "Needs the employer's records.",
    ):
        assert step in timeline, step
    case = FitnessToPractiseCase.objects.get()
    assert list(case.events.values_list("kind", flat=True)) == [
        "concern_received", "social_worker_identified", "letter_sent", "initial_review_completed",
        "referred_to_investigation",
    ]  # fmt: skip
    assert screenshot(page, "ftp-case-timeline").exists()
    page.get_by_role("link", name="FTP cases").first.click()
    assert case.reference in page.locator("#case-queue").inner_text()
    assert screenshot(page, "ftp-case-queue").exists()
