"""A case's events in the regulator's words: the timeline shows "Suspension order for 12 months",
never the stored detail ("suspension:12"), codes or usernames."""

from __future__ import annotations

import datetime as dt

from .models import CaseEvent, Order, RiskLevel, Sanction

K = CaseEvent.Kind
SANCTION_KINDS = {K.INTERIM_ORDER_DECISION, K.HEARING_CONCLUDED, K.CASE_EXAMINER_ACCEPTED_DISPOSAL, K.DISPOSAL_OFFERED}
REVIEW_WORDS = {"continued": "Continued", "revoked": "Revoked", "confirmed": "Confirmed"}
LEGACY_ASSIGNMENT = {"handler": "Case handler", "investigator": "Investigator", "firm": "External firm"}


def _date(value: str) -> str:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {day:%B %Y}"


def _sanction(detail: str) -> str:
    code, _, months = detail.partition(":")
    if code not in Sanction.values:
        return detail
    words = Sanction(code).label
    return f"{words} for {months} months" if months.isdigit() else words


def describe(event: CaseEvent) -> str:
    """The event's detail as a sentence fragment a person can read ('' when there is nothing to add)."""
    detail = event.detail or ""
    if not detail:
        return ""
    if event.kind in SANCTION_KINDS:
        return _sanction(detail)
    if event.kind == K.INITIAL_REVIEW_COMPLETED and detail in RiskLevel.values:
        return f"Risk: {RiskLevel(detail).label.lower()}"
    if event.kind == K.HEARING_LISTED and ".." in detail:
        first, last = detail.split("..", 1)
        return f"From {_date(first)} to {_date(last)}"
    if event.kind in (K.ORDER_EXPIRED,) and detail in Order.Kind.values:
        return Order.Kind(detail).label
    if event.kind == K.ORDER_REVIEW_SCHEDULED and ":" in detail:
        kind, _, due = detail.partition(":")
        label = Order.Kind(kind).label if kind in Order.Kind.values else kind
        return f"{label}: review due {_date(due)}"
    if event.kind == K.SUBSTANTIVE_ORDER_REVIEW and detail.startswith("extended:"):
        return f"Extended by {detail.split(':', 1)[1]} months"
    if event.kind in (K.INTERIM_ORDER_REVIEW, K.SUBSTANTIVE_ORDER_REVIEW):
        return REVIEW_WORDS.get(detail, detail)
    if event.kind == K.ASSIGNED:  # events written before the detail was in words ("handler:username")
        parts = []
        for part in detail.split("; "):
            key, sep, value = part.partition(":")
            parts.append(f"{LEGACY_ASSIGNMENT[key]}: {value}" if sep and key in LEGACY_ASSIGNMENT else part)
        return "; ".join(parts)
    return detail


def timeline_items(events) -> list[dict]:
    """Newest first, for includes/timeline.html."""
    return [
        {
            "title": event.get_kind_display(),
            "at": event.at,
            "actor": (event.actor.get_full_name() or event.actor.username) if event.actor else "",
            "description": "\n".join(x for x in (describe(event), event.reason) if x),
        }
        for event in reversed(list(events))
    ]
