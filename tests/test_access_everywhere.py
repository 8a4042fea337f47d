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
    r"^register/",
    r"^api/v1/register/",
    r"^raise-a-concern/",  # fitness to practise: anyone may raise a concern (rate limited)
    r"^api/v1/concerns/$",
    r"^api/schema/$",
    r"^api/docs/$",
    r"^account/sign-up/$",  # registration: creating an account and resetting a password are public
    r"^account/password-reset/",
    r"^admin/",  # the admin has its own sign-in; tests/test_access.py checks who may use it
]


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
    client.force_login(UserFactory())
    path = example_path(route)
    for response in (client.get(path), client.post(path, {})):
        assert response.status_code in {403, 404, 405}, f"{route} answered {response.status_code}"


def test_the_walk_covers_every_functions_private_pages_and_api():
    routes = private_routes()
    for prefix in ("account/", "registration/", "ftp/", "education/", "complaints/", "information-requests/",
                   "dashboard/", "api/v1/"):
        assert any(r.startswith(prefix) for r in routes), f"no private route under {prefix}"
