"""Thin Celery tasks for the administrator's history import. acks_late: a task taken by a worker
that dies is delivered again, and the services make a second run safe (one transaction, idempotent)."""

from celery import shared_task

from .services import import_job_check, import_job_run


@shared_task(acks_late=True, reject_on_worker_lost=True)
def check_history(job_id: str) -> str:
    return import_job_check(job_id=job_id).status


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_history_import(job_id: str) -> str:
    return import_job_run(job_id=job_id).status
