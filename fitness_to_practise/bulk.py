"""Bulk writers and readers for fitness to practise records, in this app's own words (states,
event kinds, sanctions): interchange/ maps a file format onto these values; nothing here knows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from regulator import bulk

from .models import INTERCHANGE_EVENT_KINDS, CaseEvent, Concern, FitnessToPractiseCase, Order
from .services import ORDER_KIND, order_dates

TABLES = (Concern, FitnessToPractiseCase, CaseEvent, Order)


@dataclass(frozen=True)
class CaseRecord:
    reference: str
    origin: str
    entry_id: int
    referrer: str
    state: str
    interim_order_state: str
    opened_at: dt.datetime
    stage_started_at: dt.datetime
    interim_need_identified_at: dt.datetime | None
    closed_at: dt.datetime | None


def cases_write(records: list[CaseRecord]) -> dict[str, int]:
    ids = bulk.reserve_ids(FitnessToPractiseCase, len(records))
    bulk.copy_records(
        FitnessToPractiseCase,
        (
            {
                "id": i,
                "reference": r.reference,
                "origin": r.origin,
                "referrer": r.referrer,
                "entry_id": r.entry_id,
                "state": r.state,
                "interim_order_state": r.interim_order_state,
                "opened_at": r.opened_at,
                "stage_started_at": r.stage_started_at,
                "interim_need_identified_at": r.interim_need_identified_at,
                "closed_at": r.closed_at,
            }
            for i, r in zip(ids, records, strict=True)
        ),
    )
    return {r.reference: i for r, i in zip(records, ids, strict=True)}


@dataclass(frozen=True)
class ConcernRecord:
    """A concern whose social worker is not yet identified: awaiting pre-triage, its text not held."""

    reference: str
    origin: str
    received_at: dt.datetime
    referrer_type: str


def concerns_write(records: list[ConcernRecord]) -> None:
    ids = bulk.reserve_ids(Concern, len(records))
    bulk.copy_records(
        Concern,
        (
            {
                "id": i,
                "reference": r.reference,
                "origin": r.origin,
                "received_at": r.received_at,
                "referrer_type": r.referrer_type,
                "received_via": None,
                "referrer_name": None,
                "what_happened": None,
                "social_worker_name": None,
                "status": Concern.Status.AWAITING_PRE_TRIAGE,
            }
            for i, r in zip(ids, records, strict=True)
        ),
    )


@dataclass(frozen=True)
class CaseEventRecord:
    case_id: int
    kind: str
    at: dt.datetime
    detail: str


def case_events_write(records: list[CaseEventRecord]) -> None:
    ids = bulk.reserve_ids(CaseEvent, len(records))
    bulk.copy_records(
        CaseEvent,
        (
            {"id": i, "case_id": r.case_id, "kind": r.kind, "at": r.at, "detail": r.detail}
            for i, r in zip(ids, records, strict=True)
        ),
    )


@dataclass(frozen=True)
class OrderRecord:
    """An order as a case's events made it: the sanction, its months, when, and how it ended early."""

    case_id: int
    entry_id: int
    sanction: str
    months: int | None
    interim: bool
    made_by: str
    made_at: dt.datetime
    starts_on: dt.date
    ended_on: dt.date | None  # replaced by the final outcome before its own end


def orders_write(records: list[OrderRecord]) -> None:
    """Orders dated by the same rule as orders made here (services.order_dates), so they show on the
    register while in force and the sweep reviews and ends them like any other."""
    ids = bulk.reserve_ids(Order, len(records))

    def rows():
        for i, r in zip(ids, records, strict=True):
            ends_on, review_due_on = order_dates(
                sanction=r.sanction, months=r.months, interim=r.interim, starts_on=r.starts_on
            )
            if r.ended_on is not None and (ends_on is None or r.ended_on < ends_on):
                ends_on = r.ended_on
            yield {
                "id": i,
                "case_id": r.case_id,
                "entry_id": r.entry_id,
                "kind": ORDER_KIND[(r.sanction, r.interim)],
                "made_by": r.made_by,
                "made_at": r.made_at,
                "starts_on": r.starts_on,
                "ends_on": ends_on,
                "review_due_on": review_due_on if review_due_on and (not ends_on or review_due_on < ends_on) else None,
            }

    bulk.copy_records(Order, rows())


# --- Readers ---


def cases_read() -> Iterator[tuple]:
    """(reference, origin, registration number, referrer, first concern's referrer type, id) by reference."""
    from django.db.models import OuterRef, Subquery

    first_concern = (
        Concern.objects.filter(case=OuterRef("pk")).order_by("received_at", "id").values("referrer_type")[:1]
    )
    return (
        FitnessToPractiseCase.objects.order_by("reference")
        .annotate(concern_referrer=Subquery(first_concern))
        .values_list("reference", "origin", "entry__registration_number", "referrer", "concern_referrer", "id")
        .iterator(chunk_size=20_000)
    )


def concerns_awaiting_read() -> Iterator[tuple[str, dt.datetime, str, str]]:
    """Concerns still awaiting pre-triage: (reference, received at, referrer type, origin)."""
    return (
        Concern.objects.filter(status=Concern.Status.AWAITING_PRE_TRIAGE)
        .order_by("reference")
        .values_list("reference", "received_at", "referrer_type", "origin")
        .iterator(chunk_size=20_000)
    )


def case_events_read() -> Iterator[tuple[str, str, dt.datetime, str]]:
    """The events kpis.md and interchange.md name, in each case's order."""
    return (
        CaseEvent.objects.filter(kind__in=INTERCHANGE_EVENT_KINDS)
        .order_by("case__reference", "at", "id")
        .values_list("case__reference", "kind", "at", "detail")
        .iterator(chunk_size=20_000)
    )
