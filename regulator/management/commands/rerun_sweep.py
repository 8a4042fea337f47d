"""Re-run a scheduled sweep for a day, as the beat schedule would have run it (each is idempotent)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


def _renewal_reminders(day: dt.date):
    from registration.reminders import renewal_reminders_send

    return renewal_reminders_send(today=day)


def _ftp_orders(day: dt.date):
    from fitness_to_practise.services import orders_sweep

    return orders_sweep(today=day)


def _outbox(day: dt.date):
    from regulator.outbox import outbox_sweep

    return outbox_sweep()


SWEEPS = {
    "renewal-reminders": (_renewal_reminders, "send the day's renewal reminders that are missing"),
    "ftp-orders": (_ftp_orders, "list order reviews due and record ended orders as of the day"),
    "outbox": (_outbox, "dispatch the queued work the broker missed (the day is ignored: it takes all)"),
}


class Command(BaseCommand):
    help = "Re-run a sweep for a day: " + "; ".join(f"{name}: {why}" for name, (_, why) in SWEEPS.items())

    def add_arguments(self, parser):
        parser.add_argument("sweep", choices=sorted(SWEEPS))
        parser.add_argument("--day", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, sweep, day=None, **options):
        from django.utils import timezone

        today = timezone.localdate()
        day = day or today
        if day > today:
            raise CommandError("A sweep cannot be run for a day that has not come.")
        result = SWEEPS[sweep][0](day)
        self.stdout.write(f"{sweep} for {day:%Y-%m-%d}: {result}")
