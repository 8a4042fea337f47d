"""Tasks every app shares, each thin (it calls one function and returns a count): the outbox sweep,
and the service-standard timers (they take ids, call regulator.timers or regulator.timer_digests).
Late-acknowledged with time limits; a worker that dies mid-task leaves the message to be delivered
again (the work is idempotent and all-or-nothing)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import OperationalError

from . import outbox, timer_digests, timers
from .transitions import today

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(
    name="regulator.refresh_timers",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
    **RETRY,
)
def refresh_timers(kind: str, item_ids: list[int]) -> int:
    """Queued on commit by timers.items_changed: rewrite these items' timers from their events."""
    return timers.refresh(kind, item_ids)


@shared_task(
    name="regulator.timers_nightly",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
    **RETRY,
)
def timers_nightly(day: str | None = None) -> dict:
    """The nightly sweep over every open item, then each officer's and team lead's digest. `day`
    (ISO) runs it for a given day, as an operator re-running a missed night would; today by default."""
    on = dt.date.fromisoformat(day) if day else today()
    result = timers.sweep(today=on)
    sent = timer_digests.digests_send(today=on)
    return {"derived": result.derived, "caught_up": result.caught_up, "digests": sent}


@shared_task(name="regulator.outbox_sweep", time_limit=120, soft_time_limit=100)
def outbox_sweep() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE "regulator-outbox-sweep"): dispatch the queued work the broker
    missed. Idempotent: advisory-locked, and only messages not yet done are sent."""
    return outbox.outbox_sweep()
