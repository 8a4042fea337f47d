"""Bulk writers and readers for education QA records in this app's own words: interchange/ maps a
file format onto these values; nothing here knows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from regulator import bulk
from regulator.working_days import LONDON

from .models import Course, CourseProvider, EducationEvent

TABLES = (CourseProvider, Course, EducationEvent)


@dataclass(frozen=True)
class ProviderRecord:
    reference: str
    name: str
    town: str


def providers_write(records: list[ProviderRecord]) -> dict[str, int]:
    """Providers without a contact email (not transferred: shown as not recorded)."""
    ids = bulk.reserve_ids(CourseProvider, len(records))
    bulk.copy_records(
        CourseProvider,
        (
            {"id": i, "reference": r.reference, "name": r.name, "town": r.town, "contact_email": ""}
            for i, r in zip(ids, records, strict=True)
        ),
    )
    return {r.reference: i for r, i in zip(records, ids, strict=True)}


@dataclass(frozen=True)
class CourseRecord:
    reference: str
    provider_id: int
    name: str
    qualification_level: str
    mode: str
    status: str
    origin: str = "hcpc"


def courses_write(records: list[CourseRecord]) -> dict[str, int]:
    """Courses whose yearly places were not transferred (null, shown as not recorded)."""
    ids = bulk.reserve_ids(Course, len(records))
    bulk.copy_records(
        Course,
        (
            {
                "id": i,
                "reference": r.reference,
                "provider_id": r.provider_id,
                "name": r.name,
                "qualification_level": r.qualification_level,
                "mode": r.mode,
                "status": r.status,
                "places": None,
                "origin": r.origin,
            }
            for i, r in zip(ids, records, strict=True)
        ),
    )
    return {r.reference: i for r, i in zip(records, ids, strict=True)}


@dataclass(frozen=True)
class CourseEventRecord:
    course_id: int
    provider_id: int
    kind: str
    on: dt.date
    detail: str


def course_events_write(records: list[CourseEventRecord]) -> None:
    ids = bulk.reserve_ids(EducationEvent, len(records))
    bulk.copy_records(
        EducationEvent,
        (
            {
                "id": i,
                "course_id": r.course_id,
                "provider_id": r.provider_id,
                "kind": r.kind,
                "on": r.on,
                "at": dt.datetime.combine(r.on, dt.time(0), tzinfo=LONDON),
                "detail": r.detail,
            }
            for i, r in zip(ids, records, strict=True)
        ),
    )


def courses_set_approval(rows: list[tuple[int, dt.date | None, dt.date | None]]) -> None:
    """(course id, first approved on, approved on) as its events date them."""
    bulk.update_rows(Course, "id", ["first_approved_on", "approved_on"], rows)


def providers_read() -> Iterator[tuple[str | None, str, str, int]]:
    return (
        CourseProvider.objects.filter(reference__isnull=False)
        .order_by("reference")
        .values_list("reference", "name", "town", "id")
        .iterator()
    )


def courses_read() -> Iterator[tuple]:
    return (
        Course.objects.filter(reference__isnull=False, provider__reference__isnull=False)
        .order_by("reference")
        .values_list("reference", "provider__reference", "name", "qualification_level", "mode", "status", "id")
        .iterator()
    )


def course_events_read(kinds) -> Iterator[tuple[str | None, str, dt.date, str]]:
    return (
        EducationEvent.objects.filter(course__reference__isnull=False, kind__in=kinds)
        .order_by("course__reference", "on", "at", "id")
        .values_list("course__reference", "kind", "on", "detail")
        .iterator()
    )
