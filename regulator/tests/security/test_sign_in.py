"""Signing in: lockout after 100 failures an hour per account and per address, the same answer for
known and unknown accounts (in words and in work done), no HTTP Basic, and the administrator's unlock."""

import base64
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher

from regulator.models import AuditEvent
from regulator.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-Good-password-1"
LIMIT = 100


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post("/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address)


def without_tokens(html: bytes) -> str:
    """The page without what differs by design: the CSRF token, and the username typed, shown back."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())
    return re.sub(r'(name="username"[^>]*?) value="[^"]*"', r"\1", text)


def test_the_account_is_locked_at_the_hundredth_failure_within_the_hour_even_with_the_right_password(client):
    UserFactory(username="jane")
    for attempt in range(1, LIMIT):
        response = sign_in(client, "jane", f"wrong-{attempt}", address=f"10.1.{attempt // 250}.{attempt % 250}")
        assert response.status_code == 200, attempt  # a wrong password, not yet a lockout
    assert AccessAttempt.objects.get(username="jane", ip_address="10.1.0.99").failures_since_start == 1
    assert sign_in(client, "jane", "wrong-100", address="10.2.0.1").status_code == 429  # the 100th failure locks
    locked = sign_in(client, "jane", PASSWORD, address="10.2.0.2")
    assert locked.status_code == 429
    assert locked["Retry-After"] == "3600"
    assert b"Sign-in is paused" in locked.content
    assert "_auth_user_id" not in client.session


def test_one_address_is_locked_after_a_hundred_failures_on_any_accounts(client):
    UserFactory(username="victim")
    for attempt in range(LIMIT):
        sign_in(client, f"guess{attempt}", "wrong", address="10.9.9.9")
    assert sign_in(client, "victim", PASSWORD, address="10.9.9.9").status_code == 429
    assert sign_in(client, "victim", PASSWORD, address="10.9.9.10").status_code == 302  # elsewhere: signs in


def test_a_locked_unknown_account_gets_the_same_answer_as_a_locked_real_one(client):
    UserFactory(username="real")
    for name in ("real", "nobody-by-this-name"):
        for attempt in range(LIMIT):
            sign_in(client, name, "wrong", address=f"10.3.{attempt}.{len(name)}")
    real = sign_in(client, "real", PASSWORD, address="10.4.0.1")
    unknown = sign_in(client, "nobody-by-this-name", PASSWORD, address="10.4.0.2")
    assert real.status_code == unknown.status_code == 429
    assert without_tokens(real.content) == without_tokens(unknown.content)


def test_a_wrong_password_and_an_unknown_account_get_the_same_page(client):
    UserFactory(username="jane", email="jane@example.org")
    answers = [
        sign_in(client, "jane", "wrong-password-1"),
        sign_in(client, "nobody", "wrong-password-1"),
        sign_in(client, "jane@example.org", "wrong-password-1"),
        sign_in(client, "nobody@example.org", "wrong-password-1"),
    ]
    assert {a.status_code for a in answers} == {200}
    assert len({without_tokens(a.content) for a in answers}) == 1


class CountingHasher(MD5PasswordHasher):
    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.mark.parametrize("known", ["jane", "jane@example.org"])
def test_an_unknown_account_costs_the_same_password_hashing_as_a_known_one(client, settings, known):
    settings.PASSWORD_HASHERS = ["regulator.tests.security.test_sign_in.CountingHasher"]
    UserFactory(username="jane", email="jane@example.org", password=PASSWORD)
    unknown = "nobody@example.org" if "@" in known else "nobody"
    counts = []
    for username in (known, unknown):
        CountingHasher.calls = 0
        sign_in(client, username, "wrong-password-1")
        counts.append(CountingHasher.calls)
    assert counts[0] == counts[1] >= 1


def test_the_administrator_unlocks_a_locked_account_and_it_is_audited(client, user_with_role):
    UserFactory(username="jane")
    for attempt in range(LIMIT):
        sign_in(client, "jane", "wrong", address=f"10.5.{attempt}.1")
    assert sign_in(client, "jane", PASSWORD, address="10.6.0.1").status_code == 429
    admin = user_with_role(Role.ADMINISTRATOR)
    officer = user_with_role(Role.REGISTRATION_OFFICER)
    staff = client.__class__()
    staff.force_login(officer)
    assert staff.get("/security/locked-out/").status_code == 403
    staff.force_login(admin)
    page = staff.get("/security/locked-out/")
    assert page.status_code == 200 and b"jane" in page.content
    assert staff.post("/security/locked-out/", {"kind": "nonsense", "value": "jane"}).status_code == 400
    assert staff.post("/security/locked-out/", {"kind": "account", "value": "jane"}).status_code == 302
    assert AuditEvent.objects.filter(action="user.sign_in_unlocked", actor=admin).exists()
    assert sign_in(client, "jane", PASSWORD, address="10.6.0.1").status_code == 302


def test_a_sign_in_is_in_the_audit_trail(client):
    user = UserFactory(username="jane")
    sign_in(client, "jane", PASSWORD)
    assert AuditEvent.objects.filter(action="user.signed_in_password", actor=user).exists()


def test_a_nul_byte_or_an_enormous_username_is_a_form_error_not_a_server_error(client):
    for username, password in [("ja\x00ne", PASSWORD), ("jane", "pass\x00word"), ("x" * 100_000, PASSWORD)]:
        assert sign_in(client, username, password).status_code == 200


def test_http_basic_is_not_accepted_by_the_api(client, user_with_role):
    officer = user_with_role(Role.REGISTRATION_OFFICER)
    good = base64.b64encode(f"{officer.username}:{PASSWORD}".encode()).decode()
    response = client.get("/api/v1/applications/", HTTP_AUTHORIZATION=f"Basic {good}")
    assert response.status_code == 403  # anonymous: Basic is not read at all
    nul = base64.b64encode(b"off\x00icer:x").decode()
    assert client.get("/api/v1/applications/", HTTP_AUTHORIZATION=f"Basic {nul}").status_code == 403
    assert client.get("/api/v1/applications/", HTTP_AUTHORIZATION="Basic %%%").status_code == 403
