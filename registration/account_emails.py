"""The account's own emails: confirming a sign-up, telling the owner of an address that it has an account
already, and the password reset link.

Pages that start them (sign-up, password reset) only queue one task through the outbox, whatever the
address: who has an account is looked up by the worker, so neither the answer nor its timing says
whether an address is known (decision 0790). These emails go by Django's email backend and are never
kept as Notification rows: their links let someone into an account. The links are built on
settings.SITE_URL, never on the request's Host header, which a caller chooses.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import EmailMessage
from django.template import loader
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from regulator.models import User

KINDS = ("confirm_sign_up", "already_registered", "password_reset")


class SignUpTokenGenerator(PasswordResetTokenGenerator):
    """A link that confirms the address of a new account, valid for settings.PASSWORD_RESET_TIMEOUT and
    used once: the account being active (or its password changed) makes the token stale."""

    key_salt = "registration.account_emails.SignUpTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.is_active}{timestamp}{user.email}"


sign_up_token = SignUpTokenGenerator()


def _link(name: str, **kwargs) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs or None)


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def _send(user, template: str, subject: str, context: dict) -> None:
    body = loader.render_to_string(f"registration/account/email_{template}.txt", {"user": user, **context})
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()


def account_email_send(*, kind: str, user_id: int | None = None, email: str = "") -> int:
    """Send one of the account's emails; the number sent. Safe to run twice: a second run sends the same
    email again, its link as good as the first's, and nothing once it no longer applies (an account
    confirmed already, or no longer able to reset its password)."""
    if kind not in KINDS:
        raise ValueError(f"unknown account email {kind!r}")
    if kind == "password_reset":
        # Django's rule for who may reset: active accounts with a usable password, by email address.
        users = [u for u in User.objects.filter(email__iexact=email.strip(), is_active=True) if u.has_usable_password()]
        for person in users:
            _send(
                person,
                "password_reset",
                "Reset your social work register password",
                {
                    "link": _link(
                        "account:password_reset_confirm",
                        uidb64=_uid(person),
                        token=default_token_generator.make_token(person),
                    )
                },
            )
        return len(users)
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None:
        return 0
    if kind == "confirm_sign_up":
        if user.is_active:
            return 0
        _send(
            user,
            "confirm_sign_up",
            "Confirm your email address to finish creating your account",
            {
                "link": _link("account:sign_up_confirm", uidb64=_uid(user), token=sign_up_token.make_token(user)),
                "valid_for_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
            },
        )
        return 1
    _send(
        user,
        "already_registered",
        "You already have a social work register account",
        {"sign_in": _link("login"), "reset": _link("account:password_reset")},
    )
    return 1
