"""The service standards: one table (models.ServiceStandard), one lookup, one writer.

`target(code, on=day)` is the rule in force on a day: the row of that code with the latest
`effective_from` on or before it. Every clock asks it with the day its clock started, so a target
changed mid-year leaves the months before the change measured by the rule they ran under.

The table is a few dozen rows and is read on every queue page, so it is held in process and read
again when it changes here, or after CACHE_SECONDS when another process changed it (decision 0820).
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.db import transaction

from .audit import audit_record, snapshot
from .errors import RuleViolation
from .models import ServiceStandard
from .transitions import today

Code = ServiceStandard.Code
Unit = ServiceStandard.Unit
CACHE_SECONDS = 60
RULE_FIELDS = (
    "code",
    "amount",
    "unit",
    "extension_amount",
    "fixed_date",
    "pauses_excluded",
    "ends_on_working_day",
    "effective_from",
)
EDITABLE_FIELDS = (*RULE_FIELDS, "measured_from", "note")


class NoStandard(LookupError):
    """No rule of that code (an unknown code, or a table emptied by hand)."""


@dataclass
class _Table:
    loaded_at: float
    by_code: dict[str, tuple[list[dt.date], list[ServiceStandard]]]


_lock = threading.Lock()
_table: _Table | None = None


def forget() -> None:
    """Read the table again on the next lookup (after a change, and between tests)."""
    global _table
    _table = None


def _load() -> _Table:
    global _table
    table = _table
    if table is not None and time.monotonic() - table.loaded_at < CACHE_SECONDS:
        return table
    with _lock:
        by_code: dict[str, tuple[list[dt.date], list[ServiceStandard]]] = {}
        for row in ServiceStandard.objects.order_by("code", "effective_from"):
            days, rows = by_code.setdefault(row.code, ([], []))
            days.append(row.effective_from)
            rows.append(row)
        table = _table = _Table(time.monotonic(), by_code)
    return table


def target(code: str, on: dt.date | None = None) -> ServiceStandard:
    """The standard of `code` in force on `on` (today when not given)."""
    on = on or today()
    days, rows = _load().by_code.get(str(code), ([], []))
    if not rows:
        raise NoStandard(f"There is no service standard {code!r}.")
    # Before the first rule (the seed starts with the calendar, 1990): measured by the first rule.
    return rows[max(bisect.bisect_right(days, on) - 1, 0)]


def history(code: str) -> list[ServiceStandard]:
    """Every rule a code has had, oldest first."""
    return list(_load().by_code.get(str(code), ([], []))[1])


def _check(standard: ServiceStandard) -> None:
    if standard.unit in (Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.CALENDAR_MONTHS) and standard.amount < 1:
        raise RuleViolation("A target in days or months needs an amount of at least 1.", field="amount")
    if standard.unit == Unit.FIXED_DATE and not standard.fixed_date:
        raise RuleViolation("Give the fixed date the work is due by.", field="fixed_date")
    if standard.pauses_excluded and standard.unit != Unit.WORKING_DAYS:
        raise RuleViolation("Pauses can be excluded only from a target in working days.", field="pauses_excluded")


def service_standard_check(standard: ServiceStandard, current: ServiceStandard | None) -> None:
    """The rules of changing the rules (the admin form asks the same before saving)."""
    if current is not None:
        changed_rule = any(getattr(current, f) != getattr(standard, f) for f in RULE_FIELDS)
        if changed_rule and current.effective_from <= today():
            raise RuleViolation(
                "This rule is already in force and past work was measured by it. Add a new rule with a "
                "later 'effective from' date instead.",
                field="effective_from",
            )
    elif standard.effective_from < today() and history(standard.code):
        raise RuleViolation("A new rule starts today or later: the past keeps its rule.", field="effective_from")
    _check(standard)


@transaction.atomic
def service_standard_save(*, standard: ServiceStandard, actor, reason: str = "") -> ServiceStandard:
    """Add a rule, or correct one not yet in force. A rule already in force is history: its target
    cannot change under the months measured by it, so a new target is a new row from a later day."""
    is_new = standard.pk is None
    before = current = None
    if not is_new:
        current = ServiceStandard.objects.select_for_update().get(pk=standard.pk)
        before = snapshot(current, EDITABLE_FIELDS)
    service_standard_check(standard, current)
    standard.full_clean()
    standard.save()
    audit_record(
        actor=actor,
        action="service_standard.added" if is_new else "service_standard.changed",
        obj=standard,
        before=before,
        after=snapshot(standard, EDITABLE_FIELDS),
        reason=reason,
    )
    transaction.on_commit(forget)
    forget()
    return standard


@transaction.atomic
def service_standard_delete(*, standard: ServiceStandard, actor, reason: str = "") -> None:
    """Withdraw a rule that has not come into force (one in force is history and stays)."""
    current = ServiceStandard.objects.select_for_update().get(pk=standard.pk)
    if current.effective_from <= today():
        raise RuleViolation("A rule already in force is kept: past work was measured by it.", field="effective_from")
    audit_record(
        actor=actor,
        action="service_standard.withdrawn",
        obj=current,
        before=snapshot(current, EDITABLE_FIELDS),
        reason=reason,
    )
    current.delete()
    transaction.on_commit(forget)
    forget()


# --- Due dates from a rule (the Python side; regulator.timers does the same in SQL for the sweep) ---


def due_on(
    standard: ServiceStandard,
    started_on: dt.date,
    *,
    paused_working_days: int = 0,
    extended: bool = False,
    recorded_due_on: dt.date | None = None,
) -> dt.date:
    """The day the work is due under `standard`, for a clock started on `started_on`."""
    from .working_days import add_calendar_months, add_working_days, is_working_day

    amount = standard.amount + ((standard.extension_amount or 0) if extended else 0)
    if standard.unit == Unit.WORKING_DAYS:
        return add_working_days(started_on, amount + (paused_working_days if standard.pauses_excluded else 0))
    if standard.unit in (Unit.CALENDAR_DAYS, Unit.CALENDAR_MONTHS):
        if standard.unit == Unit.CALENDAR_DAYS:
            day = started_on + dt.timedelta(days=amount)
        else:
            day = add_calendar_months(started_on, amount)
        while standard.ends_on_working_day and not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    if standard.unit == Unit.FIXED_DATE:
        assert standard.fixed_date is not None
        return standard.fixed_date
    if recorded_due_on is None:
        raise ValueError(f"{standard.code} is due by the date on the record: give recorded_due_on")
    return recorded_due_on
