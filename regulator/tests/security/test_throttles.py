"""Throttles: the public register's API and pages (a generous rate per address), sign-up and password
reset; a clear 429 with Retry-After; the address from the configured proxy header only."""

import pytest
from django.core import mail

from regulator.security.throttles import PublicAddressThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(PublicAddressThrottle, "THROTTLE_RATES", {"public": "3/minute"})


def test_the_public_register_api_answers_429_with_retry_after_past_the_rate(client, three_a_minute):
    for _ in range(3):
        assert client.get("/api/v1/register/", {"q": "Doe"}).status_code == 200
    refused = client.get("/api/v1/register/", {"q": "Doe"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()
    other = client.get("/api/v1/register/", {"q": "Doe"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200  # per address


def test_a_forged_forwarded_header_does_not_escape_the_limit_unless_the_proxy_header_is_configured(
    client, three_a_minute, settings
):
    for n in range(3):
        client.get("/api/v1/register/", {"q": "Doe"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert client.get("/api/v1/register/", {"q": "Doe"}, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429
    settings.REGULATOR_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"  # behind the real proxy: its header counts
    assert client.get("/api/v1/register/", {"q": "Doe"}, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 200


def test_the_public_register_pages_are_throttled_per_address(client, settings):
    settings.REGULATOR_PUBLIC_PAGES_RATE = "2/m"
    assert client.get("/register/").status_code == 200
    assert client.get("/register/").status_code == 200
    refused = client.get("/register/")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert b"too many requests" in refused.content


def test_password_reset_is_limited_per_email_address_and_per_address(
    client, settings, django_capture_on_commit_callbacks
):
    user = UserFactory(email="jane@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert client.post("/account/password-reset/", {"email": user.email}).status_code == 302
    assert client.post("/account/password-reset/", {"email": user.email}).status_code == 429
    assert len(mail.outbox) == 3
    settings.REGULATOR_PASSWORD_RESET_RATE = "2/h"
    responses = [
        client.post("/account/password-reset/", {"email": f"n{n}@example.org"}, REMOTE_ADDR="10.1.1.1")
        for n in range(3)
    ]
    assert [r.status_code for r in responses] == [302, 302, 429]


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, django_capture_on_commit_callbacks):
    """The page does the same work for both (one queued message, the lookup left to the worker), and only
    the known address gets an email."""
    from regulator.models import OutboxMessage

    UserFactory(email="jane@example.org")
    with django_capture_on_commit_callbacks() as known_work:
        known = client.post("/account/password-reset/", {"email": "jane@example.org"})
    with django_capture_on_commit_callbacks() as unknown_work:
        unknown = client.post("/account/password-reset/", {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(known_work) == len(unknown_work) == 1 and OutboxMessage.objects.count() == 2
    for callback in known_work + unknown_work:
        callback()
    assert [m.to for m in mail.outbox] == [["jane@example.org"]]


def test_sign_up_is_limited_per_address(client, settings):
    settings.REGULATOR_SIGN_UP_RATE = "2/h"
    codes = [client.post("/account/sign-up/", {"email": "x"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
