"""In a real browser with JavaScript switched off: a UK graduate saves the date they qualified, then
chooses their course from the providers' approved courses of that date, and sends the application."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from education_qa.tests.factories import make_course, make_provider
from registration import services
from registration.models import Application
from registration.tests.helpers import applicant
from registration.tests.test_browser_registration import sign_in
from tests.browser.forms import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_without_js(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    yield new_page
    context.close()


def test_a_uk_graduate_chooses_an_approved_course_without_javascript(page_without_js, screenshot):
    page = page_without_js
    leeds = make_provider("University of Leeds")
    course = make_course(leeds, name="BA (Hons) Social Work", approved_on=dt.date(2019, 9, 1))
    make_course(make_provider("Aston University"), name="MA Social Work", approved_on=dt.date(2019, 9, 1))
    user, registrant = applicant(given_name="Tariq", family_name="Hussain")
    application = services.application_start(registrant=registrant, kind="new", route="uk", actor=user)
    sign_in(page, user.email)
    answers = f"/account/applications/{application.pk}/?step=answers"
    page.goto(answers)
    course_select = page.get_by_label("Approved course you completed")
    assert course_select.locator("option").all_inner_texts() == [
        "Enter the date you qualified and save your answers first"
    ]
    page.get_by_label("Town where you work or will work").fill("Leeds")
    page.get_by_label("Qualification", exact=True).fill("BA (Hons) Social Work")
    page.get_by_label("Awarding institution").fill("University of Leeds")
    fill_date(page, "Qualified on", dt.date(2026, 6, 30))
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    page.goto(answers)
    assert page.locator("optgroup[label='University of Leeds'] option").all_inner_texts() == [
        "BA (Hons) Social Work (Full time)"
    ]
    course_select.select_option(label="BA (Hons) Social Work (Full time)")
    page.get_by_label("I declare I have no conviction").check()
    page.get_by_label("I declare my health").check()
    page.get_by_role("button", name="Save and come back later").click()
    assert Application.objects.get(pk=application.pk).approved_course == course  # the date survived the second save
    # Moving the date to before the course was approved is refused on the course field.
    page.goto(answers)
    fill_date(page, "Qualified on", dt.date(2019, 6, 30))
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert "was not approved on 30 June 2019" in page.locator("#div_id_answers-approved_course").inner_text()
    page.goto(f"/account/applications/{application.pk}/?step=pay")
    page.get_by_role("button", name="Pay the fee").click()
    page.get_by_role("link", name="Check your answers and send").click()
    page.get_by_role("button", name="Accept and send").click()
    assert page.locator("#application-status").inner_text() == "Received"
    screenshot(page, "uk-graduate-sent-with-approved-course")
    application = Application.objects.get(pk=application.pk)
    assert application.approved_course == course and application.qualified_on == dt.date(2026, 6, 30)
