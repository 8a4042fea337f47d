"""In a real browser: what the public, employers and registrants read is true. The clock is frozen
for the live server too (it runs in this process, so time_machine moves its clock as well)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from fitness_to_practise.models import Order
from fitness_to_practise.tests.factories import open_case
from registration import services
from registration.tests.helpers import applicant, cpd, draft
from regulator.working_days import LONDON
from tests.factories import make_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]  # frozen days of its own
PASSWORD = "a-Good-password-1"


def frozen(day: str):
    return time_machine.travel(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), tzinfo=LONDON), tick=True)


def suspend(entry, *, starts_on, ends_on):
    return Order.objects.create(
        case=open_case(entry=entry),
        entry=entry,
        kind=Order.Kind.SUSPENSION,
        made_by=Order.MadeBy.HEARING,
        made_at=timezone.now(),
        starts_on=starts_on,
        ends_on=ends_on,
    )


def sign_in(page, username):
    page.goto("/sign-in/")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_public_reads_a_suspended_social_worker_as_suspended_with_the_orders_dates(page, axe, screenshot):
    with frozen("2026-06-15"):
        entry = make_entry(given_name="Sally", family_name="Sutton", town="Leeds")
        suspend(entry, starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 11, 1))
        page.goto("/register/?q=Sally+Sutton")
        result = page.locator(".govuk-tag", has_text="Registered: suspended").first
        expect(result).to_be_visible()
        assert "govuk-tag--red" in (result.get_attribute("class") or "")
        expect(page.get_by_text("Suspension order from 1 May 2026 to 31 October 2026")).to_be_visible()
        axe(page, "register search results")
        page.get_by_role("link", name="Sally Sutton").click()
        expect(page.locator(".govuk-tag", has_text="Registered: suspended")).to_be_visible()
        expect(page.get_by_text("from 1 May 2026 to 31 October 2026").first).to_be_visible()
        axe(page, "register entry with an order")
        assert screenshot(page, "register-entry-suspended").exists()


def test_an_employer_checking_numbers_sees_the_order_in_force_on_screen(page, axe):
    with frozen("2026-06-15"):
        suspended = make_entry(given_name="Sally", family_name="Sutton")
        clear = make_entry(given_name="Clara", family_name="Clear")
        suspend(suspended, starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 11, 1))
        page.goto("/register/check/")
        page.get_by_label("Registration numbers").fill(f"{suspended.registration_number}\n{clear.registration_number}")
        page.get_by_role("button", name="Check numbers").click()
        row = page.get_by_role("row", name=suspended.registration_number)
        assert "Registered: suspended" in row.inner_text()
        assert "Suspension order from 1 May 2026 to 31 October 2026" in row.inner_text()
        assert "Registered" in page.get_by_role("row", name=clear.registration_number).inner_text()
        axe(page, "employer check results")


@pytest.mark.parametrize(
    ("today", "can_renew"),
    [("2026-10-01", True), ("2026-06-15", False)],
    ids=["inside-the-window", "outside-the-window"],
)
def test_renewal_inside_and_outside_the_window_says_what_the_person_can_do_today(page, axe, today, can_renew):
    with frozen(today):
        user, registrant = applicant(given_name="Grace", family_name="Adeyemi")
        services.register_entry_create(
            registrant=registrant, route="uk", town="Leeds", actor=None, registered_until=dt.date(2026, 11, 30)
        )
        cpd(registrant, on=dt.date(2026, 3, 1))
        cpd(registrant, on=dt.date(2026, 4, 1), peer=True)
        sign_in(page, user.email)
        expect(page.get_by_role("heading", name="Your account")).to_be_visible()  # sign-in lands on the account
        says = page.locator("#renewal-today").inner_text()
        axe(page, "registrant account")
        if not can_renew:
            assert says == "You cannot renew yet. Renewal opens on 1 September 2026 and closes on 30 November 2026."
            assert page.get_by_role("link", name="Renew your registration").count() == 0
            page.goto("/account/renew/")
            assert page.get_by_role("button", name="Renew and pay").count() == 0
            return
        assert says == "You can renew today. Renewal closes on 30 November 2026."
        page.get_by_role("link", name="Renew your registration").click()
        axe(page, "renewal form")
        page.get_by_label("I declare").check()
        page.get_by_role("button", name="Renew and pay").click()
        expect(page.get_by_role("heading", name="Registration renewed")).to_be_visible()
        registrant.register_entry.refresh_from_db()
        assert registrant.register_entry.registered_until == dt.date(2027, 11, 30)


def test_an_applicant_works_through_the_task_list_to_check_your_answers_and_sends(page, axe, screenshot):
    with frozen("2026-07-06"):
        user, _ = applicant(given_name="Amara", family_name="Okafor")
        application = draft(user, pay=False)
        sign_in(page, user.email)
        page.goto(f"/account/applications/{application.pk}/")
        expect(page.locator("#task-list")).to_be_visible()
        axe(page, "application task list")
        page.get_by_role("link", name="Pay the application fee").click()
        assert page.get_by_text("Simulate a declined payment").count() == 0
        page.get_by_role("button", name="Pay the fee").click()
        page.get_by_role("link", name="Check your answers and send").click()
        expect(page.get_by_role("heading", name="Check your answers before sending your application")).to_be_visible()
        axe(page, "check your answers")
        assert "Leeds" in page.locator("#check-your-answers").inner_text()
        page.get_by_role("button", name="Accept and send").click()
        assert page.locator("#application-status").inner_text() == "Received"
        assert screenshot(page, "application-sent").exists()


def test_a_misspelt_name_is_found_on_the_default_run_sqlite_path(page, settings, axe):
    settings.REGISTER_NAME_VOCABULARY_IN_MEMORY = True  # the embedded SQLite default's search path
    entry = make_entry(given_name="Jennifer", family_name="Kerr", town="York")
    make_entry(given_name="Priya", family_name="Patel", town="Leicester")
    page.goto("/register/")
    page.get_by_label("Name or registration number").fill("Jenifer Ker")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    assert entry.registration_number in page.content()
    axe(page, "register search")
