"""Create (or promote) an administrator: a named person, a password typed or read from the environment,
never a default. Two-factor enrolment is a plug: settings.ADMIN_ENROLMENT_HOOK names a function
`enrol(user) -> str` (the security work's TOTP enrolment) whose instructions are printed."""

import getpass
import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from regulator.audit import audit_record
from regulator.roles import Role, grant_roles


class Command(BaseCommand):
    help = "Create an administrator (or give an existing user the administrator role)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--password-env", metavar="VAR", help="read the password from this environment variable (no prompt)"
        )

    def handle(self, *args, username, email, password_env=None, **options):
        User = get_user_model()
        if password_env:
            password = os.environ.get(password_env, "")
            if not password:
                raise CommandError(f"{password_env} is empty")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username, defaults={"email": email})
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            user.set_password(password)
            user.is_staff = True
            user.save()
            grant_roles(user, [Role.ADMINISTRATOR])
            audit_record(
                actor="create_admin", action="user.administrator_created" if created else "user.made_administrator",
                obj=user, after={"roles": [str(Role.ADMINISTRATOR)]},
            )
        self.stdout.write(f"{'Created' if created else 'Updated'} administrator {username}.")
        hook = getattr(settings, "ADMIN_ENROLMENT_HOOK", "")
        if hook:
            self.stdout.write(import_string(hook)(user))
        else:
            self.stdout.write("No two-factor enrolment is configured (ADMIN_ENROLMENT_HOOK): see docs/runbook.md.")
