"""API tokens for other systems: scoped, expiring, revocable, hashed at rest, audited."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from regulator.models import ApiToken, AuditEvent
from regulator.roles import Role
from regulator.security.tokens import api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_read_token_reads_as_its_user_and_may_not_write(client, user_with_role):
    officer = user_with_role(Role.REGISTRATION_OFFICER)
    token, secret = api_token_issue(user=officer, name="Finance", scope=ApiToken.Scope.READ, actor=officer)
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())  # only the hash is kept
    assert client.get("/api/v1/applications/", **bearer(secret)).status_code == 200
    write = client.post("/api/v1/email-enquiries/", {"received_at": "2020-01-01T10:00:00Z"}, **bearer(secret))
    assert write.status_code == 403
    assert AuditEvent.objects.filter(action="api_token.issued", object_id=str(token.pk)).exists()
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_read_write_token_writes(client, user_with_role):
    officer = user_with_role(Role.REGISTRATION_OFFICER)
    _, secret = api_token_issue(user=officer, name="Telephony", scope=ApiToken.Scope.READ_WRITE, actor=officer)
    response = client.post(
        "/api/v1/email-enquiries/",
        {"received_at": "2020-01-01T10:00:00Z"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 201, response.content


def test_a_token_does_not_give_more_than_its_users_roles(client, user_with_role):
    registrant = user_with_role(Role.REGISTRANT)
    _, secret = api_token_issue(user=registrant, name="Mine", scope=ApiToken.Scope.READ, actor=registrant)
    assert client.get("/api/v1/applications/", **bearer(secret)).status_code == 403


def test_a_revoked_expired_or_malformed_token_is_refused(client, user_with_role):
    officer = user_with_role(Role.REGISTRATION_OFFICER)
    token, secret = api_token_issue(
        user=officer, name="Old", scope=ApiToken.Scope.READ, actor=officer, lifetime=dt.timedelta(days=1)
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        assert client.get("/api/v1/applications/", **bearer(secret)).status_code == 403
    api_token_revoke(token=token, actor=officer, reason="Leaked")
    assert client.get("/api/v1/applications/", **bearer(secret)).status_code == 403
    assert AuditEvent.objects.filter(action="api_token.revoked", object_id=str(token.pk)).exists()
    for bad in ["swr_\x00", "swr_" + "x" * 5000, "", "a b c"]:
        assert client.get("/api/v1/applications/", **bearer(bad)).status_code in {401, 403}
