"""In a real browser: a registrant renews with their CPD; an officer approves from the queue."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from registration import services
from registration.models import Application, RegisterEntry
from registration.tests.helpers import applicant, received
from tests.browser.forms import fill_date
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-Good-password-1"


@pytest.fixture
def window_open_today(settings):
    """The renewal window is a setting: open it around today, so the test does not depend on the date."""
    today = dt.date.today()
    tomorrow = today + dt.timedelta(days=1)
    closes = tomorrow if tomorrow.month == today.month else today
    settings.REGISTRATION_RENEWAL_WINDOW_OPENS = (today.month, 1)
    settings.REGISTRATION_RENEWAL_WINDOW_CLOSES = (closes.month, closes.day)
    return closes


def sign_in(page, username):
    page.goto("/sign-in/")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def record_cpd(page, description, *, peer):
    page.get_by_role("link", name="Record CPD").click()
    page.get_by_label("Type").select_option("course")
    fill_date(page, "Date", dt.date.today())
    page.get_by_label("Description").fill(description)
    page.get_by_label("What you learnt").fill("How to use the new assessment framework")
    page.get_by_label("Impact on your practice").fill("My assessments are shorter and clearer")
    if peer:
        page.get_by_label("I reflected on this with a peer").check()
        page.get_by_label("Who you reflected with").fill("My practice supervisor")
        fill_date(page, "When you reflected", dt.date.today())
    page.get_by_role("button", name="Save CPD record").click()
    expect(page.get_by_text("Your CPD record is saved.")).to_be_visible()


def test_a_registrant_records_two_cpd_items_renews_and_sees_the_confirmation(page, screenshot, window_open_today):
    user, registrant = applicant(given_name="Grace", family_name="Adeyemi")
    entry = services.register_entry_create(
        registrant=registrant, route="uk", town="Leeds", actor=None, registered_until=window_open_today
    )
    sign_in(page, user.email)
    page.goto("/account/")
    record_cpd(page, "Assessment framework training", peer=False)
    record_cpd(page, "Peer case review", peer=True)
    assert "you have recorded 2 pieces of CPD" in page.locator("#cpd-position").inner_text()
    page.get_by_role("link", name="Renew your registration").click()
    page.get_by_label("I declare").check()
    page.get_by_role("button", name="Renew and pay").click()
    expect(page.get_by_role("heading", name="Registration renewed")).to_be_visible()
    entry.refresh_from_db()
    assert entry.registered_until.year == window_open_today.year + 1
    assert screenshot(page, "registrant-renewal-confirmation").exists()


def test_an_officer_approves_a_uk_application_from_the_queue(page, screenshot):
    officer = UserFactory(first_name="Rita", last_name="Officer", roles=["registration_officer"])
    application = received()
    sign_in(page, officer.username)
    page.goto("/registration/applications/")
    page.get_by_label("Route").select_option("uk")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name=application.reference).click()
    page.get_by_role("button", name="Approve").click()
    assert page.locator("#application-status").inner_text() == "Approved"
    number = page.locator("#registration-number").inner_text()
    assert RegisterEntry.objects.get(registration_number=number).registrant_id == application.registrant_id
    assert Application.objects.get(pk=application.pk).status == "approved"
    assert screenshot(page, "officer-approved-application").exists()
