"""The test suite's second factor: a real, confirmed TOTP device for the user, verified in the session
that has just signed in (see conftest's `_second_factor_given_at_sign_in`). Also a code for a device, for
the tests (and browser tests) that go through the two-factor pages themselves."""

from __future__ import annotations

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from regulator.security.two_factor import two_factor_verified_login

TEST_DEVICE_NAME = "Test suite device"


def enrolled_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TEST_DEVICE_NAME, confirmed=True)
    return device


def code_for(device: TOTPDevice, *, at: int | None = None) -> str:
    """The code the user's app shows now (or at the given Unix time)."""
    generator = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    if at is not None:
        generator.time = at
    return f"{generator.token():0{device.digits}d}"


def verify_second_factor_at_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.user = user
    two_factor_verified_login(request, enrolled_device(user))
