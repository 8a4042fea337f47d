"""Liveness and readiness (django-health-check): /healthz/ says the process answers; /readyz/ checks
what a request needs, the database, the cache, the broker and the storage, and answers 503 if one fails.

Load balancers and docker-compose's healthchecks use /readyz/; nothing here shows data or settings."""

import asyncio
import dataclasses
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views import View
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker takes a connection (a worker need not be up for this process to be ready)."""

    timeout = dt.timedelta(seconds=3)

    def run(self) -> None:
        from .celery import app

        if app.conf.task_always_eager:
            return  # no broker: tasks run in process
        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
        except Exception as error:
            raise ServiceUnavailable("broker unreachable") from error


class _Checks(HealthCheckView):
    checks = (
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "regulator.health.Broker",
        "health_check.checks.Storage",
    )

    def get_checks(self):
        yield from super().get_checks()
        if getattr(settings, "DATABASE_REPLICA_ENABLED", False):
            yield Database(alias="replica")  # the public register's replica, when there is one


class ReadinessView(View):
    """django-health-check's view is async; the app is served by sync workers, whose thread may not start
    an event loop (or may have one running), so the checks run on a thread of their own."""

    def get(self, request, *args, **kwargs):
        checks = _Checks()
        checks.setup(request, *args, **kwargs)
        with ThreadPoolExecutor(max_workers=1) as pool:
            response = pool.submit(asyncio.run, checks.get(request, *args, **kwargs)).result()
        if response.status_code == 500:  # a dependency is down: "not ready", not a server error
            response.status_code = 503
            response["Retry-After"] = "10"
        patch_vary_headers(response, ["Accept"])
        add_never_cache_headers(response)
        return response


@never_cache
def liveness(request):
    """The process answers: no dependency is touched, so a database outage does not restart every node."""
    return JsonResponse({"status": "ok"})
