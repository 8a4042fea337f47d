"""Thin Celery tasks: they call a service and return its counts."""

from celery import shared_task

from regulator.notifications import TemporaryFailure

from . import services


@shared_task(name="fitness_to_practise.orders_sweep", reject_on_worker_lost=True, soft_time_limit=240, time_limit=300)
def orders_sweep() -> dict[str, int]:
    """Hourly (CELERY_BEAT_SCHEDULE "ftp-orders-sweep"): list reviews of orders falling due soon; record orders
    that have ended. Safe twice: advisory-locked, and an order already ended is not ended again."""
    return services.orders_sweep()


@shared_task(
    autoretry_for=(TemporaryFailure,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    reject_on_worker_lost=True,
    soft_time_limit=50,
    time_limit=60,
)
def email_letter(letter_id: int) -> bool:
    """Email one FTP letter (queued through the outbox by the step that wrote it). Safe twice: one
    Notification per letter ("ftp-letter:<id>")."""
    return services.letter_email(letter_id=letter_id)
