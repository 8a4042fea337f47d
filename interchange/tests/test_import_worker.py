"""The history import job on a real Celery worker, and what a redelivered job does."""

from typing import cast

import pytest
from django.utils import timezone

from interchange import services
from interchange.importer import total_bytes
from interchange.models import ImportJob
from registration.models import Call, RegisterEntry
from registration.tests.test_registration_worker import wait_for, worker  # noqa: F401  (the worker fixture)
from regulator.models import User
from tests.factories import UserFactory

from .folders import SMALL, write_folder

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]  # real workers: too slow to rerun daily


def a_job(tmp_path, status) -> ImportJob:
    folder = write_folder(tmp_path / "folder", SMALL)
    administrator = cast(User, UserFactory(roles=["administrator"]))
    return ImportJob.objects.create(
        status=status,
        folder=str(folder),
        original_name="history.zip",
        uploaded_at=timezone.now(),
        uploaded_by=administrator,
        bytes_total=total_bytes(folder),
    )


def test_a_confirmed_import_runs_on_the_worker_and_the_job_says_done(worker, tmp_path):  # noqa: F811
    job = a_job(tmp_path, ImportJob.Status.CHECKED)
    services.import_job_confirm(job_id=job.pk, actor=job.uploaded_by)
    assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).status in ("done", "failed"), seconds=60)
    job.refresh_from_db()
    assert job.status == "done" and RegisterEntry.objects.count() == 3 and Call.objects.count() == 4


def test_a_job_redelivered_after_its_worker_died_mid_import_runs_again_from_nothing(tmp_path):
    """The worker died with the job running: its transaction never committed, so the rerun imports all."""
    job = a_job(tmp_path, ImportJob.Status.RUNNING)
    assert services.import_job_run(job_id=job.pk).status == "done"
    assert RegisterEntry.objects.count() == 3


def test_a_job_delivered_twice_imports_once(tmp_path):
    job = a_job(tmp_path, ImportJob.Status.QUEUED)
    services.import_job_run(job_id=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)  # as if the ack was lost
    again = services.import_job_run(job_id=job.pk)
    assert again.status == "done" and again.import_report["counts"]["registrants.csv"]["new"] == 0
    assert RegisterEntry.objects.count() == 3 and Call.objects.count() == 4
