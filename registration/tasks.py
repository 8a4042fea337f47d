"""Registration's Celery tasks: thin, they take ids and call a service."""

from celery import shared_task
from django.utils import timezone

from . import services
from .models import RenewalWindowClosure


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_letter(letter_id: int) -> bool:
    return services.letter_send(letter_id=letter_id)


@shared_task
def close_renewal_window(closure_id: int) -> dict:
    closure = RenewalWindowClosure.objects.select_related("requested_by").get(pk=closure_id)
    return services.renewal_window_close(
        year_ends=closure.registration_year_ends, actor=closure.requested_by, closure_id=closure.pk
    )


@shared_task
def send_renewal_reminders() -> int:
    from .reminders import renewal_reminders_send

    return renewal_reminders_send(today=timezone.localdate())
