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
from .roles import Role, grant_roles

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  (demo sign-ins only, printed by the run command)
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
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    grant_roles(user, [role])
    context.note_sign_in(role.label, username)
    return user


def seeder_modules() -> list[Any]:
    return [importlib.import_module(name) for name in DEMO_SEEDERS if importlib.util.find_spec(name)]
