"""The transactional outbox: queued work is never lost when the broker is down.

An action that must start a job calls `enqueue(task, **kwargs)` inside its own transaction: the
`OutboxMessage` row commits (or rolls back) with the action's records. After the commit the message is
handed to the broker at once; if the broker is unreachable the action still answers success (it has
committed) and the beat sweep (`outbox_sweep`, every minute) dispatches what the broker missed.

The Celery task id is "outbox-<id>", so the worker marks the row done when the task ends well
(`task_postrun`). The sweep may send a message twice (the broker took it but the row was not marked,
or a message dispatched long ago never ran): every task sent through here must be idempotent, and each
one says how in its docstring.
"""

from __future__ import annotations

import datetime as dt
import logging
import zlib

from celery import states
from celery.signals import task_postrun
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .logging import request_id
from .models import OutboxMessage

logger = logging.getLogger(__name__)

TASK_ID_PREFIX = "outbox-"
SWEEP_LOCK = zlib.crc32(b"regulator.outbox_sweep")
# A short publishing retry: a broker that is down must not hold the web request for long.
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def enqueue(task, /, **kwargs) -> OutboxMessage:
    """Record that `task` must run with these keyword arguments, in the caller's transaction."""
    message = OutboxMessage.objects.create(
        task_name=task.name, kwargs=kwargs, created_at=timezone.now(), request_id=request_id.get()
    )
    transaction.on_commit(lambda: dispatch(message))
    return message


def dispatch(message: OutboxMessage) -> bool:
    """Hand one message to the broker. True when the broker took it; never raises for a broker that is
    down (the sweep tries again), but in eager mode (tests, a first run) the task's own error propagates."""
    from .celery import app

    if message.task_name not in app.tasks:  # a sweep run by a command: the apps' tasks not imported yet
        app.loader.import_default_modules()
    task = app.tasks[message.task_name]
    token = request_id.set(message.request_id or request_id.get())
    try:
        task.apply_async(
            kwargs=message.kwargs,
            task_id=f"{TASK_ID_PREFIX}{message.pk}",
            retry=True,
            retry_policy=PUBLISH_RETRY_POLICY,
        )
    except Exception as error:
        if app.conf.task_always_eager:
            raise
        OutboxMessage.objects.filter(pk=message.pk).update(
            dispatch_attempts=F("dispatch_attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        logger.warning(
            "outbox dispatch failed; the sweep will retry",
            extra={"outbox_id": message.pk, "task": message.task_name, "error": type(error).__name__},
        )
        return False
    finally:
        request_id.reset(token)
    OutboxMessage.objects.filter(pk=message.pk).update(
        dispatched_at=timezone.now(), dispatch_attempts=F("dispatch_attempts") + 1, last_error=""
    )
    return True


def outbox_sweep(*, now: dt.datetime | None = None, grace: dt.timedelta | None = None) -> int:
    """Dispatch what the broker missed: every message not done that was never dispatched (older than
    `grace`, so an action's own dispatch goes first) or was dispatched longer ago than
    settings.OUTBOX_REDISPATCH_AFTER (a message the broker lost). Returns how many the broker took.
    Advisory-locked: two sweeps never run at once."""
    now = now or timezone.now()
    grace = dt.timedelta(seconds=settings.OUTBOX_GRACE_SECONDS) if grace is None else grace
    lost_before = now - dt.timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER_SECONDS)
    with _lock() as got:
        if not got:
            return 0
        missed = (
            OutboxMessage.objects.filter(done_at__isnull=True, created_at__lte=now - grace)
            .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=lost_before))
            .order_by("created_at")[: settings.OUTBOX_SWEEP_BATCH]
        )
        return sum(dispatch(message) for message in missed)


class _lock:
    def __enter__(self) -> bool:
        if connection.vendor != "postgresql":
            return True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [SWEEP_LOCK])
            self.held = bool(cursor.fetchone()[0])
        return self.held

    def __exit__(self, *exc) -> None:
        if connection.vendor == "postgresql" and self.held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [SWEEP_LOCK])


@task_postrun.connect(dispatch_uid="regulator.outbox.mark_done")
def _mark_done(task_id=None, state=None, **_) -> None:
    if task_id and task_id.startswith(TASK_ID_PREFIX) and state == states.SUCCESS:
        OutboxMessage.objects.filter(pk=int(task_id.removeprefix(TASK_ID_PREFIX)), done_at__isnull=True).update(
            done_at=timezone.now()
        )
