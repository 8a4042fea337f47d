"""Email to people: the templates, the one sending interface and its backends, and the one idempotent send.

Every message has a `reference` naming the person and the message ("registration-letter:42"). The first
call with a reference records a `Notification` row and sends; any later call with the same reference (a
task run twice, a re-run sweep, a retried worker) finds the row and sends nothing. The row is claimed
(pending -> sending) and settled (sent or failed) in two short transactions of its own, with the call to
the provider between them, never inside the transaction that decided the message: a failure halfway
through a batch leaves the rest pending, and a re-run sends only those.

A worker that dies between the provider's answer and the "sent" write leaves the row "sending": it is
never sent again automatically (sending twice is worse than late); `manage.py resend_notification`
settles it after an operator has checked (docs/runbook.md).

Backends (settings.NOTIFICATIONS_BACKEND):
- "notify": GOV.UK Notify through notifications-python-client (production);
- "email": Django's email backend (SMTP in production if chosen, locmem in tests, console locally);
- "development": sends nothing; the message stays on the row, shown at /sent-messages/ to administrators.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)
Status = Notification.Status

# A claim older than this is presumed dead for the operator's report (never re-sent automatically).
SENDING_STALE_AFTER = dt.timedelta(minutes=30)
_PLACEHOLDER = re.compile(r"\(\(([a-z_]+)\)\)")


class TemporaryFailure(Exception):
    """The provider could not take the message now (network, 429, 5xx): the task retries with backoff."""


class PermanentFailure(Exception):
    """The provider refused the message (bad address, bad template): retrying will not help."""


@dataclass(frozen=True)
class Template:
    """A message's words with GOV.UK Notify's ((placeholders)); the same placeholders must exist in the
    Notify template of the same name (its id in settings.NOTIFY_TEMPLATE_IDS)."""

    name: str
    subject: str
    body: str
    personalisation: tuple[str, ...]

    def __post_init__(self) -> None:
        used = set(_PLACEHOLDER.findall(self.subject + self.body))
        if used != set(self.personalisation):
            raise ValueError(f"template {self.name}: placeholders {sorted(used)} != {sorted(self.personalisation)}")

    def check(self, personalisation: Mapping[str, object]) -> dict[str, str]:
        missing, extra = set(self.personalisation) - set(personalisation), set(personalisation) - set(
            self.personalisation
        )
        if missing or extra:
            raise ValueError(f"template {self.name}: missing {sorted(missing)}, unexpected {sorted(extra)}")
        return {key: str(personalisation[key]) for key in self.personalisation}

    def render(self, personalisation: Mapping[str, str]) -> tuple[str, str]:
        def fill(text: str) -> str:
            return _PLACEHOLDER.sub(lambda m: personalisation[m.group(1)], text)

        return fill(self.subject), fill(self.body)


# Every message the product sends, and the personalisation each one needs: the one place they are declared.
TEMPLATES: dict[str, Template] = {
    t.name: t
    for t in (
        Template(
            name="registration_decision_letter",
            subject="((subject))",
            body="Dear ((full_name)),\n\n((body))\n",
            personalisation=("full_name", "subject", "body"),
        ),
        Template(
            name="renewal_reminder",
            subject="Renew your social work registration",
            body="Dear ((given_name)),\n\nYou have not renewed your registration (((registration_number))) yet. "
            "The renewal window closes on ((closes_on)); if you do not renew by then you will be removed "
            "from the register.\n",
            personalisation=("given_name", "registration_number", "closes_on"),
        ),
        Template(
            name="ftp_letter",
            subject="((subject))",
            body="Dear ((full_name)),\n\n((body))\n\nYou can also read this letter when you sign in to your account.\n",
            personalisation=("full_name", "subject", "body"),
        ),
        # For the service-standards breach digests (built by the standards work): one per recipient and day.
        Template(
            name="breach_digest",
            subject="Service standards: ((count)) breach(es) on ((day))",
            body="Dear ((recipient_name)),\n\n((digest))\n",
            personalisation=("recipient_name", "day", "count", "digest"),
        ),
    )
}


# --- backends -------------------------------------------------------------------------------------


class Backend:
    name = "base"

    def send(self, *, template: Template, to: str, personalisation: dict[str, str], reference: str) -> str:
        """Send one email; return the provider's id for it (or ""). Raise TemporaryFailure or PermanentFailure."""
        raise NotImplementedError


class DevelopmentBackend(Backend):
    """Sends nothing: the Notification row (subject, body) is the message, listed at /sent-messages/."""

    name = "development"

    def send(self, *, template, to, personalisation, reference):
        return ""


class EmailBackend(Backend):
    """Django's email backend (settings.EMAIL_BACKEND): SMTP, or locmem in tests."""

    name = "email"

    def send(self, *, template, to, personalisation, reference):
        subject, body = template.render(personalisation)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers={"X-Reference": reference})
        try:
            message.send(fail_silently=False)
        except (ConnectionError, TimeoutError) as error:
            raise TemporaryFailure(str(error)) from error
        except OSError as error:  # smtplib's errors are OSError too
            raise TemporaryFailure(str(error)) from error
        return ""


