"""In a real browser: a hearing from listing to outcome with every refusal on the way; the end of the
renewal window previewed and confirmed; a queue usable on a 375 px screen."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fitness_to_practise.models import FitnessToPractiseCase, Hearing, Order, State
from fitness_to_practise.tests.factories import case_in_state
from registration import services as registration
from registration.models import EntryStatus
from registration.tests.helpers import applicant
from regulator.roles import Role
from tests.browser.forms import fill_date
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-Good-password-1"  # the factories' test password


def _sign_in(page, username):
    page.goto("/sign-in/")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _error(page) -> str:
    return page.locator(".govuk-error-summary").inner_text()


def test_a_hearing_from_listing_to_outcome_with_every_refusal_on_the_way(page, screenshot):
    UserFactory(username="ada", roles=[Role.ADJUDICATIONS_OFFICER])
    case = case_in_state(State.HEARING)
    case.hearings.all().delete()
    referred = timezone.now() - dt.timedelta(days=40)
    FitnessToPractiseCase.objects.filter(pk=case.pk).update(stage_started_at=referred)
    _sign_in(page, "ada")
    page.goto(f"/ftp/cases/{case.pk}/")
    actions = page.locator("#case-actions").inner_text()
    # Nothing is listed yet: only listing is offered.
    assert "List a hearing" in actions
    assert "Record an adjournment" not in actions and "outcome" not in actions

    page.get_by_role("link", name="List a hearing").click()
    fill_date(page, "First day", dt.date.fromisoformat("1990-03-01"))
    fill_date(page, "Last day", dt.date.fromisoformat("1990-03-02"))
    page.get_by_role("button", name="List a hearing").click()
    assert "The hearing's first day must be between the day the case was referred to a hearing" in _error(page)

    # Listed for a date still to come: it can be adjourned, but nothing can be decided yet.
    start = timezone.localdate() + dt.timedelta(days=14)
    fill_date(page, "First day", start)
    fill_date(page, "Last day", (start + dt.timedelta(days=1)))
    page.get_by_role("button", name="List a hearing").click()
    assert "The hearing is listed" in page.content()
    actions = page.locator("#case-actions").inner_text()
    assert "Record an adjournment" in actions and "Record the hearing's outcome" not in actions
    assert "List a hearing" not in actions

    # Adjourned: the hearing takes nothing more, and is listed again.
    page.get_by_role("link", name="Record an adjournment").click()
    page.get_by_label(f"Substantive hearing, {start.day} {start:%B %Y}", exact=False).check()
    page.get_by_label("Reason for the decision").fill("The panel chair is unwell.")
    page.get_by_role("button", name="Record an adjournment").click()
    actions = page.locator("#case-actions").inner_text()
    assert "List a hearing" in actions and "Record an adjournment" not in actions

    # Relisted, and (set-up) it has begun: the outcome is offered; its date is checked.
    page.get_by_role("link", name="List a hearing").click()
    fill_date(page, "First day", start)
    fill_date(page, "Last day", (start + dt.timedelta(days=2)))
    page.get_by_role("button", name="List a hearing").click()
    begun = timezone.localdate() - dt.timedelta(days=3)
    Hearing.objects.filter(case=case, outcome="").update(starts_on=begun, ends_on=begun + dt.timedelta(days=2))
    page.goto(f"/ftp/cases/{case.pk}/")
    page.get_by_role("link", name="Record the hearing's outcome").click()
    radios = page.get_by_role("radio")  # the hearing, then the sanctions
    assert "(adjourned)" not in page.locator("main").inner_text()  # the adjourned hearing is not offered
    page.get_by_label(f"Substantive hearing, {begun.day} {begun:%B %Y}", exact=False).check()
    assert radios.count() > 1
    fill_date(page, "Date of the panel's decision", (begun - dt.timedelta(days=1)))
    page.get_by_label("Fitness to practise is impaired").check()
    page.get_by_label("Suspension", exact=True).check()
    page.get_by_label("Length of the order in months").fill("6")
    page.get_by_label("Reason for the decision").fill("Misconduct found; impaired.")
    page.get_by_role("button", name="Record the hearing's outcome").click()
    assert "must be between the hearing's first day" in _error(page)
    fill_date(page, "Date of the panel's decision", (timezone.localdate() + dt.timedelta(days=1)))
    page.get_by_role("button", name="Record the hearing's outcome").click()
    assert "The date of the decision must be between" in _error(page)
    fill_date(page, "Date of the panel's decision", begun)
    page.get_by_role("button", name="Record the hearing's outcome").click()
    assert page.locator("#case-state").inner_text() == "Order in force"
    assert Order.objects.get(case=case).starts_on == begun
    assert "Suspension for 6 months" in page.locator("#case-timeline").inner_text()
    screenshot(page, "hearing-outcome")


def test_the_end_of_the_window_is_previewed_and_confirmed_by_typing_the_number(page, screenshot):
    UserFactory(username="reg", roles=[Role.REGISTRATION_OFFICER])
    window = registration.renewal_window_to_close()
    lapsed = []
    for n in range(2):
        _, registrant = applicant(given_name=f"Lapsed{n}", family_name="Person")
        lapsed.append(
            registration.register_entry_create(
                registrant=registrant,
                route="uk",
                town="Leeds",
                actor=None,
                registered_on=window.opens - dt.timedelta(days=400),
                registered_until=window.year_ends,
            )
        )
    _, late = applicant(given_name="Joined", family_name="Late")
    joined = registration.register_entry_create(
        registrant=late,
        route="uk",
        town="Leeds",
        actor=None,
        registered_on=window.closes - dt.timedelta(days=3),
        registered_until=window.year_ends,
    )
    _sign_in(page, "reg")
    page.goto("/registration/renewal-window/")
    assert (
        f"{window.opens.day} {window.opens:%B %Y} to {window.closes.day} {window.closes:%B %Y}"
        in page.locator("#window-to-close").inner_text()
    )
    assert page.locator("#preview-count").inner_text() == "2 people will be removed for failure to renew"
    table = page.locator("#preview-table").inner_text()
    assert all(e.registration_number in table for e in lapsed) and joined.registration_number not in table
    page.get_by_label("To confirm, type").fill("yes")
    page.get_by_role("button", name="Remove 2 people who did not renew").click()
    assert 'To confirm, type "remove 2"' in page.locator("#confirmation-error").inner_text()
    page.get_by_label("To confirm, type").fill("remove 2")
    page.get_by_role("button", name="Remove 2 people who did not renew").click()
    assert "is queued" in page.content()
    screenshot(page, "renewal-window-confirmed")
    joined.refresh_from_db()
    assert joined.status == EntryStatus.REGISTERED


def test_a_queue_on_a_375_pixel_screen_hides_the_filter_behind_its_toggle(browser, live_server, screenshot):
    UserFactory(username="hana", roles=[Role.FTP_CASE_HANDLER])
    for _ in range(3):
        case_in_state(State.INVESTIGATION)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        _sign_in(page, "hana")
        page.goto("/ftp/")
        table = page.locator("#case-queue")
        # The panel does not cover the queue: it starts hidden, the MOJ toggle shows it.
        assert page.locator(".moj-filter-layout__filter").is_hidden()
        expect(table).to_be_visible()
        assert "3 cases" in table.inner_text()
        box = table.bounding_box()
        assert box is not None and box["x"] >= 0
        toggle = page.get_by_role("button", name="Show filter")
        toggle.click()
        expect(page.locator(".moj-filter-layout__filter")).to_be_visible()
        page.locator(".moj-filter-layout__filter").get_by_role("button", name="Close").click()
        assert page.locator(".moj-filter-layout__filter").is_hidden()
        screenshot(page, "queue-375")
    finally:
        context.close()
