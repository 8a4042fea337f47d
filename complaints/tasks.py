"""Thin Celery tasks for complaints and information governance."""

from celery import shared_task

from .services import subject_access_export_produce


@shared_task(reject_on_worker_lost=True, soft_time_limit=540, time_limit=600)
def produce_subject_access_export(export_id: str) -> str:
    """Produce the subject access export file for one export record (queued through the outbox). Safe
    twice: an export that is not queued any more is left alone. The hard limit is EXPORT_STUCK_AFTER."""
    return subject_access_export_produce(export_id=export_id).status