class NotifyBackend(Backend):
    """GOV.UK Notify: each template by its id, the personalisation as declared, our reference kept by Notify."""

    name = "notify"

    def __init__(self) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        kwargs = {"base_url": settings.NOTIFY_BASE_URL} if settings.NOTIFY_BASE_URL else {}
        self.client = NotificationsAPIClient(settings.NOTIFY_API_KEY, **kwargs)

    def send(self, *, template, to, personalisation, reference):
        from notifications_python_client.errors import APIError
        from requests import RequestException

        template_id = settings.NOTIFY_TEMPLATE_IDS.get(template.name)
        if not template_id:
            raise PermanentFailure(f"no GOV.UK Notify template id for {template.name} (NOTIFY_TEMPLATE_IDS)")
        try:
            answer = self.client.send_email_notification(
                email_address=to, template_id=template_id, personalisation=personalisation, reference=reference
            )
        except APIError as error:
            if error.status_code == 429 or error.status_code >= 500:
                raise TemporaryFailure(str(error)) from error
            raise PermanentFailure(str(error)) from error
        except RequestException as error:
            raise TemporaryFailure(str(error)) from error
        return str(answer.get("id", ""))


BACKENDS: dict[str, type[Backend]] = {b.name: b for b in (DevelopmentBackend, EmailBackend, NotifyBackend)}


@cache
def _backend(name: str) -> Backend:
    return BACKENDS[name]()


def backend() -> Backend:
    return _backend(settings.NOTIFICATIONS_BACKEND)


# --- the one send ---------------------------------------------------------------------------------


def notification_prepare(
    *, template: str, to: str, personalisation: Mapping[str, object], reference: str
) -> Notification:
    """Record a message as pending (or find it): may be called inside the deciding transaction."""
    tmpl = TEMPLATES[template]
    values = tmpl.check(personalisation)
    subject, body = tmpl.render(values)
    notification, _ = Notification.objects.get_or_create(
        reference=reference,
        defaults={
            "template": template,
            "to": to,
            "personalisation": values,
            "subject": subject[:300],
            "body": body,
            "created_at": timezone.now(),
        },
    )
    return notification


def notifications_prepare(items: Iterable[tuple[str, str, Mapping[str, object], str]], *, batch_size=2000) -> None:
    """Record many pending messages at once ((template, to, personalisation, reference) each); those
    whose reference exists already are left as they are."""
    now, batch = timezone.now(), []
    for template, to, personalisation, reference in items:
        tmpl = TEMPLATES[template]
        values = tmpl.check(personalisation)
        subject, body = tmpl.render(values)
        batch.append(
            Notification(
                reference=reference,
                template=template,
                to=to,
                personalisation=values,
                subject=subject[:300],
                body=body,
                created_at=now,
            )
        )
        if len(batch) == batch_size:
            Notification.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Notification.objects.bulk_create(batch, ignore_conflicts=True)


def notification_send(
    *, template: str, to: str, personalisation: Mapping[str, object], reference: str
) -> bool:
    """Send the message with this reference once. True when this call sent it; False when it was sent (or is
    being sent) already. Raises TemporaryFailure (retry later) or PermanentFailure, the row marked failed."""
    notification = notification_prepare(template=template, to=to, personalisation=personalisation, reference=reference)
    return notification_deliver(notification_id=notification.pk)


def notification_deliver(*, notification_id: int, force: bool = False) -> bool:
    """Claim a recorded message and hand it to the backend, outside any transaction of the caller's.

    `force` also takes a message left "sending" by a dead worker (the operator's resend command only)."""
    now = timezone.now()
    claimable = Q(status__in=[Status.PENDING, Status.FAILED])
    if force:
        claimable |= Q(status=Status.SENDING)
    chosen = backend()
    with transaction.atomic():
        claimed = Notification.objects.filter(claimable, pk=notification_id).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, backend=chosen.name
        )
    if not claimed:
        return False
    notification = Notification.objects.get(pk=notification_id)
    tmpl = TEMPLATES[notification.template]
    try:
        provider_id = chosen.send(
            template=tmpl, to=notification.to, personalisation=notification.personalisation,
            reference=notification.reference,
        )
    except (TemporaryFailure, PermanentFailure) as error:
        Notification.objects.filter(pk=notification_id).update(status=Status.FAILED, error=str(error)[:2000])
        logger.warning(
            "notification failed",
            extra={"reference": notification.reference, "template": tmpl.name, "error": type(error).__name__},
        )
        raise
    Notification.objects.filter(pk=notification_id).update(
        status=Status.SENT, sent_at=timezone.now(), provider_id=provider_id or "", error=""
    )
    return True


def notifications_deliver_pending(*, reference_prefix: str) -> int:
    """Send every pending (or failed) message whose reference starts with the prefix; returns how many
    this call sent. One at a time, each settled before the next, so a crash loses at most the one in hand."""
    sent = 0
    ids = list(
        Notification.objects.filter(
            reference__startswith=reference_prefix, status__in=[Status.PENDING, Status.FAILED]
        ).order_by("pk").values_list("pk", flat=True)
    )
    for pk in ids:
        try:
            sent += notification_deliver(notification_id=pk)
        except PermanentFailure:
            continue  # recorded on the row; the operator resends it after fixing the address
    return sent


def notification_is_sent(reference: str) -> bool:
    return Notification.objects.filter(reference=reference, status=Status.SENT).exists()
