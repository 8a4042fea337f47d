"""The security log: one JSON line per event, in UTC, naming the user, the client's address, the
request id and the path, and never a password, a token or personal data.

`security_event(request, "signin.failed", ...)` is the one way to write it. The formatter is a small
class of its own so the project's general JSON logging can adopt it (or replace it) without touching
the callers."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import uuid

from django.conf import settings

logger = logging.getLogger("security")

# Keys a caller may never pass, whatever the event: the log is read by people who must not see them.
FORBIDDEN_KEYS = frozenset({"password", "token", "secret", "otp_token", "code", "email", "name", "key"})
MAX_VALUE_LENGTH = 200


def client_address(request) -> str:
    """The caller's address. Behind proxies, the configured header's entry that the nearest trusted proxy
    added (counting REGULATOR_CLIENT_IP_PROXY_COUNT from the right: entries to its left are whatever the
    client sent, so never trusted); with no header configured, the peer's address."""
    header = getattr(settings, "REGULATOR_CLIENT_IP_HEADER", "")
    if header:
        forwarded = [part.strip() for part in str(request.META.get(header, "")).split(",") if part.strip()]
        count = max(1, int(getattr(settings, "REGULATOR_CLIENT_IP_PROXY_COUNT", 1)))
        if len(forwarded) >= count:
            return forwarded[-count][:64]
    # No peer address at all (a Unix socket, a bare WSGI call): one shared bucket, never an empty string, which
    # django-ratelimit cannot read as an address (it answered 500).
    return str(request.META.get("REMOTE_ADDR") or "0.0.0.0")[:64]  # noqa: S104  # nosec B104 (a label, not a bind)


def request_id(request) -> str:
    """The request's id: the one the front proxy sent (X-Request-ID), else one made here, once."""
    if request is None:
        return ""
    existing = getattr(request, "request_id", None)
    if existing:
        return existing
    given = str(request.META.get("HTTP_X_REQUEST_ID", ""))[:64]
    made = given if given and given.replace("-", "").isalnum() else uuid.uuid4().hex
    with contextlib.suppress(AttributeError):  # a read-only request object
        request.request_id = made
    return made


def _user_label(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return str(user.pk)


def security_event(request, event: str, *, user=None, level: int = logging.INFO, **details) -> None:
    """Write one security event. `user` defaults to the request's user; `details` are short, non-personal
    facts (a status code, a field name, a role, a token's id), never a secret or a person's data."""
    clash = FORBIDDEN_KEYS & details.keys()
    if clash:
        raise ValueError(f"the security log never carries {sorted(clash)}")
    if user is None and request is not None:
        user = getattr(request, "user", None)
    record = {
        "event": event,
        "user": _user_label(user),
        "address": client_address(request) if request is not None else "",
        "request_id": request_id(request),
        "path": str(request.path)[:MAX_VALUE_LENGTH] if request is not None else "",
        "method": request.method if request is not None else "",
    }
    for key, value in details.items():
        record[key] = value if isinstance(value, int | bool | None) else str(value)[:MAX_VALUE_LENGTH]
    logger.log(level, event, extra={"security": record})


class JSONLineFormatter(logging.Formatter):
    """One JSON object per line, time in UTC with a Z. A security record carries its fields in `security`."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds").replace(
                "+00:00", "Z"
            ),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "security", None)
        if isinstance(fields, dict):
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        return json.dumps(line, ensure_ascii=False, default=str)


def axes_username(request, credentials) -> str:
    """The username django-axes counts failures against: bounded to its column, so a huge one is no 500."""
    value = (credentials or {}).get("username") or ""
    return str(value)[:254]
