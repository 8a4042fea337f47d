"""Throttles: DRF's for the API, one helper for pages; both key on the configured client address and
answer 429 with Retry-After."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited
from rest_framework.throttling import SimpleRateThrottle

from .log import client_address, security_event


class PublicAddressThrottle(SimpleRateThrottle):
    """A generous rate per address for callers who are not signed in (the public register, the concern
    API); signed-in users and systems with tokens are not throttled here."""

    scope = "public"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        if not allowed:
            security_event(request._request, "throttle.refused", user=False, scope=self.scope, status=429)
        return allowed


def _client_key(group, request):
    return client_address(request)


def _period_seconds(rate: str) -> int:
    _, _, period = rate.partition("/")
    unit = period[-1:] if period else "m"
    number = int(period[:-1]) if period[:-1].isdigit() else 1
    return number * {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(unit, 60)


def page_throttled(request, *, group: str, rate: str, key=_client_key, template: str = "429.html"):
    """The 429 page if the caller has passed `rate` for `group` (counting this request), else None."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return None
    if is_ratelimited(request, group=group, key=key, rate=rate, increment=True):
        security_event(request, "throttle.refused", user=False, scope=group, status=429)
        response = render(request, template, {"retry_after_minutes": max(1, _period_seconds(rate) // 60)},
                          status=429)
        response["Retry-After"] = str(_period_seconds(rate))
        return response
    return None
