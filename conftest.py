"""Fixtures for every test in the project (apps and tests/)."""

import os
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from regulator.roles import Role
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _forget_cached_name_neighbours():
    """Each test builds its own register, so the search's per-process name cache starts empty."""
    from registration import selectors

    selectors._neighbours.clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user_with_role(db):
    """Make a signed-in-able user holding the given roles: user_with_role(Role.CASE_EXAMINER)."""

    def make(*roles: Role, **fields):
        return UserFactory(roles=list(roles), **fields)

    return make


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.REGISTRATION_OFFICER)


# --- Browser tests: Playwright driving Debian's Chromium (never a downloaded browser) -------------
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium on CI")
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (factories, assertions) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync"],
    )
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page whose relative URLs go to the live test server."""
    context = browser.new_context(base_url=live_server.url)
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    yield new_page
    context.close()


@pytest.fixture
def screenshot():
    """Save a screenshot of a page as a test artefact: screenshot(page, "renewal-confirmation")."""

    def save(target_page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        target_page.screenshot(path=str(path), full_page=True)
        return path

    return save
