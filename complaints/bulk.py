"""Bulk writer and reader for complaints in this app's own words: interchange/ maps a file format
onto these values. A transferred complaint has no complainant, category or text (not recorded)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from regulator import bulk
from regulator.working_days import local_date

from .models import Complaint, ComplaintEvent

TABLES = (Complaint, ComplaintEvent)


@dataclass(frozen=True)
class ComplaintRecord:
    reference: str
    received_at: dt.datetime
    closed_at: dt.datetime | None


def complaints_write(records: list[ComplaintRecord]) -> None:
    ids = bulk.reserve_ids(Complaint, len(records))
    bulk.copy_records(
        Complaint,
        (
            {
                "id": i,
                "reference": r.reference,
                "received_on": local_date(r.received_at),
                "complainant_name": None,
                "category": None,
                "summary": None,
                "status": Complaint.Status.CLOSED if r.closed_at else Complaint.Status.RECEIVED,
            }
            for i, r in zip(ids, records, strict=True)
        ),
    )
    events = []
    for i, r in zip(ids, records, strict=True):
        events.append((i, ComplaintEvent.Kind.RECEIVED, r.received_at))
        if r.closed_at:
            events.append((i, ComplaintEvent.Kind.CLOSED, r.closed_at))
    event_ids = bulk.reserve_ids(ComplaintEvent, len(events))
    bulk.copy_records(
        ComplaintEvent,
        (
            {"id": e, "complaint_id": c, "kind": kind, "stage": 1, "at": at, "on": local_date(at)}
            for e, (c, kind, at) in zip(event_ids, events, strict=True)
        ),
    )


def complaints_read() -> Iterator[tuple[str, dt.datetime | None, dt.datetime | None]]:
    """(reference, received at, closed at) from each complaint's first received and last closed event."""
    from django.db.models import Max, Min, Q

    return (
        Complaint.objects.order_by("reference")
        .annotate(
            received_at=Min("events__at", filter=Q(events__kind=ComplaintEvent.Kind.RECEIVED)),
            closed_at=Max("events__at", filter=Q(events__kind=ComplaintEvent.Kind.CLOSED)),
        )
        .values_list("reference", "received_at", "closed_at")
        .iterator()
    )
