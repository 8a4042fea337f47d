"""The format's words against each app's: one table per difference, read both ways.

`held_rows(file)` gives what the database already holds as rows of the format (python values, in
the file's column order), keyed by the row's reference: the export writes them out, and an import
compares incoming rows with them (same row: unchanged; different: a conflict, never an overwrite).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from complaints import bulk as complaints_bulk
from education_qa import bulk as education_bulk
from fitness_to_practise import bulk as ftp_bulk
from registration import bulk as registration_bulk
from regulator.working_days import LONDON

# register_events.csv
REGISTER_KIND = {
    "registered": "registered",
    "removed": "removed",
    "restored": "restored",
    "added_to_temporary": "moved_to_temporary",
}
REGISTER_EVENT = {v: k for k, v in REGISTER_KIND.items()}
# removal reasons: the format's against RegisterEntry.removal_reason
REMOVAL_REASON = {
    "failure_to_renew": "failure_to_renew",
    "voluntary": "voluntary",
    "fitness_to_practise": "order",
    "deceased": "deceased",
    "other": "other",
}
REMOVAL_REASON_BACK = {v: k for k, v in REMOVAL_REASON.items()}
TEMPORARY_ENDED = "temporary_ended"
# cpd_records.csv type against CPDRecord.kind (a conference is "other" in the format)
CPD_KIND_BACK = {
    "course": "course",
    "reading": "reading",
    "supervision": "supervision",
    "practice": "practice",
    "conference": "other",
    "other": "other",
}
# courses.csv
COURSE_STATUS = {"approved": "approved", "approval_withdrawn": "withdrawn", "closed": "historic"}
COURSE_STATUS_BACK = {
    "approved": "approved",
    "approved_with_conditions": "approved",
    "withdrawn": "approval_withdrawn",
    "historic": "closed",
}
COURSE_LEVEL_BACK = {
    "undergraduate": "undergraduate",
    "postgraduate": "postgraduate",
    "postgraduate_diploma": "postgraduate",
    "apprenticeship": "apprenticeship",
}
COURSE_MODE_BACK = {"full_time": "full_time", "part_time": "part_time"}
# course_events.csv event against EducationEvent.kind
COURSE_EVENT = {
    "enquiry": "enquiry_received",
    "concern": "concern_received",
    "inspection": "inspection_conducted",
    "approved": "approved",
    "approved_with_conditions": "approved_with_conditions",
    "not_approved": "not_approved",
    "request_withdrawn": "request_withdrawn",
    "change_approved": "change_approved",
    "condition_set": "condition_set",
    "condition_met": "condition_met",
    "monitoring_return": "monitoring_return_submitted",
    "approval_withdrawn": "approval_withdrawn",
}
COURSE_EVENT_BACK = {v: k for k, v in COURSE_EVENT.items()}


def instant(value: dt.datetime | None) -> dt.datetime | None:
    """The format carries whole seconds."""
    return value.replace(microsecond=0) if value else None


def blank(value: str | None) -> str | None:
    return value or None


def format_value(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, dt.datetime):
        return value.astimezone(LONDON).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _registrants() -> Iterator[tuple[str, tuple]]:
    for r, _ in registration_bulk.registrants_read():
        yield (
            r.registration_number,
            (
                r.registration_number,
                r.given_name,
                r.family_name,
                r.town,
                blank(r.gender),
                blank(r.nationality),
                r.date_of_birth,
                r.route,
                r.register,
                r.status,
                r.registered_on,
                r.origin,
            ),
        )


def _register_events() -> Iterator[tuple[str, tuple]]:
    """Register events and annotations, merged per entry in date order."""
    events = registration_bulk.register_events_read()
    annotations = registration_bulk.annotations_read()

    def from_events():
        for number, kind, on, detail in events:
            if kind == "removed":
                if detail == "temporary_ended":
                    yield number, (number, TEMPORARY_ENDED, on, None)
                else:
                    yield number, (number, "removed", on, REMOVAL_REASON_BACK.get(detail))
            elif kind in REGISTER_EVENT:
                yield number, (number, REGISTER_EVENT[kind], on, None)

    def from_annotations():
        for number, kind, starts_on, ends_on in annotations:
            yield number, (number, "annotation_added", starts_on, kind)
            if ends_on:
                yield number, (number, "annotation_removed", ends_on, kind)

    # Each stream is ordered by number; merge them entry by entry, each entry's rows by date.
    import heapq

    yield from heapq.merge(from_events(), from_annotations(), key=lambda item: (item[0], item[1][2]))


def _cpd_records() -> Iterator[tuple[str, tuple]]:
    for number, created_at, done_on, kind, peer in registration_bulk.cpd_records_read():
        yield number, (number, created_at.astimezone(LONDON).date(), done_on, CPD_KIND_BACK[kind], peer)


def _providers() -> Iterator[tuple[str, tuple]]:
    for reference, name, town, _ in education_bulk.providers_read():
        yield reference or "", (reference, name, town)


def _courses() -> Iterator[tuple[str, tuple]]:
    for reference, provider, name, level, mode, status, _ in education_bulk.courses_read():
        if status in COURSE_STATUS_BACK and mode in COURSE_MODE_BACK:
            yield (
                reference,
                (
                    reference,
                    provider,
                    name,
                    COURSE_LEVEL_BACK[level],
                    COURSE_MODE_BACK[mode],
                    COURSE_STATUS_BACK[status],
                ),
            )


def _course_events() -> Iterator[tuple[str, tuple]]:
    for reference, kind, on, detail in education_bulk.course_events_read(list(COURSE_EVENT_BACK)):
        yield reference or "", (reference, COURSE_EVENT_BACK[kind], on, blank(detail))


def _applications() -> Iterator[tuple[str, tuple]]:
    for (
        reference,
        kind,
        route,
        number,
        given,
        family,
        investigation,
        origin,
        _,
    ) in registration_bulk.applications_read():
        yield reference, (reference, kind, route, blank(number), given, family, investigation, origin)


def _application_events() -> Iterator[tuple[str, tuple]]:
    for reference, event, at in registration_bulk.application_events_read():
        yield reference, (reference, event, instant(at))


def _cases() -> Iterator[tuple[str, tuple]]:
    """Cases, and concerns still awaiting pre-triage (a case whose social worker is not yet known)."""
    import heapq

    def cases():
        for reference, origin, number, referrer, concern_referrer, _ in ftp_bulk.cases_read():
            yield reference, (reference, origin, number, referrer or concern_referrer or "other")

    def concerns():
        for reference, _received_at, referrer_type, origin in ftp_bulk.concerns_awaiting_read():
            yield reference, (reference, origin, None, referrer_type)

    yield from heapq.merge(cases(), concerns(), key=lambda item: item[0])


def _case_events() -> Iterator[tuple[str, tuple]]:
    import heapq

    def events():
        for reference, kind, at, detail in ftp_bulk.case_events_read():
            yield reference, (reference, kind, instant(at), blank(detail) if kind in _DETAILED else None)

    def concerns():
        for reference, received_at, _, _ in ftp_bulk.concerns_awaiting_read():
            yield reference, (reference, "concern_received", instant(received_at), None)

    yield from heapq.merge(events(), concerns(), key=lambda item: item[0])


# Only these events carry a detail in the format (the order made); the app's own details (a concern's
# reference, a registration number) are not the format's.
_DETAILED = frozenset({"interim_order_decision", "hearing_concluded", "case_examiner_accepted_disposal"})


def _calls() -> Iterator[tuple[str, tuple]]:
    for received_at, queue_seconds, outcome in registration_bulk.calls_read():
        yield "", (instant(received_at), queue_seconds, outcome)


def _emails() -> Iterator[tuple[str, tuple]]:
    for received_at, responded_at in registration_bulk.emails_read():
        yield "", (instant(received_at), instant(responded_at))


def _complaints() -> Iterator[tuple[str, tuple]]:
    for reference, received_at, closed_at in complaints_bulk.complaints_read():
        if received_at is not None:
            yield reference, (reference, instant(received_at), instant(closed_at))


HELD = {
    "registrants.csv": _registrants,
    "register_events.csv": _register_events,
    "cpd_records.csv": _cpd_records,
    "providers.csv": _providers,
    "courses.csv": _courses,
    "course_events.csv": _course_events,
    "applications.csv": _applications,
    "application_events.csv": _application_events,
    "cases.csv": _cases,
    "case_events.csv": _case_events,
    "calls.csv": _calls,
    "emails.csv": _emails,
    "complaints.csv": _complaints,
}


def _holds_any(file: str) -> bool:
    from complaints.models import Complaint
    from education_qa.models import Course, CourseProvider
    from fitness_to_practise.models import Concern, FitnessToPractiseCase
    from registration.models import Application, Call, CPDRecord, EmailEnquiry, RegisterEntry

    model = {
        "registrants.csv": RegisterEntry,
        "register_events.csv": RegisterEntry,
        "cpd_records.csv": CPDRecord,
        "providers.csv": CourseProvider,
        "courses.csv": Course,
        "course_events.csv": Course,
        "applications.csv": Application,
        "application_events.csv": Application,
        "cases.csv": (FitnessToPractiseCase, Concern),
        "case_events.csv": (FitnessToPractiseCase, Concern),
        "calls.csv": Call,
        "emails.csv": EmailEnquiry,
        "complaints.csv": Complaint,
    }[file]
    return any(m.objects.exists() for m in (model if isinstance(model, tuple) else (model,)))


def held_rows(file: str) -> Iterator[tuple[str, tuple]]:
    """What the database holds as rows of the file (nothing to read when its tables are empty)."""
    if not _holds_any(file):
        return iter(())
    return HELD[file]()
