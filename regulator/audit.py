"""The one audit trail every app writes to: who, when, what changed (before and after), why."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils import timezone

from .models import AuditEvent

SYSTEM = "system"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a record, for an audit before/after."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _jsonable(getattr(instance, name)) for name in names}


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one audit event. `actor` is a user, or None / a label for system jobs and imports."""
    user = actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None
    label = user.get_username() if user else (actor if isinstance(actor, str) and actor else SYSTEM)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id if object_id is not None else obj.pk
    changed_before, changed_after = _only_changes(before, after)
    return AuditEvent.objects.create(
        at=at or timezone.now(),
        actor=user,
        actor_label=label,
        action=action,
        object_type=object_type or "",
        object_id=str(object_id if object_id is not None else ""),
        before=changed_before,
        after=changed_after,
        reason=reason or "",
    )


def _only_changes(before, after):
    """Keep only the fields that changed when both sides are given, so the trail reads as a diff."""
    if before is None or after is None:
        return (
            _jsonable(dict(before)) if before is not None else None,
            _jsonable(dict(after)) if after is not None else None,
        )
    b, a = _jsonable(dict(before)), _jsonable(dict(after))
    keys = [k for k in a.keys() | b.keys() if a.get(k) != b.get(k)]
    return {k: b.get(k) for k in keys}, {k: a.get(k) for k in keys}


def audit_trail_for(obj: models.Model):
    """The audit events of one record, oldest first."""
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")
