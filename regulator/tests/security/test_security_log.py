"""The security log: JSON lines in UTC with the user, address, request id and path, for sign-ins,
lockouts, 2FA, refusals, throttles, role changes and token use; never a password, token or email."""

import json
import logging

import pytest

from regulator.models import ApiToken
from regulator.roles import Role, grant_roles
from regulator.security.log import JSONLineFormatter, security_event
from regulator.security.tokens import api_token_issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.setFormatter(JSONLineFormatter())
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))

    def events(self):
        return [json.loads(line) for line in self.lines]


@pytest.fixture
def security_log():
    handler = Lines()
    logger = logging.getLogger("security")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def test_sign_in_failure_and_success_are_json_lines_in_utc_without_the_secret(client, security_log):
    user = UserFactory(username="jane", email="jane@example.org")
    client.post(
        "/sign-in/", {"username": "jane@example.org", "password": "Wrong-password-77"}, HTTP_X_REQUEST_ID="req-1"
    )
    client.post("/sign-in/", {"username": "jane", "password": "a-Good-password-1"})
    events = security_log.events()
    failed = next(e for e in events if e["event"] == "signin.failed")
    assert failed["time"].endswith("Z") and failed["address"] == "127.0.0.1"
    assert failed["path"] == "/sign-in/" and failed["request_id"] == "req-1" and failed["user"] == ""
    succeeded = next(e for e in events if e["event"] == "signin.succeeded")
    assert succeeded["user"] == str(user.pk) and len(succeeded["request_id"]) == 32
    text = "\n".join(security_log.lines)
    assert "Wrong-password-77" not in text and "jane@example.org" not in text and "a-Good-password-1" not in text


def test_refusals_role_changes_token_use_and_write_validation_failures_are_logged(client, security_log, settings):
    user = UserFactory()
    grant_roles(user, [Role.REGISTRATION_OFFICER])
    _, secret = api_token_issue(user=user, name="System", scope=ApiToken.Scope.READ, actor=user)
    client.get("/api/v1/applications/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.get("/api/v1/applications/", HTTP_AUTHORIZATION="Bearer swr_wrong")
    other = UserFactory()
    client.force_login(other)
    client.get("/registration/applications/")
    client.post("/api/v1/concerns/", {"referrer_type": "nonsense"}, content_type="application/json")
    names = [e["event"] for e in security_log.events()]
    for expected in ("roles.granted", "token.used", "token.refused", "access.refused", "validation.failed"):
        assert expected in names, (expected, names)
    assert secret not in "\n".join(security_log.lines)


def test_the_log_refuses_a_secret_by_name():
    with pytest.raises(ValueError, match="never carries"):
        security_event(None, "x", password="hunter2")


def test_the_client_address_comes_from_the_configured_proxy_header_only(client, settings, security_log):
    client.post("/sign-in/", {"username": "a", "password": "b"}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    settings.REGULATOR_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    # The proxy appends the address it saw; what the client wrote to the left of it is not trusted.
    client.post("/sign-in/", {"username": "a", "password": "b"}, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    failed = [e["address"] for e in security_log.events() if e["event"] == "signin.failed"]
    assert failed == ["127.0.0.1", "203.0.113.9"]
