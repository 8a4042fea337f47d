"""API tokens for other systems: scoped, expiring, revocable, hashed at rest and audited; and the
session authentication that refuses a staff session without its second factor."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication

from regulator.audit import audit_record
from regulator.models import ApiToken

from .log import security_event
from .policy import requires_two_factor, two_factor_verified

KEYWORD = "Bearer"
TOKEN_PREFIX = "swr_"  # noqa: S105 (a label, not a secret)
DEFAULT_LIFETIME = dt.timedelta(days=90)
# last_used_at is written at most this often, so a busy system does not write on every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user, name: str, scope: str, actor, lifetime: dt.timedelta = DEFAULT_LIFETIME
                    ) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once; only its hash is kept)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(user=user, name=name, scope=scope, prefix=secret[:12], secret_hash=_digest(secret),
                     created_at=now, expires_at=now + lifetime)
    token.full_clean()
    token.save()
    audit_record(actor=actor, action="api_token.issued", obj=token, after={"user": user.pk, "scope": scope,
                                                                          "expires_at": token.expires_at})
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor, reason: str = "") -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoked", obj=token, reason=reason)
    return token


class ScopedTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer swr_…`. A read-only token may only read; an expired or revoked one is refused."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not isinstance(header, str) or not header:
            return None
        keyword, _, secret = header.partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None  # not ours (Basic is not accepted at all: the request stays anonymous)
        secret = secret.strip()
        if not secret or len(secret) > 200 or "\x00" in secret or " " in secret:
            raise exceptions.AuthenticationFailed("Invalid token.")
        token = ApiToken.objects.select_related("user").filter(secret_hash=_digest(secret)).first()
        now = timezone.now()
        if token is None or token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
            security_event(request._request, "token.refused", user=False, status=401)
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.scope == ApiToken.Scope.READ and request.method not in SAFE_METHODS:
            security_event(request._request, "token.out_of_scope", user=token.user, token_id=token.pk, status=403)
            raise exceptions.PermissionDenied("This token may only read.")
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        security_event(request._request, "token.used", user=token.user, token_id=token.pk)
        return token.user, token

    def authenticate_header(self, request):
        return KEYWORD


class TwoFactorSessionAuthentication(SessionAuthentication):
    """The browser's session, with CSRF checks, refused for staff who have not given their second factor."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, _ = result
        if requires_two_factor(user, request._request) and not two_factor_verified(request._request):
            raise exceptions.PermissionDenied("Give your two-factor authentication code first.")
        return result


class ScopedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "regulator.security.tokens.ScopedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token issued to another system (`Bearer swr_…`): scoped read or read and write.",
        }


class TwoFactorSessionScheme(OpenApiAuthenticationExtension):
    target_class = "regulator.security.tokens.TwoFactorSessionAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
