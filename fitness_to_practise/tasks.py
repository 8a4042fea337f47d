"""Thin Celery tasks: they call a service and return its counts."""

from celery import shared_task

from . import services


@shared_task(name="fitness_to_practise.orders_sweep")
def orders_sweep() -> dict[str, int]:
    """Daily: list reviews of orders falling due soon; record orders that have ended (advisory-locked)."""
    return services.orders_sweep()
