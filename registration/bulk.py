"""Bulk writers and readers for registration's records, in registration's own words: a layer
above (interchange/) maps a file format onto these plain values; nothing here knows a format.

Writers take lists of dataclasses, write them with COPY (regulator.bulk) and return the new ids
where later records need them. Readers yield the same plain values back, for an export."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection

from regulator import bulk
from regulator.working_days import LONDON

from .models import (
    Annotation,
    Application,
    ApplicationEvent,
    Call,
    CPDRecord,
    EmailEnquiry,
    NameToken,
    RegisterEntry,
    RegisterEvent,
    Registrant,
)
from .services.register import registration_numbers_reserve_above, search_keys
from .text import name_words

TABLES = (
    Registrant,
    RegisterEntry,
    RegisterEvent,
    Annotation,
    CPDRecord,
    Application,
    ApplicationEvent,
    Call,
    EmailEnquiry,
    NameToken,
)


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=LONDON)


@dataclass(frozen=True)
class RegistrantRecord:
    registration_number: str
    given_name: str
    family_name: str
    town: str
    gender: str
    nationality: str
    date_of_birth: dt.date | None
    route: str
    register: str
    status: str
    registered_on: dt.date
    origin: str


def registrants_write(records: list[RegistrantRecord]) -> dict[str, int]:
    """A registrant and their register entry for each record; returns entry ids by registration number."""
    people = bulk.reserve_ids(Registrant, len(records))
    entries = bulk.reserve_ids(RegisterEntry, len(records))
    bulk.copy_records(
        Registrant,
        (
            {
                "id": pid,
                "given_name": r.given_name,
                "family_name": r.family_name,
                "date_of_birth": r.date_of_birth,
                "gender": r.gender,
                "nationality": r.nationality,
            }
            for pid, r in zip(people, records, strict=True)
        ),
    )
    bulk.copy_records(
        RegisterEntry,
        (
            {
                "id": eid,
                "registrant_id": pid,
                "registration_number": r.registration_number,
                "register": r.register,
                "status": r.status,
                "route": r.route,
                "registered_on": r.registered_on,
                "status_changed_on": r.registered_on,
                "town": r.town,
                "origin": r.origin,
                **search_keys(given_name=r.given_name, family_name=r.family_name, town=r.town),
            }
            for eid, pid, r in zip(entries, people, records, strict=True)
        ),
    )
    tokens = {w for r in records for w in (*name_words(r.given_name), *name_words(r.family_name))}
    NameToken.objects.bulk_create([NameToken(token=t) for t in tokens], ignore_conflicts=True, batch_size=5000)
    highest = max((int(d) for r in records if (d := re.sub(r"\D", "", r.registration_number))), default=0)
    if highest:
        registration_numbers_reserve_above(highest)
    return {r.registration_number: eid for r, eid in zip(records, entries, strict=True)}


@dataclass(frozen=True)
class RegisterEventRecord:
    entry_id: int
    kind: str  # RegisterEvent.Kind
    on: dt.date
    detail: str = ""  # the removal reason of a removal


def register_events_write(records: list[RegisterEventRecord]) -> None:
    ids = bulk.reserve_ids(RegisterEvent, len(records))
    bulk.copy_records(
        RegisterEvent,
        (
            {"id": i, "entry_id": r.entry_id, "kind": r.kind, "on": r.on, "at": midnight(r.on), "detail": r.detail}
            for i, r in zip(ids, records, strict=True)
        ),
    )


@dataclass(frozen=True)
class AnnotationRecord:
    entry_id: int
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None


def annotations_write(records: list[AnnotationRecord]) -> None:
    ids = bulk.reserve_ids(Annotation, len(records))
    bulk.copy_records(
        Annotation,
        (
            {"id": i, "entry_id": r.entry_id, "kind": r.kind, "starts_on": r.starts_on, "ends_on": r.ends_on}
            for i, r in zip(ids, records, strict=True)
        ),
    )


def entries_set_history(rows: list[tuple[int, dt.date, str]]) -> None:
    """(entry id, status changed on, removal reason) as the entry's dated history puts them."""
    bulk.update_rows(RegisterEntry, "id", ["status_changed_on", "removal_reason"], rows)


