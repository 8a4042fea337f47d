"""Load a realistic synthetic register and demo work for every function of the regulator."""

import random
import time

from django.core.management.base import BaseCommand, CommandError

from regulator.demo import DemoContext, demo_user, seeder_modules
from regulator.roles import Role


class Command(BaseCommand):
    help = "Creates demo data: a synthetic register of N registrants and demo work in every app."

    def add_arguments(self, parser):
        parser.add_argument("--registrants", type=int, default=2000, help="How many registrants (default 2,000).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the register has entries.")
        parser.add_argument("--register-only", action="store_true", help="Only the register (for benchmarks).")
        parser.add_argument("--seed", type=int, default=2020, help="Random seed, for the same data every time.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bars.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run where the demo is not allowed (production settings): demo users get no usable password.",
        )

    def handle(self, *args, registrants, if_empty, register_only, seed, no_progress, force=False, **options):
        from django.conf import settings

        from registration.models import RegisterEntry

        if not settings.REGULATOR_DEMO_ALLOWED and not force:
            raise CommandError(
                "seed_demo refuses to run here: these settings do not allow the demo (production). "
                "Use --force to load demo records anyway; the demo users then get no usable password."
            )
        if registrants < 0 or registrants > 5_000_000:
            raise CommandError("--registrants must be between 0 and 5,000,000")
        if if_empty and RegisterEntry.objects.exists():
            self.stdout.write("The register already has entries: demo data left as it is.")
            self._print_existing_sign_ins()
            return
        started = time.monotonic()
        context = DemoContext(
            registrants=registrants,
            rng=random.Random(seed),
            stdout=self.stdout,
            progress=not no_progress,
            register_only=register_only,
        )
        demo_user(context, username="admin", role=Role.ADMINISTRATOR, first_name="Ada", last_name="Admin", staff=True)
        demo_user(context, username="executive", role=Role.EXECUTIVE, first_name="Eve", last_name="Executive")
        from regulator import timers

        with timers.hooks_paused():  # one catch-up at the end, not a refresh per demo event
            for module in seeder_modules():
                if register_only and module.__name__ != "registration.demo":
                    continue
                module.seed(context)
        if not register_only:  # every open demo item gets its service-standard timer (no digests sent)
            result = timers.sweep()
            self.stdout.write(f"Service-standard timers: {sum(result.caught_up.values()):,} items caught up.")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s."))
        if context.sign_ins and settings.REGULATOR_DEMO_ALLOWED:
            self.stdout.write(f"Demo sign-ins (password for all: {context.sign_ins[0][2]}):")
            for label, username, _ in context.sign_ins:
                self.stdout.write(f"  {label:<28} {username}")
            self._print_two_factor()
        elif context.sign_ins:
            self.stdout.write("Demo users created with no usable password (the demo is not allowed here).")

    def _print_two_factor(self) -> None:
        from regulator.demo import demo_totp_secret

        self.stdout.write(
            "Staff sign-ins also ask for a security code (two-factor authentication). Development only: add the key "
            f"{demo_totp_secret()} to an authenticator app, or run `.venv/bin/python manage.py demo_code`."
        )

    def _print_existing_sign_ins(self) -> None:
        """On a later run, remind the newcomer which demo sign-ins exist (one query)."""
        from django.conf import settings
        from django.contrib.auth.models import Group

        if not settings.REGULATOR_DEMO_ALLOWED:
            return
        from regulator.demo import DEMO_PASSWORD
        from regulator.roles import Role

        labels = dict(Role.choices)
        rows = Group.objects.filter(user__isnull=False).values_list("name", "user__username").order_by("name")[:40]
        if rows:
            self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
            for role, username in rows:
                self.stdout.write(f"  {labels.get(role, role):<28} {username}")
            self._print_two_factor()
