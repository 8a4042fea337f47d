"""Thin Celery tasks for complaints and information governance."""

from celery import shared_task

from .services import subject_access_export_produce


@shared_task
def produce_subject_access_export(export_id: str) -> str:
    """Produce the subject access export file for one export record."""
    return subject_access_export_produce(export_id=export_id).status
