"""Access is denied by default, checked over every URL the project serves: anonymous callers and
signed-in users who hold no role are refused everything but the public pages listed here."""

import re

import pytest

from tests.factories import UserFactory
from tests.routes import url_patterns

# Everything the public may use without signing in, by URL pattern (regular expressions over the
# route). A new public page or endpoint must be added here on purpose.
PUBLIC = [
    r"^$",
    r"^sign-in/$",
    r"^sign-out/$",
    r"^healthz/$",
    r"^readyz/$",  # readiness: names the checks and OK or not, nothing else
    r"^(accessibility|privacy|cookies|contact)/$",  # the service's information pages, linked from every footer
    r"^csp-report/$",  # browsers report CSP violations without signing in
    r"^register/",
    r"^api/v1/register/",
    r"^raise-a-concern/",  # fitness to practise: anyone may raise a concern (rate limited)
    r"^api/v1/concerns/$",
    r"^api/schema/$",
    r"^api/docs/$",
    r"^account/sign-up/(sent/|confirm/)?",  # registration: creating an account and resetting a password are public
    r"^account/password-reset/",
    r"^admin/",  # the admin has its own sign-in; tests/test_access.py checks who may use it
]


# Pages any signed-in user may use, whatever their roles: the second factor and the session keep-alive.
SIGNED_IN_ANYONE = r"^(two-factor/|session/keep-alive/$)"


def all_routes():
    return sorted({route for route, _ in url_patterns()})


def example_path(route: str) -> str:
    """A concrete path for a route: every converter gets a plausible value."""
    path = re.sub(r"<int:\w+>", "1", route)
    path = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000001", path)
    path = re.sub(r"<(?:str|slug|path):\w+>", "x", path)
    path = re.sub(r"<\w+>", "x", path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/" + path


def private_routes():
    return [r for r in all_routes() if not any(re.search(p, r) for p in PUBLIC) and "(?P<format>" not in r]


REFUSED = {302, 401, 403, 404, 405}


def assert_refused(response, route):
    assert response.status_code in REFUSED, f"{route} answered {response.status_code}"
    if response.status_code == 302:
        assert "sign-in" in response["Location"] or "login" in response["Location"], route


@pytest.mark.django_db
@pytest.mark.parametrize("route", private_routes())
def test_anonymous_callers_are_refused(client, route):
    path = example_path(route)
    assert_refused(client.get(path), route)
    assert_refused(client.post(path, {}), route)


@pytest.mark.django_db
@pytest.mark.parametrize("route", private_routes())
def test_a_signed_in_user_without_a_role_is_refused(client, route):
    if re.search(SIGNED_IN_ANYONE, route):
        return
    client.force_login(UserFactory())
    path = example_path(route)
    for response in (client.get(path), client.post(path, {})):
        assert response.status_code in {403, 404, 405}, f"{route} answered {response.status_code}"


def test_the_walk_covers_every_functions_private_pages_and_api():
    routes = private_routes()
    for prefix in (
        "account/",
        "registration/",
        "ftp/",
        "education/",
        "complaints/",
        "information-requests/",
        "dashboard/",
        "history/",
        "api/v1/",
    ):
        assert any(r.startswith(prefix) for r in routes), f"no private route under {prefix}"


# --- The access matrix: every pattern x every caller, GET and POST (tests/access_matrix.py) ---------------
from tests.access_matrix import ANONYMOUS, CALLERS, NO_ROLE, expected_for, let_in, matrix_routes  # noqa: E402


def test_every_route_has_an_expectation_in_the_matrix():
    missing = [route for route in matrix_routes() if expected_for(route) is None]
    assert not missing, f"say who may use these (tests/access_expected.py, see tests/access_matrix.py): {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_the_access_matrix_for_every_route_get_and_post(client, caller):
    from django.test import Client

    from regulator.roles import Role

    client = Client(raise_request_exception=False)
    if caller != ANONYMOUS:
        roles = [] if caller == NO_ROLE else [Role(caller)]
        client.force_login(UserFactory(roles=roles, is_staff=caller == Role.ADMINISTRATOR))
    wrong = []
    for route in matrix_routes():
        if route.startswith("admin/") and route != "admin/":
            continue  # the admin's own pages: tests/test_access.py
        allowed = caller in (expected_for(route) or frozenset())
        path = example_path(route)
        answers = [client.get(path), client.post(path, {})]
        if any(a.status_code >= 500 for a in answers):
            wrong.append((route, "server error", [a.status_code for a in answers]))
        elif not allowed and any(let_in(a) for a in answers):
            wrong.append((route, "let in", [a.status_code for a in answers]))
        elif allowed and not any(let_in(a) or a.status_code == 404 for a in answers):
            # A caller who may use the route can still find no record with the example id (404).
            wrong.append((route, "refused", [a.status_code for a in answers]))
    assert not wrong, wrong
