"""Registration's Celery tasks on a real worker against the Redis broker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from registration import services
from registration.models import Letter, RenewalWindowClosure
from registration.selectors import renewal_window_preview
from registration.tests.helpers import received
from regulator.celery import app
from tests.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = previous


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_decision_letter_is_emailed_by_the_worker_after_the_approval_commits(worker):
    officer = UserFactory(roles=["registration_officer"])
    application = received()
    services.application_approve(application=application, actor=officer, version=None)
    assert wait_for(lambda: Letter.objects.filter(application=application, sent_at__isnull=False).exists())
    assert any("approved" in m.subject for m in mail.outbox)


def test_the_end_of_window_job_runs_on_the_worker_and_reports_its_counts(worker):
    officer = UserFactory(roles=["registration_officer"])
    closure = services.renewal_window_closure_request(actor=officer, confirmation=renewal_window_preview().confirmation)
    assert wait_for(lambda: RenewalWindowClosure.objects.get(pk=closure.pk).status != "queued")
    closure.refresh_from_db()
    assert closure.status == "completed" and closure.completed_at is not None
