"""Renewal reminders: on each reminder day before the window closes, an email to every registrant
with an email address who is registered and has not renewed yet."""

from __future__ import annotations

import datetime as dt
import zlib

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from regulator import notifications
from regulator.models import Notification

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


def reminder_reference_prefix(day: dt.date) -> str:
    return f"renewal-reminder:{day.isoformat()}:"


def renewal_reminders_send(*, today: dt.date) -> int:
    """Send today's reminders if today is a reminder day; returns how many this call sent.

    The first run of the day records one pending Notification per person (in bulk, under an advisory
    lock, with the day's RenewalReminderRun); then each is sent and settled on its own, outside that
    transaction. A failure halfway leaves the rest pending; a re-run (another worker, a retried task,
    an operator's `rerun_sweep`) sends only those, and nothing twice."""
    window = clocks.renewal_window(today)
    days_left = (window.closes - today).days
    if not window.is_open(today) or days_left not in settings.REGISTRATION_RENEWAL_REMINDER_DAYS:
        return 0
    prefix = reminder_reference_prefix(today)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [REMINDERS_LOCK])
                if not cursor.fetchone()[0]:
                    return 0
        run, created = RenewalReminderRun.objects.get_or_create(sent_on=today)
        if created:
            closes_on = f"{window.closes:%-d %B %Y}"
            notifications.notifications_prepare(
                (
                    "renewal_reminder",
                    email,
                    {"given_name": given_name, "registration_number": number, "closes_on": closes_on},
                    f"{prefix}{number}",
                )
                for email, given_name, number in registrants_not_renewed(window=window).iterator(chunk_size=2000)
            )
    sent = notifications.notifications_deliver_pending(reference_prefix=prefix)
    outstanding = Notification.objects.filter(
        reference__startswith=prefix, status__in=[Notification.Status.PENDING, Notification.Status.FAILED]
    ).exists()
    RenewalReminderRun.objects.filter(pk=run.pk).update(
        sent=F("sent") + sent, completed_at=None if outstanding else timezone.now()
    )
    return sent
