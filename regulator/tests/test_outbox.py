"""Queued work is never lost: the transactional outbox, its sweep, and the broker-down test on a real
worker and Redis (issue 12: the work is done once the broker returns, exactly once)."""

import contextlib
import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from registration.models import Letter
from registration.tasks import send_letter
from registration.tests.helpers import received
from regulator import outbox
from regulator.celery import app
from regulator.models import Notification, OutboxMessage
from tests.factories import UserFactory

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1: the broker is "down"


@contextlib.contextmanager
def real_broker(url: str | None = None):
    """Tasks go through the broker (not in process); published to `url` if given. The app's pools are
    rebuilt so the next publish really connects there."""
    previous_url, previous_eager = app.conf.broker_write_url, app.conf.task_always_eager

    def point(at):
        app.conf.broker_write_url = at
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.task_always_eager = False
    point(url or previous_url)
    try:
        yield
    finally:
        point(previous_url)
        app.conf.task_always_eager = previous_eager


def worker():
    return start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10)


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def received_alone():
    """A received application, with the outbox and the mailbox emptied of what building it queued (the
    applicant's sign-up confirmation), so the approval's letter is the only message in the test."""
    application = received()
    OutboxMessage.objects.all().delete()
    mail.outbox.clear()
    return application


@pytest.mark.django_db(transaction=True)
def test_a_message_is_recorded_only_if_the_action_commits():
    with contextlib.suppress(RuntimeError), transaction.atomic():
        outbox.enqueue(send_letter, letter_id=1)
        raise RuntimeError("the action failed")
    assert not OutboxMessage.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_approval_succeeds_and_its_letter_is_sent_once_when_the_broker_returns(client):
    officer = UserFactory(roles=["registration_officer"])
    application = received_alone()
    client.force_login(officer)
    with real_broker(CLOSED_PORT):
        started = time.monotonic()
        response = client.post(
            reverse("api-application-approve", args=[application.pk]), {}, content_type="application/json"
        )
        took = time.monotonic() - started
    assert response.status_code == 200, response.content  # committed, so the action answers success
    assert took < 10
    letter = Letter.objects.get(application=application)
    message = OutboxMessage.objects.get()
    assert message.kwargs == {"letter_id": letter.pk} and message.dispatched_at is None
    assert message.dispatch_attempts == 1 and "Error" in message.last_error
    assert letter.sent_at is None and mail.outbox == []

    with real_broker(), worker():
        assert outbox.outbox_sweep(grace=dt.timedelta(0)) == 1  # the broker is back: the sweep dispatches it
        assert wait_for(lambda: OutboxMessage.objects.filter(done_at__isnull=False).exists())
        assert outbox.outbox_sweep(grace=dt.timedelta(0)) == 0  # done: never dispatched again
        time.sleep(0.5)
    letter.refresh_from_db()
    assert letter.sent_at is not None
    assert len(mail.outbox) == 1 and "approved" in mail.outbox[0].subject
    assert Notification.objects.get().status == Notification.Status.SENT


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_message_the_sweep_sends_twice_still_sends_the_letter_once():
    """The broker took a message but the row was not marked (or it was lost): the re-dispatch is harmless."""
    officer = UserFactory(roles=["registration_officer"])
    application = received_alone()
    with real_broker(), worker():
        from registration import services

        services.application_approve(application=application, actor=officer, version=None)
        assert wait_for(lambda: OutboxMessage.objects.filter(done_at__isnull=False).exists())
        message = OutboxMessage.objects.get()
        long_ago = timezone.now() - dt.timedelta(days=1)
        OutboxMessage.objects.filter(pk=message.pk).update(done_at=None, dispatched_at=long_ago, created_at=long_ago)
        assert outbox.outbox_sweep() == 1
        assert wait_for(lambda: OutboxMessage.objects.filter(done_at__isnull=False).exists())
        time.sleep(0.3)
    assert len(mail.outbox) == 1
    assert Notification.objects.get().attempts == 1


HARMLESS = "fitness_to_practise.orders_sweep"  # idempotent, and a no-op on an empty register


@pytest.mark.django_db
def test_the_sweep_leaves_new_messages_to_their_own_dispatch_and_done_ones_alone(django_capture_on_commit_callbacks):
    now = timezone.now()
    fresh = OutboxMessage.objects.create(task_name=HARMLESS, kwargs={}, created_at=now)
    OutboxMessage.objects.create(task_name=HARMLESS, kwargs={}, created_at=now - dt.timedelta(hours=1), done_at=now)
    recently_dispatched = OutboxMessage.objects.create(
        task_name=HARMLESS,
        kwargs={},
        created_at=now - dt.timedelta(minutes=5),
        dispatched_at=now - dt.timedelta(minutes=5),
    )
    assert outbox.outbox_sweep(now=now) == 0
    assert outbox.outbox_sweep(now=now + dt.timedelta(minutes=1)) == 1  # the fresh one, after its grace
    fresh.refresh_from_db()
    recently_dispatched.refresh_from_db()
    assert fresh.done_at is not None  # eager here: the task (an idempotent sweep) ran and marked it done
    assert recently_dispatched.done_at is None  # dispatched five minutes ago: still the broker's
