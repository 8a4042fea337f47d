"""Passwords: 12 characters at least, not common or breached (a list shipped in the project), not like the
person's name or email at sign-up. seed_demo: never the published password outside development."""

import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from regulator.models import User

pytestmark = pytest.mark.django_db


def sign_up(client, password, email="kofi.mensah@example.org"):
    return client.post(
        "/account/sign-up/", {"given_name": "Kofi", "family_name": "Mensah", "email": email, "password": password}
    )


def test_a_password_needs_twelve_characters(client):
    response = sign_up(client, "Short-pw-1!")  # 11
    assert "at least 12 characters" in str(response.context["form"].errors["password"])
    assert sign_up(client, "Long-enough-pw-1").status_code == 302


@pytest.mark.parametrize("breached", ["1qaz2wsx3edc", "qwertyuiop123", "LeaveMeAlone"])
def test_a_breached_password_is_refused_from_the_shipped_list(breached):
    with pytest.raises(ValidationError):
        validate_password(breached)


def test_a_password_like_the_email_address_is_refused_at_sign_up(client):
    response = sign_up(client, "kofi.mensah.example", email="kofi.mensah.example@example.org")
    assert "too similar" in str(response.context["form"].errors["password"])
    assert not User.objects.filter(email="kofi.mensah.example@example.org").exists()


def test_seed_demo_refuses_production_settings_unless_forced(settings):
    settings.REGULATOR_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="refuses"):
        call_command("seed_demo", registrants=5, register_only=True, no_progress=True, stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo", registrants=5, register_only=True, no_progress=True, force=True, stdout=out)
    admin = User.objects.get(username="admin")
    assert not admin.has_usable_password()
    assert "demo-password" not in out.getvalue()
    with pytest.raises(CommandError):
        call_command("demo_code", stdout=io.StringIO())


def test_in_development_demo_staff_have_the_documented_authenticator_key(settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from regulator.demo import DEMO_TOTP_KEY_HEX

    out = io.StringIO()
    call_command("seed_demo", registrants=5, register_only=True, no_progress=True, stdout=out)
    admin = User.objects.get(username="admin")
    assert admin.check_password("demo-password-2026")
    assert TOTPDevice.objects.get(user=admin, confirmed=True).key == DEMO_TOTP_KEY_HEX
    assert "manage.py demo_code" in out.getvalue()
    code = io.StringIO()
    call_command("demo_code", stdout=code)
    assert len(code.getvalue().strip()) == 6
