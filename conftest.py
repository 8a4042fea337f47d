"""Fixtures for every test in the project (apps and tests/)."""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient

from regulator.roles import Role
from tests.factories import UserFactory

# --today WHEN: the whole run as if the clock read WHEN (the date guard, tests/today.py).
pytest_plugins = ["tests.today"]

# Property tests judge answers, not speed: a busy machine (two cores, a parallel suite) must not fail them.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


@pytest.fixture(autouse=True)
def _forget_cached_name_neighbours():
    """Each test builds its own register, so the search's per-process name cache starts empty."""
    from registration import name_vocabulary, selectors

    selectors._neighbours.clear()
    name_vocabulary.forget()


@pytest.fixture(autouse=True)
def _second_factor_given_at_sign_in(request):
    """Staff must give a second factor (regulator/security, decision 0782). So that every test that signs a
    user in (client.force_login, client.login, the sign-in page in a browser) goes on to test its own rule,
    each sign-in in a test is followed by a real TOTP device being enrolled for the user and verified in
    that session, exactly as the two-factor page does it. Only the test process does this: production has
    no such path. Tests of the two-factor rule itself are marked `real_two_factor` and get the real flow."""
    if request.node.get_closest_marker("real_two_factor"):
        yield
        return
    from django.contrib.auth.signals import user_logged_in

    from tests.two_factor import verify_second_factor_at_sign_in

    user_logged_in.connect(verify_second_factor_at_sign_in, dispatch_uid="tests.second_factor")
    yield
    user_logged_in.disconnect(dispatch_uid="tests.second_factor")


@pytest.fixture(autouse=True)
def _throttles_start_empty():
    """Throttle counts live in the cache: each test starts with none used."""
    from django.core.cache import cache

    cache.clear()


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
def axe():
    """Check the page a browser test is on with axe-core: axe(page, "register entry"). Fails on
    serious or critical violations (tests/browser/axe.py)."""
    from tests.browser.axe import assert_accessible

    return assert_accessible


@pytest.fixture
def screenshot():
    """Save a screenshot of a page as a test artefact: screenshot(page, "renewal-confirmation")."""

    def save(target_page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        target_page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test databases, then the service standards and the calendar committed in them: a reused
    database may have been left flushed by the last transactional test of an earlier run."""
    from regulator.standards_seed import ensure_seeded

    with django_db_blocker.unblock():
        ensure_seeded()


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return any(name in getattr(item, "fixturenames", ()) for name in ("transactional_db", "live_server"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush has emptied every table, put the seed back, committed, so
    the tests after it find it. Seeded inside each test's own transaction instead, it was rolled back
    and paid again by every later test: about 5 s a test before the calendar was written by COPY."""
    yield
    if _transactional(item):
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        from regulator.standards_seed import ensure_seeded

        with item.config.stash[blocking_manager_key].unblock():
            connections.close_all()  # the test may have left its connection dead (the fault tests cut it)
            ensure_seeded()


@pytest.fixture(autouse=True)
def _service_standards_seeded(request):
    """Each test reads its own database's service standards (a rule added by one is rolled back), and
    finds them there: a transactional test's flush empties every table, the data migration's seed of
    standards and working-day calendar included, so it is put back for the tests after it."""
    from regulator import service_standards

    service_standards.forget()
    uses_db = request.node.get_closest_marker("django_db") is not None
    for name in ("db", "transactional_db", "live_server"):
        if not uses_db and name in request.fixturenames:
            request.getfixturevalue(name)
            uses_db = True
    if uses_db:
        from regulator.standards_seed import ensure_seeded

        request.getfixturevalue("_django_db_helper")
        ensure_seeded()  # a fallback only: the seed is committed at the start and after every flush (below)
    yield
    service_standards.forget()
