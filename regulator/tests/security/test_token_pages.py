"""The administrator's API token pages: issue (the secret shown once), list, revoke with a reason; nobody
else may use them."""

import re

import pytest

from regulator.models import ApiToken, AuditEvent
from regulator.roles import Role

pytestmark = pytest.mark.django_db

ISSUE, LIST = "/security/api-tokens/new/", "/security/api-tokens/"


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def issue(client, **fields):
    form = {"username": "finance-system", "name": "Finance reconciliation", "scope": "read", "lifetime_days": "30"}
    return client.post(ISSUE, form | fields)


@pytest.fixture
def admin_client(client, user_with_role):
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    return client


@pytest.fixture
def system_account(user_with_role):
    account = user_with_role(Role.REGISTRATION_OFFICER)
    account.username = "finance-system"
    account.save(update_fields=["username"])
    return account


def test_an_administrator_issues_a_token_whose_secret_is_shown_once_and_works(admin_client, system_account):
    response = issue(admin_client)
    assert response.status_code == 200
    secret = re.search(rb'data-testid="secret">(swr_[^<]+)<', response.content).group(1).decode()
    token = ApiToken.objects.get()
    assert (token.user, token.scope, token.name) == (system_account, "read", "Finance reconciliation")
    assert (token.expires_at - token.created_at).days == 30
    assert secret.encode() not in admin_client.get(LIST).content  # listed by its first characters only
    assert token.prefix.encode() in admin_client.get(LIST).content
    assert AuditEvent.objects.filter(action="api_token.issued", object_id=str(token.pk)).exists()
    admin_client.logout()
    assert admin_client.get("/api/v1/applications/", **bearer(secret)).status_code == 200


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"username": "nobody-here"}, "username"),
        ({"lifetime_days": "0"}, "lifetime_days"),
        ({"lifetime_days": "366"}, "lifetime_days"),
        ({"scope": "admin"}, "scope"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_issue_form_is_refused_on_its_field_and_issues_nothing(admin_client, system_account, fields, field):
    response = issue(admin_client, **fields)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_revoking_asks_why_then_the_token_is_refused_and_a_second_revoke_is_a_conflict(admin_client, system_account):
    secret = re.search(rb'data-testid="secret">(swr_[^<]+)<', issue(admin_client).content).group(1).decode()
    token = ApiToken.objects.get()
    url = f"/security/api-tokens/{token.pk}/revoke/"
    assert b"cannot be undone" in admin_client.get(url).content
    assert admin_client.post(url, {"reason": ""}).status_code == 400
    token.refresh_from_db()
    assert token.revoked_at is None
    assert admin_client.post(url, {"reason": "The system is retired"}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoked", object_id=str(token.pk)).get().reason == (
        "The system is retired"
    )
    assert admin_client.post(url, {"reason": "Again"}).status_code == 409
    admin_client.logout()
    assert admin_client.get("/api/v1/applications/", **bearer(secret)).status_code == 403  # refused like an expired one


@pytest.mark.parametrize("role", [Role.REGISTRATION_OFFICER, Role.FTP_CASE_HANDLER, Role.REGISTRANT])
def test_only_the_administrator_may_see_issue_or_revoke_tokens(client, user_with_role, system_account, role):
    token = ApiToken.objects.create(
        user=system_account, name="x", prefix="swr_abcdefgh", secret_hash="0" * 64, scope="read",
        created_at="2026-01-01T00:00:00Z", expires_at="2027-01-01T00:00:00Z",
    )
    assert client.get(LIST).status_code == 302  # anonymous: to sign in
    client.force_login(user_with_role(role))
    assert client.get(LIST).status_code == 403
    assert issue(client).status_code == 403
    assert client.post(f"/security/api-tokens/{token.pk}/revoke/", {"reason": "x"}).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None and ApiToken.objects.count() == 1