@dataclass(frozen=True)
class CPDRecordValues:
    registrant_id: int
    recorded_on: dt.date
    done_on: dt.date
    kind: str
    peer_reflection: bool


def cpd_records_write(records: list[CPDRecordValues]) -> None:
    """CPD records whose text was not transferred: description, learning and impact are absent."""
    ids = bulk.reserve_ids(CPDRecord, len(records))
    bulk.copy_records(
        CPDRecord,
        (
            {
                "id": i,
                "registrant_id": r.registrant_id,
                "kind": r.kind,
                "done_on": r.done_on,
                "peer_reflection": r.peer_reflection,
                "created_at": midnight(r.recorded_on),
                "description": None,
                "learning": None,
                "impact": None,
            }
            for i, r in zip(ids, records, strict=True)
        ),
    )


@dataclass(frozen=True)
class ApplicationRecord:
    reference: str
    kind: str
    route: str
    registration_number: str
    registrant_id: int | None  # the entry's registrant; None: a new person with only these names
    given_name: str
    family_name: str
    investigation_required: bool
    origin: str


def applications_write(records: list[ApplicationRecord]) -> dict[str, int]:
    """Applications (and, for an applicant not on the register, the person with no account)."""
    newcomers = [r for r in records if r.registrant_id is None]
    people = iter(bulk.reserve_ids(Registrant, len(newcomers)))
    person_of: dict[str, int] = {}
    rows = []
    for r in newcomers:
        person_of[r.reference] = next(people)
        rows.append({"id": person_of[r.reference], "given_name": r.given_name, "family_name": r.family_name})
    bulk.copy_records(Registrant, rows)
    ids = bulk.reserve_ids(Application, len(records))
    bulk.copy_records(
        Application,
        (
            {
                "id": i,
                "reference": r.reference,
                "kind": r.kind,
                "route": r.route,
                "registrant_id": r.registrant_id or person_of[r.reference],
                "origin": r.origin,
                "registration_number": r.registration_number,
                "investigation_required": r.investigation_required,
            }
            for i, r in zip(ids, records, strict=True)
        ),
    )
    return {r.reference: i for r, i in zip(records, ids, strict=True)}


@dataclass(frozen=True)
class ApplicationEventRecord:
    application_id: int
    event: str
    at: dt.datetime


def application_events_write(records: list[ApplicationEventRecord]) -> None:
    ids = bulk.reserve_ids(ApplicationEvent, len(records))
    bulk.copy_records(
        ApplicationEvent,
        (
            {"id": i, "application_id": r.application_id, "event": r.event, "at": r.at}
            for i, r in zip(ids, records, strict=True)
        ),
    )


def applications_set_state(rows: list[tuple[int, str, dt.datetime | None, dt.datetime | None]]) -> None:
    """(application id, status, received at, decided at) as its events put them."""
    bulk.update_rows(Application, "id", ["status", "received_at", "decided_at"], rows)


@dataclass(frozen=True)
class CallRecord:
    received_at: dt.datetime
    queue_seconds: int | None
    outcome: str


def calls_write(records: list[CallRecord]) -> None:
    ids = bulk.reserve_ids(Call, len(records))
    bulk.copy_records(
        Call,
        (
            {
                "id": i,
                "received_at": r.received_at,
                "queue_seconds": r.queue_seconds,
                "outcome": r.outcome,
                "key": Call.key_for(r.received_at, r.queue_seconds, r.outcome),
            }
            for i, r in zip(ids, records, strict=True)
        ),
    )


@dataclass(frozen=True)
class EmailRecord:
    received_at: dt.datetime
    responded_at: dt.datetime | None


def emails_write(records: list[EmailRecord]) -> None:
    ids = bulk.reserve_ids(EmailEnquiry, len(records))
    bulk.copy_records(
        EmailEnquiry,
        (
            {
                "id": i,
                "received_at": r.received_at,
                "responded_at": r.responded_at,
                "import_key": Call.key_for(r.received_at, None, r.responded_at.isoformat() if r.responded_at else ""),
            }
            for i, r in zip(ids, records, strict=True)
        ),
    )


