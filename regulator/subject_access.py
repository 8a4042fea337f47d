"""The subject access protocol: every app that holds personal data about registrants provides
`<app>/subject_access.py` with

    def export(registrant) -> dict[str, list[dict]]

returning every record it holds about that registrant (section name -> rows of JSON-serialisable
dicts), and nobody else's. `collect` gathers them all for the subject access export job.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from .audit import _jsonable
from .models import AuditEvent

APPS = ("registration", "fitness_to_practise", "education_qa", "complaints")


def modules() -> dict[str, Any]:
    """Each app's subject_access module, skipping apps that have none yet."""
    found = {}
    for app in APPS:
        name = f"{app}.subject_access"
        if importlib.util.find_spec(app) and importlib.util.find_spec(name):
            found[app] = importlib.import_module(name)
    return found


def collect(registrant) -> dict[str, dict[str, list[dict]]]:
    """Everything the product holds about a registrant: app -> section -> rows."""
    return {app: _jsonable(module.export(registrant)) for app, module in modules().items()}


def rows(queryset, fields: list[str] | None = None) -> list[dict]:
    """Model rows as JSON-serialisable dicts (all concrete fields unless named)."""
    names = fields or [f.attname for f in queryset.model._meta.concrete_fields]
    return [_jsonable(row) for row in queryset.values(*names)]


def audit_rows(objects: dict[str, list]) -> list[dict]:
    """The audit events about the given records ({object_type: [ids]}), oldest first."""
    from django.db.models import Q

    query = Q(pk__in=[])
    for object_type, ids in objects.items():
        if ids:
            query |= Q(object_type=object_type, object_id__in=[str(i) for i in ids])
    return rows(
        AuditEvent.objects.filter(query).order_by("at", "id"),
        ["at", "actor_label", "action", "object_type", "object_id", "before", "after", "reason"],
    )
