"""The security code a demo staff sign-in needs now (development only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Prints the current two-factor code of the demo staff sign-ins (development settings only)."

    def handle(self, *args, **options):
        if not settings.REGULATOR_DEMO_ALLOWED:
            raise CommandError("demo_code is for development: these settings do not allow the demo.")
        from regulator.demo import demo_totp_code

        self.stdout.write(demo_totp_code())
