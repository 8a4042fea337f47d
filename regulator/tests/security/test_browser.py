"""In a real browser: a staff member sets up two-factor authentication and signs in with it, and no page
breaks the Content Security Policy (the test fails on any violation Chromium reports)."""

import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from regulator.roles import Role
from tests.factories import make_entry
from tests.two_factor import code_for

pytestmark = [pytest.mark.browser, pytest.mark.real_two_factor, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-Good-password-1"


@pytest.fixture
def csp_violations(page):
    """Every CSP violation Chromium reports on the console while the test runs."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    return seen


def sign_in_with_password(page, username):
    page.goto("/sign-in/")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_staff_member_sets_up_two_factor_and_signs_in_with_it(page, user_with_role, csp_violations, screenshot):
    officer = user_with_role(Role.REGISTRATION_OFFICER)
    sign_in_with_password(page, officer.username)
    page.goto("/registration/applications/")
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.locator(".app-qr-code svg")).to_be_visible()
    key = page.locator("#totp-secret").inner_text()
    assert len(key.replace(" ", "")) == 32
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    page.get_by_label("Security code").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.locator("#recovery-codes li").count() == 10
    screenshot(page, "two-factor-recovery-codes")
    page.get_by_role("link", name="Continue").click()
    assert "/registration/applications/" in page.url

    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password(page, officer.username)
    page.goto("/registration/applications/")
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    page.get_by_label("Security code").fill(code_for(device, at=int(time.time()) + 30))  # the next code
    page.get_by_role("button", name="Continue").click()
    assert "/registration/applications/" in page.url
    assert page.get_by_role("heading", name="Applications").first.is_visible() or page.url.endswith("/applications/")
    assert csp_violations == []


def test_no_page_breaks_the_content_security_policy_and_a_violation_would_be_caught(
    page, user_with_role, csp_violations
):
    entry = make_entry()
    for path in (
        "/",
        "/register/?q=Doe",
        f"/register/{entry.registration_number}/",
        "/sign-in/",
        "/account/sign-up/",
        "/raise-a-concern/",
        "/api/docs/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert csp_violations == [], csp_violations
    page.goto("/")
    assert page.evaluate("document.body.classList.contains('js-enabled')")  # the scripts, as files, ran
    # The control: an inline script is refused and the test would see it.
    from playwright.sync_api import Error as PlaywrightError

    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(content="window.inlineRan = true")  # Playwright reports the block as an error
    assert page.evaluate("window.inlineRan === undefined")
