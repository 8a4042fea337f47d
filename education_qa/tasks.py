"""Thin Celery tasks for education QA: they take ids and call a service."""

from celery import shared_task
from django.db import connection

from .models import MonitoringCycle, MonitoringReturn
from .services import monitoring_returns_chase

# Two workers never chase at once: the sweep holds this PostgreSQL advisory lock while it runs.
CHASE_LOCK_KEY = 5_300_001


@shared_task(soft_time_limit=240, time_limit=300)
def chase_monitoring_returns(cycle_id: int) -> int:
    """Email every provider with returns outstanding in the cycle (queued through the outbox by an officer's
    chase). Not yet idempotent: the outbox re-dispatches it only if it never reached the broker, or after
    OUTBOX_REDISPATCH_AFTER_SECONDS without finishing."""
    return monitoring_returns_chase(cycle=MonitoringCycle.objects.get(pk=cycle_id), actor="chase_monitoring_returns")


@shared_task(soft_time_limit=240, time_limit=300)
def chase_overdue_monitoring_returns() -> int:
    """Mondays at 09:00 (CELERY_BEAT_SCHEDULE "education-qa-chase-overdue-monitoring-returns"): chase every
    cycle past its due date that still awaits returns. Advisory-locked: two workers never chase at once."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [CHASE_LOCK_KEY])
            if not cursor.fetchone()[0]:
                return 0
    try:
        from django.utils import timezone

        cycles = (
            MonitoringReturn.objects.filter(
                status=MonitoringReturn.Status.AWAITED, cycle__due_on__lt=timezone.localdate()
            )
            .order_by()
            .values_list("cycle_id", flat=True)
            .distinct()
        )
        return sum(chase_monitoring_returns(cycle_id) for cycle_id in cycles)
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [CHASE_LOCK_KEY])
