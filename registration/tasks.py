"""Registration's Celery tasks: thin, they take ids and call a service. Each is started through the
outbox (regulator/outbox.py) or by beat, and is safe to run twice: its docstring says why."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone

from regulator.notifications import TemporaryFailure

from . import services
from .models import RenewalWindowClosure

LONGEST = settings.CELERY_LONGEST_TASK_SECONDS


@shared_task(
    autoretry_for=(TemporaryFailure,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    reject_on_worker_lost=True,
    soft_time_limit=50,
    time_limit=60,
)
def send_letter(letter_id: int) -> bool:
    """Email one decision letter (queued by the decision, through the outbox). Safe twice: one
    Notification per letter ("registration-letter:<id>"), so a second run sends nothing."""
    return services.letter_send(letter_id=letter_id)


@shared_task(reject_on_worker_lost=True, soft_time_limit=LONGEST - 60, time_limit=LONGEST)
def close_renewal_window(closure_id: int) -> dict:
    """The end-of-window removal an officer asked for (through the outbox). Safe twice: a closure that is
    not queued any more is left alone, and the removal itself finds nobody the second time."""
    closure = RenewalWindowClosure.objects.select_related("requested_by").get(pk=closure_id)
    if closure.status != RenewalWindowClosure.Status.QUEUED:
        return {"removed": 0, "added_to_temporary": 0, "renewed": 0, "skipped": 1}
    return services.renewal_window_close(
        year_ends=closure.registration_year_ends, actor=closure.requested_by, closure_id=closure.pk
    )


@shared_task(
    bind=True,
    autoretry_for=(TemporaryFailure,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    reject_on_worker_lost=True,
    soft_time_limit=LONGEST - 60,
    time_limit=LONGEST,
)
def send_renewal_reminders(self, day: str | None = None) -> int:
    """Daily at 09:00 (CELERY_BEAT_SCHEDULE "registration-renewal-reminders"): on the reminder days before
    the window closes, one reminder to each registrant who has not renewed. Safe twice: one Notification
    per person and reminder day, so a re-run (or this task retried after its soft limit) sends only the
    missing ones. `day` (ISO date) re-runs the sweep for a past day (manage.py rerun_sweep)."""
    import datetime as dt

    from .reminders import renewal_reminders_send

    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    try:
        return renewal_reminders_send(today=today)
    except SoftTimeLimitExceeded as limit:  # the rest are still pending: carry on in a fresh run
        raise self.retry(countdown=5, kwargs={"day": today.isoformat()}) from limit


@shared_task(soft_time_limit=600, time_limit=660, acks_late=True, reject_on_worker_lost=True)
def end_temporary_registrations() -> dict:
    """Daily at 00:05 (CELERY_BEAT_SCHEDULE): temporary registrations end on their end date.
    Idempotent (one statement under an advisory lock), so a redelivery after a lost worker is safe."""
    return services.temporary_registrations_end(today=timezone.localdate())


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    reject_on_worker_lost=True,
    soft_time_limit=50,
    time_limit=60,
)
def send_account_email(kind: str, user_id: int | None = None, email: str = "") -> int:
    """Send a sign-up confirmation, an "you already have an account" email or a password reset link
    (queued through the outbox by the sign-up and reset pages). Safe twice: see account_email_send."""
    from .account_emails import account_email_send

    return account_email_send(kind=kind, user_id=user_id, email=email)
