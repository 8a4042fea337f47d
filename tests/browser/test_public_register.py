"""A member of the public searches the register in a real browser and opens an entry."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_of_the_public_finds_a_social_worker_despite_a_misspelling(page, screenshot):
    entry = make_entry(given_name="John", family_name="Smith", town="Leeds")
    make_entry(given_name="Priya", family_name="Patel", town="Leicester")
    page.goto("/register/")
    page.get_by_label("Name or registration number").fill("Jon Smyth")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    page.get_by_role("link", name="John Smith").click()
    expect(page.get_by_role("heading", name="John Smith")).to_be_visible()
    assert entry.registration_number in page.content()
    # GOV.UK Frontend's stylesheet loaded: the heading uses the GOV.UK font stack.
    font = page.eval_on_selector("h1", "e => getComputedStyle(e).fontFamily")
    assert "GDS Transport" in font
    assert screenshot(page, "public-register-entry").exists()
