"""In a real browser: an education QA officer records an approval with a condition, and a provider
submits its own annual monitoring return."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from education_qa import services
from education_qa.models import ApprovalRequest, MonitoringReturn
from tests.browser.forms import fill_date

from .factories import make_course, make_provider, provider_user, request_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.goto("/sign-in/")
    page.get_by_label("Username or email address").fill(user.username)
    page.get_by_label("Password").fill("a-Good-password-1")
    page.get_by_role("button", name="Sign in").click()


def test_an_officer_approves_a_course_with_a_condition_and_sees_it_on_the_timeline(page, user_with_role, screenshot):
    req = request_at(ApprovalRequest.Status.INSPECTED)
    sign_in(page, user_with_role("education_qa_officer"))
    page.goto("/education/approval-requests/")
    page.get_by_role("link", name=req.course.name).click()
    page.locator("#action-decide summary").click()
    page.get_by_label("Approved with conditions").check()
    page.get_by_label("Condition 1 (with conditions only)").fill("Confirm placement capacity")
    fill_date(page.locator("#action-decide"), "Condition 1 due on", dt.date(2020, 9, 30))
    fill_date(page.locator("#action-decide"), "Date (leave blank for today)", dt.date(2020, 6, 1))
    page.locator("#action-decide").get_by_role("button", name="Record the outcome").click()
    expect(page.locator(".govuk-notification-banner").get_by_text("Outcome recorded")).to_be_visible()
    expect(page.locator(".moj-timeline").get_by_text("Approved with conditions")).to_be_visible()
    assert ApprovalRequest.objects.get(pk=req.pk).outcome == "approved_with_conditions"
    assert screenshot(page, "education-approval-with-condition").exists()


def test_a_provider_submits_its_own_return(page, screenshot):
    provider = make_provider("Northern University")
    course = make_course(provider)
    make_course()  # another provider's course: not listed
    cycle = services.monitoring_cycle_open(year=2020, due_on=(dt.date.today() + dt.timedelta(days=90)), actor=None)
    sign_in(page, provider_user(provider))
    page.goto("/provider/returns/")
    assert page.locator("tbody tr").count() == 1
    page.get_by_role("link", name=course.name).click()
    page.locator("#action-submit summary").click()
    page.get_by_label("Students enrolled this year").fill("34")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Submit the return").click()
    expect(page.get_by_text("Return submitted. Thank you.")).to_be_visible()
    assert MonitoringReturn.objects.get(cycle=cycle, course=course).status == "submitted"
    assert screenshot(page, "provider-return-submitted").exists()
