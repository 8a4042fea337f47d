"""An optional read replica for the public register (decision 0802).

With DATABASE_REPLICA_URL set, GET and HEAD requests to the public register (/register/, /api/v1/register/)
read from the "replica" alias: the busiest, anonymous, read-only traffic moves off the primary. Everything
else reads the primary, and so does the public register:
- inside a transaction (a read that a write depends on);
- for a browser that changed something in the last REPLICA_PIN_SECONDS (a cookie set on every unsafe
  request), so a person sees what they just changed even while the replica lags.
Writes always go to the primary; migrations run only there.
"""

from __future__ import annotations

import time
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PIN_COOKIE = "primary_until"
PUBLIC_REGISTER_PREFIXES = ("/register/", "/api/v1/register/")
_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def replica_configured() -> bool:
    return bool(getattr(settings, "DATABASE_REPLICA_ENABLED", False)) and REPLICA in settings.DATABASES


class PublicRegisterReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_replica.get() and replica_configured() and not connections["default"].in_atomic_block:
            return REPLICA
        return None  # the primary

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Chooses the replica for the public register's reads, and pins a browser that just wrote to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pinned = _pinned(request)
        use_replica = (
            request.method in ("GET", "HEAD") and request.path.startswith(PUBLIC_REGISTER_PREFIXES) and not pinned
        )
        token = _reading_replica.set(use_replica and replica_configured())
        try:
            response = self.get_response(request)
        finally:
            _reading_replica.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS") and replica_configured():
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE, str(int(time.time()) + seconds), max_age=seconds, httponly=True, samesite="Lax",
                secure=request.is_secure(),
            )
        return response


def _pinned(request) -> bool:
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False
