"""Renewal reminders: on each reminder day before the window closes, an email to every registrant
with an email address who is registered and has not renewed yet."""

from __future__ import annotations

import datetime as dt
import zlib

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from . import clocks
from .models import EntryStatus, RegisterEntry, RenewalReminderRun

REMINDERS_LOCK = zlib.crc32(b"registration.renewal_reminders")


def registrants_not_renewed(*, window: clocks.RenewalWindow):
    return (
        RegisterEntry.objects.filter(status=EntryStatus.REGISTERED, register="full")
        .exclude(registered_until__gte=window.next_year_ends)
        .exclude(registrant__email="")
        .values_list("registrant__email", "registrant__given_name", "registration_number")
    )


def renewal_reminders_send(*, today: dt.date) -> int:
    """Send today's reminders if today is a reminder day; returns how many were sent. A second run
    the same day (another worker, a retried task) sends nothing: an advisory lock while it runs, and
    the day's RenewalReminderRun row after."""
    window = clocks.renewal_window(today)
    days_left = (window.closes - today).days
    if not window.is_open(today) or days_left not in settings.REGISTRATION_RENEWAL_REMINDER_DAYS:
        return 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [REMINDERS_LOCK])
                if not cursor.fetchone()[0]:
                    return 0
        try:
            with transaction.atomic():
                run = RenewalReminderRun.objects.create(sent_on=today)
        except IntegrityError:
            return 0
        run.sent = _send(window)
        run.completed_at = timezone.now()
        run.save(update_fields=["sent", "completed_at"])
        return run.sent


def _send(window: clocks.RenewalWindow) -> int:
    sent = 0
    mail_connection = get_connection()
    batch = []
    for email, given_name, number in registrants_not_renewed(window=window).iterator(chunk_size=2000):
        batch.append(
            (
                "Renew your social work registration",
                f"Dear {given_name},\n\nYou have not renewed your registration ({number}) yet. "
                f"The renewal window closes on {window.closes:%-d %B %Y}; "
                "if you do not renew by then you will be removed from the register.\n",
                None,
                [email],
            )
        )
        if len(batch) == 500:
            sent += send_mass_mail(batch, connection=mail_connection)
            batch = []
    if batch:
        sent += send_mass_mail(batch, connection=mail_connection)
    return sent
