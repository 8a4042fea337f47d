"""The administrator's import: an uploaded zip becomes a checked folder, then (once confirmed) one
Celery job imports it. Every step is a function here; the pages and the tasks only call them."""

from __future__ import annotations

import shutil
import time
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from regulator.errors import InvalidTransition, RuleViolation

from . import formats
from .importer import import_history, total_bytes
from .models import ImportJob
from .reader import Progress

MAX_UNZIPPED_BYTES = 20 * 1024**3  # a national register with its history is a few GB of CSV


def _folder(job_id) -> Path:
    return Path(settings.MEDIA_ROOT) / "history-imports" / str(job_id)


def import_job_upload(*, upload, actor) -> ImportJob:
    """Unzip the folder (only the format's file names, flat, nothing else) and queue its check."""
    job_id = uuid.uuid4()
    folder = _folder(job_id)
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile:
        raise RuleViolation("The file must be a zip of the folder's CSV files.", field="archive") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        names = [Path(m.filename).name for m in members]
        unknown = sorted({n for n in names if n not in formats.BY_NAME})
        if unknown:
            raise RuleViolation(f"Not files of the format: {', '.join(unknown)}.", field="archive")
        if not members:
            raise RuleViolation("The zip holds no files.", field="archive")
        if len(set(names)) != len(names):
            raise RuleViolation("The zip holds the same file twice.", field="archive")
        if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
            raise RuleViolation("The folder is too large to import here: use import_history.", field="archive")
        folder.mkdir(parents=True)
        for member, name in zip(members, names, strict=True):
            with archive.open(member) as source, (folder / name).open("wb") as target:
                shutil.copyfileobj(source, target)
    job = ImportJob.objects.create(
        id=job_id,
        status=ImportJob.Status.QUEUED_CHECK,
        folder=str(folder),
        original_name=(getattr(upload, "name", "") or "history.zip")[:200],
        uploaded_by=actor,
        uploaded_at=timezone.now(),
        bytes_total=total_bytes(folder),
    )
    from .tasks import check_history

    transaction.on_commit(lambda: check_history.delay(str(job.id)))
    return job


class _ProgressWriter:
    """Tells the job's row how far the import has read, from a second connection: the import's own
    transaction is still open, so its writes are not yet visible to the page."""

    def __init__(self, job_id):
        self.job_id, self.last = job_id, 0.0
        self.connection = connections.create_connection("default")

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self.last < 1.0:
            return
        self.last = now
        with self.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE interchange_importjob SET bytes_done = %s, rows_done = %s WHERE id = %s",
                [progress.bytes_read, progress.rows_read, self.job_id],
            )

    def close(self) -> None:
        self.connection.close()


def _run(job: ImportJob, *, write: bool):
    writer = _ProgressWriter(job.id)
    progress: Progress | None = None

    def update(_bytes, _rows):
        writer(progress)

    progress = Progress(job.bytes_total, update)
    try:
        return import_history(Path(job.folder), write=write, progress=progress, actor=job.uploaded_by)
    finally:
        writer.close()


def import_job_check(*, job_id) -> ImportJob:
    """The dry run the administrator reads before confirming."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status not in (ImportJob.Status.QUEUED_CHECK, ImportJob.Status.CHECKING):
        return job  # already checked (a redelivered task)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING, started_at=timezone.now())
    report = _run(job, write=False)
    job.check_report = report.as_dict()
    job.status = ImportJob.Status.CHECKED if report.ok else ImportJob.Status.REFUSED
    job.bytes_done = job.rows_done = 0
    job.save(update_fields=["check_report", "status", "bytes_done", "rows_done"])
    return job


@transaction.atomic
def import_job_confirm(*, job_id, actor) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job_id)
    if job.status != ImportJob.Status.CHECKED:
        raise InvalidTransition("Only a checked folder with no problems can be imported.")
    job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["status"])
    from .tasks import run_history_import

    transaction.on_commit(lambda: run_history_import.delay(str(job.id)))
    return job


def import_job_run(*, job_id) -> ImportJob:
    """The import itself: idempotent, so a task redelivered after a worker died runs it again. The
    job is marked done in the import's own transaction: either both commit or neither does."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    try:
        with transaction.atomic():
            report = _run(job, write=True)
            if report.ok:
                ImportJob.objects.filter(pk=job.pk).update(
                    status=ImportJob.Status.DONE, import_report=report.as_dict(), finished_at=timezone.now()
                )
    except Exception as error:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, failure=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    if not report.ok:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            import_report=report.as_dict(),
            finished_at=timezone.now(),
            failure="The folder no longer checks clean against the database: nothing was written.",
        )
    job.refresh_from_db()
    return job
