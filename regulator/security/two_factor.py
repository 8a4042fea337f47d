"""Two-factor authentication with django-otp (decision 0782): a TOTP device set up by scanning a QR
code, and ten single-use recovery codes (a static device). Staff must; registrants may."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from regulator.audit import audit_record

TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def confirmed_devices(user) -> list:
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user) -> TOTPDevice:
    """The device being set up: one unconfirmed TOTP device per user, made on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def secret_for_display(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for people who type it into their app."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG (no script, no external image; CSP allows it)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code for your authenticator app")


@transaction.atomic
def two_factor_enrol(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending device with a code from the app: the recovery codes, or None if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    codes = recovery_codes_replace(user=device.user)
    audit_record(actor=device.user, action="user.two_factor_enrolled", obj=device.user)
    two_factor_verified_login(request, device)
    return codes


@transaction.atomic
def recovery_codes_replace(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def two_factor_check(user, token: str):
    """The device that accepts the code (an app code or an unused recovery code), or None.

    django-otp throttles each device after failures (a growing delay), on top of the sign-in lockout."""
    token = "".join(token.split())[:16]
    if not token:
        return None
    for device in confirmed_devices(user):
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(token):
                return locked
    return None


def two_factor_verified_login(request, device) -> None:
    """The session has both factors now: a new session key (a change of privilege) and the device in it."""
    from .policy import ENROLLED_KEY

    request.session.cycle_key()
    otp_login(request, device)
    request.session[ENROLLED_KEY] = True
