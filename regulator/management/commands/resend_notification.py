"""Re-send a message that failed (a decision letter, an FTP letter, a reminder), by reference or id; with
--force, also one a dead worker left "sending", after you have checked with the provider that it did not go."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from regulator.models import Notification
from regulator.notifications import PermanentFailure, TemporaryFailure, notification_deliver


class Command(BaseCommand):
    help = "Re-send failed messages: by reference (or id), or --all-failed."

    def add_arguments(self, parser):
        parser.add_argument("references", nargs="*", help="e.g. registration-letter:42, or a Notification id")
        parser.add_argument("--all-failed", action="store_true", help="every message whose last try failed")
        parser.add_argument("--force", action="store_true", help='also take messages left "sending"')

    def handle(self, *args, references, all_failed, force, **options):
        if all_failed:
            chosen = Notification.objects.filter(status=Notification.Status.FAILED)
        elif references:
            ids = [int(r) for r in references if r.isdigit()]
            chosen = Notification.objects.filter(Q(reference__in=references) | Q(pk__in=ids))
        else:
            raise CommandError("Name the messages (references or ids) or say --all-failed.")
        sent = 0
        for notification in chosen.order_by("pk"):
            if notification.status == Notification.Status.SENT:
                self.stdout.write(f"{notification.reference}: sent already, on {notification.sent_at:%Y-%m-%d %H:%M}")
                continue
            try:
                done = notification_deliver(notification_id=notification.pk, force=force)
            except (TemporaryFailure, PermanentFailure) as error:
                self.stdout.write(f"{notification.reference}: failed again: {error}")
                continue
            sent += done
            outcome = "sent" if done else "not sent (in hand elsewhere; --force?)"
            self.stdout.write(f"{notification.reference}: {outcome}")
        self.stdout.write(f"{sent} sent.")