# --- Readers: the same plain values back, streamed in a stable order ---


def _stream(queryset, *fields, chunk: int = 20_000):
    return queryset.values_list(*fields).iterator(chunk_size=chunk)


def registrants_read() -> Iterator[tuple[RegistrantRecord, int]]:
    """Every register entry as a RegistrantRecord, with its entry id, by registration number."""
    rows = _stream(
        RegisterEntry.objects.order_by("registration_number"),
        "registration_number",
        "registrant__given_name",
        "registrant__family_name",
        "town",
        "registrant__gender",
        "registrant__nationality",
        "registrant__date_of_birth",
        "route",
        "register",
        "status",
        "registered_on",
        "origin",
        "id",
    )
    for row in rows:
        yield RegistrantRecord(*row[:12]), row[12]


def entry_ids() -> dict[str, int]:
    return dict(RegisterEntry.objects.values_list("registration_number", "id").iterator(chunk_size=50_000))


def registrant_ids() -> dict[str, int]:
    """Registrant ids by registration number."""
    return dict(RegisterEntry.objects.values_list("registration_number", "registrant_id").iterator(chunk_size=50_000))


def register_events_read() -> Iterator[tuple[str, str, dt.date, str]]:
    """(registration number, kind, on, detail) of every register event, in each entry's order."""
    return _stream(
        RegisterEvent.objects.order_by("entry__registration_number", "on", "at", "id"),
        "entry__registration_number",
        "kind",
        "on",
        "detail",
    )


def annotations_read() -> Iterator[tuple[str, str, dt.date, dt.date | None]]:
    return _stream(
        Annotation.objects.order_by("entry__registration_number", "starts_on", "id"),
        "entry__registration_number",
        "kind",
        "starts_on",
        "ends_on",
    )


def cpd_records_read() -> Iterator[tuple[str, dt.datetime, dt.date, str, bool]]:
    """(registration number, recorded at, done on, kind, peer reflection) for registrants with an entry."""
    return _stream(
        CPDRecord.objects.filter(registrant__register_entry__isnull=False).order_by(
            "registrant__register_entry__registration_number", "done_on", "created_at", "id"
        ),
        "registrant__register_entry__registration_number",
        "created_at",
        "done_on",
        "kind",
        "peer_reflection",
    )


def applications_read() -> Iterator[tuple]:
    """Applications that were received (drafts are not history), with the applicant's names."""
    received = ApplicationEvent.objects.filter(event=ApplicationEvent.Kind.RECEIVED).values("application_id")
    return _stream(
        Application.objects.filter(id__in=received).order_by("reference"),
        "reference",
        "kind",
        "route",
        "registration_number",
        "registrant__given_name",
        "registrant__family_name",
        "investigation_required",
        "origin",
        "id",
    )


INTERCHANGE_APPLICATION_EVENTS = [k.value for k in list(ApplicationEvent.Kind)[:6]]


def application_events_read() -> Iterator[tuple[str, str, dt.datetime]]:
    received = ApplicationEvent.objects.filter(event=ApplicationEvent.Kind.RECEIVED).values("application_id")
    return _stream(
        ApplicationEvent.objects.filter(application_id__in=received, event__in=INTERCHANGE_APPLICATION_EVENTS).order_by(
            "application__reference", "at", "id"
        ),
        "application__reference",
        "event",
        "at",
    )


def calls_read() -> Iterator[tuple[dt.datetime, int | None, str]]:
    return _stream(Call.objects.order_by("received_at", "id"), "received_at", "queue_seconds", "outcome")


def emails_read() -> Iterator[tuple[dt.datetime, dt.datetime | None]]:
    return _stream(EmailEnquiry.objects.order_by("received_at", "id"), "received_at", "responded_at")


def first_application_ids() -> dict[str, int]:
    return dict(Application.objects.values_list("reference", "id").iterator(chunk_size=50_000))


def analyse() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in TABLES:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
