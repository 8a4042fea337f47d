"""Session lifetimes with a moved clock: staff 30 minutes idle and 12 hours in all, registrants longer;
a new key at every change of privilege; every session ends when the password changes."""

import datetime as dt

import pytest
import time_machine

from regulator.roles import Role, grant_roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
STAFF_PAGE = "/registration/applications/"


def at(minutes):
    return time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False)


def test_a_staff_session_ends_after_30_minutes_idle(client, officer):
    with at(0):
        client.force_login(officer)
        assert client.get(STAFF_PAGE).status_code == 200
    with at(29):
        assert client.get(STAFF_PAGE).status_code == 200  # activity moves the idle clock on
    with at(29 + 29):
        assert client.get(STAFF_PAGE).status_code == 200
    with at(29 + 29 + 31):
        response = client.get(STAFF_PAGE)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
        assert "_auth_user_id" not in client.session
        assert client.get(STAFF_PAGE).status_code == 302


def test_the_session_cookie_itself_expires_at_the_idle_limit(client, officer):
    with at(0):
        client.force_login(officer)
        client.get(STAFF_PAGE)
        assert client.session.get_expiry_age() == 30 * 60


def test_a_staff_session_ends_after_12_hours_however_active(client, officer):
    with at(0):
        client.force_login(officer)
    for minutes in range(20, 12 * 60, 20):
        with at(minutes):
            assert client.get(STAFF_PAGE).status_code == 200, minutes
    with at(12 * 60 + 1):
        assert client.get(STAFF_PAGE).status_code == 302


def test_a_registrant_session_lasts_two_hours_idle(client, user_with_role):
    registrant = user_with_role(Role.REGISTRANT)
    with at(0):
        client.force_login(registrant)
        client.get("/account/")
    with at(119):
        assert client.get("/account/").status_code != 302
    with at(119 + 121):
        assert client.get("/account/").status_code == 302


def test_the_api_answers_403_when_the_session_has_ended(client, officer):
    with at(0):
        client.force_login(officer)
    with at(31):
        assert client.get("/api/v1/applications/").status_code == 403


def test_the_keep_alive_moves_the_idle_clock_on(client, officer):
    with at(0):
        client.force_login(officer)
        client.get(STAFF_PAGE)
    with at(25):
        assert client.post("/session/keep-alive/").status_code == 204
    with at(50):
        assert client.get(STAFF_PAGE).status_code == 200


def test_the_pages_carry_the_timeout_warning_for_signed_in_staff(client, officer):
    client.force_login(officer)
    html = client.get(STAFF_PAGE).content.decode()
    assert 'id="app-timeout-warning"' in html and 'data-idle-seconds="1800"' in html
    assert "regulator/timeout-warning" in html


def test_a_change_of_roles_gives_the_session_a_new_key(client):
    user = UserFactory()
    client.force_login(user)
    client.get("/")
    before = client.session.session_key
    grant_roles(user, [Role.REGISTRATION_OFFICER])
    client.get("/")
    assert client.session.session_key != before


def test_changing_the_password_ends_every_other_session(client, officer):
    other = client.__class__()
    client.force_login(officer)
    other.force_login(officer)
    assert other.get(STAFF_PAGE).status_code == 200
    officer.set_password("A-brand-new-passphrase-9")
    officer.save()
    assert other.get(STAFF_PAGE).status_code == 302
    assert client.get(STAFF_PAGE).status_code == 302
