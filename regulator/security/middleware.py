"""Middleware for the edges of every request: the database unavailable (503), browser hardening
headers, session lifetimes and privilege rotation, and the two-factor requirement for staff."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.urls import reverse
from django.utils.http import urlencode

from .log import request_id, security_event
from .policy import is_staff_user, requires_two_factor, two_factor_verified

# How long to ask a caller to wait when the database is unavailable (a restart takes seconds).
DATABASE_RETRY_AFTER_SECONDS = 5
STARTED_KEY = "_session_started"
SEEN_KEY = "_session_last_seen"
PRIVILEGES_KEY = "_session_privileges"
# The last-seen time is written at most this often, so a busy page does not write its session each request.
SEEN_RESOLUTION_SECONDS = 60


def database_unavailable(request) -> HttpResponse:
    """503 with a retry message: JSON for the API, a GOV.UK page for people."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": "The service is briefly unavailable. Try again in a few seconds."}, status=503
        )
    else:
        # Drawn without the request: its context (the user, their roles) would need the database.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that loses its database connection answers 503, not 500; the connection is dropped, so
    the next request opens a fresh one (CONN_HEALTH_CHECKS) and the app recovers by itself. Errors raised
    by other middleware (loading the session, the user) reach regulator.views.server_error, which does
    the same."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            security_event(request, "database.unavailable", user=False, error=type(exception).__name__)
            return database_unavailable(request)
        return None


class BrowserHardeningMiddleware:
    """Permissions-Policy on every answer; `Cache-Control: no-store` on every page and API answer
    except static assets and the public register's cached pages, so no personal data stays in a cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id(request)
        response = self.get_response(request)
        _log_refusals(request, response)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if not request.path.startswith((settings.STATIC_URL if settings.STATIC_URL.startswith("/")
                                        else "/" + settings.STATIC_URL, "/assets/")):
            response["Cache-Control"] = "no-store"
        return response


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _log_refusals(request, response) -> None:
    """Refused access (403) and refused writes (400, with the names of the fields at fault, never their values)."""
    status = response.status_code
    if status == 403:
        security_event(request, "access.refused", status=403)
    elif status == 400 and request.method in WRITE_METHODS:
        data = getattr(response, "data", None)
        fields = ",".join(sorted(str(k) for k in data)[:20]) if isinstance(data, dict) else ""
        security_event(request, "validation.failed", status=400, fields=fields)


def _privileges(user) -> str:
    from regulator.roles import role_names

    fingerprint = f"{user.is_staff}:{user.is_superuser}:{','.join(sorted(role_names(user)))}"
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:16]


def session_limits(user) -> tuple[int, int]:
    """(idle, absolute) seconds for the user's sessions: staff shorter than registrants."""
    if is_staff_user(user):
        return settings.SESSION_STAFF_IDLE_SECONDS, settings.SESSION_STAFF_ABSOLUTE_SECONDS
    return settings.SESSION_REGISTRANT_IDLE_SECONDS, settings.SESSION_REGISTRANT_ABSOLUTE_SECONDS


def session_started(request, user) -> None:
    """Called at sign-in: start the clocks and remember the privileges the session was given."""
    now = int(time.time())
    request.session[STARTED_KEY] = now
    request.session[SEEN_KEY] = now
    request.session[PRIVILEGES_KEY] = _privileges(user)
    request.session.set_expiry(session_limits(user)[0])


class SessionLifetimeMiddleware:
    """Ends a session after its idle or absolute limit (the cookie expires at the idle limit too, so
    this works with no JavaScript), and gives the session a new key when the user's privileges change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            expired = self._expired(request, user)
            if expired:
                security_event(request, "session.expired", user=user, limit=expired)
                staff = is_staff_user(user)
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Your session has ended. Sign in again."}, status=403)
                idle = settings.SESSION_STAFF_IDLE_SECONDS if staff else settings.SESSION_REGISTRANT_IDLE_SECONDS
                messages.info(
                    request,
                    f"You were signed out after {idle // 60} minutes without activity."
                    if expired == "idle"
                    else "You were signed out because you had been signed in for the longest time allowed.",
                )
                return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _expired(self, request, user) -> str:
        session = request.session
        now = int(time.time())
        started = session.get(STARTED_KEY)
        seen = session.get(SEEN_KEY)
        if started is None or seen is None:  # a session from before these rules: start its clocks now
            session_started(request, user)
            return ""
        idle, absolute = session_limits(user)
        if now - seen > idle:
            return "idle"
        if now - started > absolute:
            return "absolute"
        privileges = _privileges(user)
        if session.get(PRIVILEGES_KEY) != privileges:
            # Roles granted or withdrawn since sign-in: a new session key, so an old one is worth nothing.
            session.cycle_key()
            session[PRIVILEGES_KEY] = privileges
            security_event(request, "session.privileges_changed", user=user)
        keep_alive = request.path == reverse("session-keep-alive")
        if keep_alive or now - seen >= SEEN_RESOLUTION_SECONDS or seen > now:
            session[SEEN_KEY] = now
            session.set_expiry(idle)
        return ""


# Paths a signed-in staff member who has not yet given a second factor may still use.
TWO_FACTOR_OPEN_PREFIXES = ("/sign-in/", "/sign-out/", "/two-factor/", "/csp-report/", "/healthz/", "/assets/")


class TwoFactorRequiredMiddleware:
    """Every staff role and the administrator must give a second factor before anything else; a
    registrant who has enrolled a device must too. Pages send them to set it up or to give a code; the
    API answers 403 (other systems use tokens, see tokens.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_OPEN_PREFIXES)
            and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))
            and requires_two_factor(user, request)
            and not two_factor_verified(request)
        ):
            if request.path.startswith("/api/"):
                security_event(request, "access.refused", reason="two_factor_needed", status=403)
                return JsonResponse({"detail": "Give your two-factor authentication code first."}, status=403)
            return redirect(f"{reverse('two-factor-verify')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _email_key(group, request):
    import hashlib as _hashlib

    email = str(request.POST.get("email", "")).strip().lower()[:254]
    return _hashlib.sha256(email.encode()).hexdigest()


class PublicThrottleMiddleware:
    """Per-address limits on the public pages that cost the most or can be abused: the register's pages
    (a generous rate for people), sign-up and password reset (and reset per email address). The API has
    DRF's throttles (throttles.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .throttles import page_throttled

        path = request.path
        refused = None
        if path.startswith("/register/") and not request.user.is_authenticated:
            refused = page_throttled(request, group="register-pages", rate=settings.REGULATOR_PUBLIC_PAGES_RATE)
        elif request.method == "POST" and path == "/account/sign-up/":
            refused = page_throttled(request, group="sign-up", rate=settings.REGULATOR_SIGN_UP_RATE)
        elif request.method == "POST" and path == "/account/password-reset/":
            refused = page_throttled(
                request, group="password-reset", rate=settings.REGULATOR_PASSWORD_RESET_RATE
            ) or page_throttled(
                request, group="password-reset-account", rate=settings.REGULATOR_PASSWORD_RESET_PER_ACCOUNT_RATE,
                key=_email_key,
            )
        return refused or self.get_response(request)
