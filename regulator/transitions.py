"""What every state-changing service does first and last: lock the row and check the caller saw the
current version and an allowed state; then save with the version moved on (optimistic concurrency,
so two officers acting on the same record at once cannot both succeed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from django.db import models
from django.utils import timezone

from .errors import InvalidTransition, RuleViolation, StaleState
from .working_days import local_date

M = TypeVar("M", bound=models.Model)


def lock_for_change(
    model: type[M],
    pk,
    *,
    version: int | None = None,
    allowed: Iterable[str] | None = None,
    action: str = "changed",
    state_field: str = "status",
    name: str | None = None,
) -> M:
    """The row, locked until the transaction ends.

    StaleState when `version` is given and the row has moved on since the caller read it;
    InvalidTransition when `allowed` is given and the row's state is not among them.
    """
    locked = model._default_manager.select_for_update().get(pk=pk)
    label = name or _label(locked)
    state_display = getattr(locked, f"get_{state_field}_display", lambda: getattr(locked, state_field, ""))()
    if version is not None and locked.version != version:  # type: ignore[attr-defined]
        now_is = f" (it is now {str(state_display).lower()})" if state_display else ""
        raise StaleState(f"{label} was changed by someone else since you opened it{now_is}. Reload it and try again.")
    if allowed is not None and getattr(locked, state_field) not in set(allowed):
        raise InvalidTransition(f"{label} is {str(state_display).lower()}, so it cannot be {action}.")
    return locked


def save_new_version(obj: models.Model, fields: Iterable[str]) -> None:
    """Save the changed fields and move the version on."""
    obj.version += 1  # type: ignore[attr-defined]
    obj.save(update_fields=[*fields, "version"])


def today() -> dt.date:
    """Today in Europe/London (the regulator's calendar date)."""
    return local_date(timezone.now())


def check_event_date(on: dt.date, *, not_before: dt.date | None = None, field: str = "on") -> None:
    """An event's date may not be in the future, nor before what it follows."""
    if on > today():
        raise RuleViolation("The date cannot be in the future.", field=field)
    if not_before and on < not_before:
        raise RuleViolation(f"The date cannot be before {not_before:%-d %B %Y}.", field=field)


def _label(obj: models.Model) -> str:
    reference = getattr(obj, "reference", None)
    kind = str(obj._meta.verbose_name).capitalize()
    return f"{kind} {reference}" if reference else f"This {obj._meta.verbose_name!s}"
