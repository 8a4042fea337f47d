"""Structured logs: one JSON object a line, in UTC, each carrying the request id of the web request (or
the task it queued) that wrote it. The one formatter for every logger (security events included):
settings.LOGGING names `JsonFormatter` and `RequestIdFilter`.

The request id comes from a sane `X-Request-ID` header (set by the load balancer) or is made here; it is
sent back on the response, travels to Celery in the task's headers (and on the outbox row, so a task the
sweep dispatches later keeps it), and is set again in the worker while the task runs.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
from contextvars import ContextVar

from celery.signals import before_task_publish, task_postrun, task_prerun

request_id: ContextVar[str] = ContextVar("request_id", default="")
HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# The attributes every LogRecord has; anything else on a record is an `extra` and goes in the JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str, ensure_ascii=False)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (for the text format's %(request_id)s too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id.get()
        return True


def new_request_id(offered: str | None = None) -> str:
    return offered if offered and _SANE.match(offered) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_id.set(new_request_id(request.headers.get(HEADER)))
        try:
            request.request_id = request_id.get()
            response = self.get_response(request)
            response[HEADER] = request.request_id
            return response
        finally:
            request_id.reset(token)


@before_task_publish.connect(dispatch_uid="regulator.logging.publish")
def _send_request_id(headers=None, **_) -> None:
    if headers is not None and request_id.get():
        headers.setdefault("request_id", request_id.get())


@task_prerun.connect(dispatch_uid="regulator.logging.prerun")
def _take_request_id(task=None, **_) -> None:
    if task is None or task.request.is_eager:
        return  # run in process: the caller's id is already set
    offered = getattr(task.request, "request_id", None) or (task.request.headers or {}).get("request_id")
    task.request._request_id_token = request_id.set(new_request_id(offered))


@task_postrun.connect(dispatch_uid="regulator.logging.postrun")
def _drop_request_id(task=None, **_) -> None:
    token = getattr(task.request, "_request_id_token", None) if task is not None else None
    if token is not None:
        request_id.reset(token)
        task.request._request_id_token = None
