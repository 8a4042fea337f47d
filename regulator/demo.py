"""Demo data: the sign-ins every newcomer gets, and the registry of each app's demo seeder.

`seed_demo` runs registration.demo first (the register everything else refers to), then each
app's `demo.seed(context)` in the order below, skipping apps that have none yet.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from .models import User
from .roles import STAFF_ROLES, Role, grant_roles

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  (demo sign-ins only, printed by the run command)
# The demo staff's authenticator key (development only, like the password): every demo staff sign-in has
# a TOTP device with this key, so a newcomer adds it to an app once, or runs `manage.py demo_code`.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"  # RFC 6238's test key, "12345678901234567890"
DEMO_SEEDERS = [
    "registration.demo",
    "education_qa.demo",
    "registration.work_demo",  # after education_qa.demo: UK applications choose its approved courses
    "fitness_to_practise.demo",
    "complaints.demo",
]


@dataclass
class DemoContext:
    registrants: int
    rng: random.Random
    stdout: Any
    progress: bool = True
    register_only: bool = False  # seed_demo --register-only: apps skip their demo work
    sign_ins: list[tuple[str, str, str]] = field(default_factory=list)  # (role label, username, password)

    def note_sign_in(self, label: str, username: str) -> None:
        self.sign_ins.append((label, username, DEMO_PASSWORD))


@transaction.atomic
def demo_user(
    context: DemoContext,
    *,
    username: str,
    role: Role,
    first_name: str,
    last_name: str,
    email: str | None = None,
    staff: bool = False,
) -> User:
    """A demo sign-in with one role (created once; running the seed again keeps it)."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "email": email, "is_staff": staff},
    )
    if created:
        # A known password only where the demo is allowed (development); anywhere else none at all.
        if demo_allowed():
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    grant_roles(user, [role])
    if role in STAFF_ROLES and demo_allowed():
        demo_two_factor_device(user)
    context.note_sign_in(role.label, username)
    return user


def demo_allowed() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "REGULATOR_DEMO_ALLOWED", False))


def demo_two_factor_device(user: User):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Demo authenticator", defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True}
    )
    return device


def demo_totp_code() -> str:
    """The code a demo staff sign-in needs now (the app with DEMO_TOTP_KEY shows the same)."""
    import time

    from django_otp.oath import TOTP

    generator = TOTP(bytes.fromhex(DEMO_TOTP_KEY_HEX), step=30, digits=6)
    generator.time = int(time.time())
    return f"{generator.token():06d}"


def demo_totp_secret() -> str:
    import base64

    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()


def seeder_modules() -> list[Any]:
    return [importlib.import_module(name) for name in DEMO_SEEDERS if importlib.util.find_spec(name)]
