"""The files of shared/interchange.md: their columns, what each column holds, and the order an
import reads them in (a file refers only to files read before it)."""

from __future__ import annotations

from .reader import (
    Column,
    FileSpec,
    choice,
    parse_boolean,
    parse_date,
    parse_instant,
    parse_seconds,
)

ROUTES = ("uk", "overseas", "eea", "not_recorded")
# The product also registers through Swiss mutual recognition; an export must be able to say so.
REGISTRANT_ROUTES = (*ROUTES, "swiss")
ORIGINS = ("hcpc", "swe")
REMOVAL_REASONS = ("failure_to_renew", "voluntary", "fitness_to_practise", "deceased", "other")
REGISTER_EVENTS = (
    "registered",
    "removed",
    "restored",
    "added_to_temporary",
    "temporary_ended",
    "annotation_added",
    "annotation_removed",
)
CPD_TYPES = ("course", "reading", "supervision", "practice", "other")
COURSE_LEVELS = ("undergraduate", "postgraduate", "apprenticeship")
COURSE_MODES = ("full_time", "part_time")
COURSE_STATUSES = ("approved", "approval_withdrawn", "closed")
COURSE_EVENTS = (
    "enquiry",
    "concern",
    "inspection",
    "approved",
    "approved_with_conditions",
    "not_approved",
    "request_withdrawn",
    "change_approved",
    "condition_set",
    "condition_met",
    "monitoring_return",
    "approval_withdrawn",
)
APPLICATION_KINDS = ("new", "restoration")
APPLICATION_ROUTES = ("uk", "overseas", "eea", "swiss")
APPLICATION_EVENTS = ("received", "info_requested", "info_received", "approved", "refused", "withdrawn")
REFERRERS = ("public", "employer", "self", "police", "other")
# In the order a case meets them: the same-day tie-break of the workflow check.
CASE_EVENTS = (
    "concern_received",
    "social_worker_identified",
    "initial_review_completed",
    "triage_closed",
    "referred_to_investigation",
    "investigation_closed",
    "referred_to_case_examiners",
    "case_examiner_initial_decision",
    "case_examiner_no_further_action",
    "case_examiner_accepted_disposal",
    "referred_to_hearing",
    "interim_order_need_identified",
    "interim_order_decision",
    "interim_order_review",
    "hearing_adjourned",
    "hearing_concluded",
    "substantive_order_review",
    "case_closed",
)
ORDER_DETAILS = ("none", "advice", "warning", "conditions", "suspension", "removal")
CALL_OUTCOMES = ("answered", "abandoned_in_queue", "hung_up_before_queue")


def _optional(name, parse=None) -> Column:
    return Column(name, parse, required=False) if parse else Column(name, required=False)


REGISTRANTS = FileSpec(
    "registrants.csv",
    (
        Column("registration_number"),
        Column("given_name"),
        Column("family_name"),
        Column("town"),
        _optional("gender"),
        _optional("nationality"),
        _optional("date_of_birth", parse_date),
        Column("route", choice(*REGISTRANT_ROUTES)),
        Column("register", choice("full", "temporary")),
        Column("status", choice("registered", "removed")),
        Column("registered_on", parse_date),
        Column("origin", choice(*ORIGINS)),
    ),
)
REGISTER_EVENTS_FILE = FileSpec(
    "register_events.csv",
    (
        Column("registration_number"),
        Column("event", choice(*REGISTER_EVENTS)),
        Column("on", parse_date),
        _optional("reason"),
    ),
)
CPD_RECORDS = FileSpec(
    "cpd_records.csv",
    (
        Column("registration_number"),
        Column("recorded_on", parse_date),
        Column("activity_on", parse_date),
        Column("type", choice(*CPD_TYPES)),
        Column("peer_reflection", parse_boolean),
    ),
)
PROVIDERS = FileSpec("providers.csv", (Column("reference"), Column("name"), Column("town")))
COURSES = FileSpec(
    "courses.csv",
    (
        Column("reference"),
        Column("provider"),
        Column("title"),
        Column("level", choice(*COURSE_LEVELS)),
        Column("mode", choice(*COURSE_MODES)),
        Column("status", choice(*COURSE_STATUSES)),
    ),
)
COURSE_EVENTS_FILE = FileSpec(
    "course_events.csv",
    (Column("reference"), Column("event", choice(*COURSE_EVENTS)), Column("on", parse_date), _optional("detail")),
)
APPLICATIONS = FileSpec(
    "applications.csv",
    (
        Column("reference"),
        Column("kind", choice(*APPLICATION_KINDS)),
        Column("route", choice(*APPLICATION_ROUTES)),
        _optional("registration_number"),
        Column("given_name"),
        Column("family_name"),
        Column("investigation_required", parse_boolean),
        Column("origin", choice(*ORIGINS)),
    ),
)
APPLICATION_EVENTS_FILE = FileSpec(
    "application_events.csv",
    (Column("reference"), Column("event", choice(*APPLICATION_EVENTS)), Column("at", parse_instant)),
)
CASES = FileSpec(
    "cases.csv",
    (
        Column("reference"),
        Column("origin", choice(*ORIGINS)),
        _optional("registration_number"),
        Column("referrer", choice(*REFERRERS)),
    ),
)
CASE_EVENTS_FILE = FileSpec(
    "case_events.csv",
    (Column("reference"), Column("event", choice(*CASE_EVENTS)), Column("at", parse_instant), _optional("detail")),
)
CALLS = FileSpec(
    "calls.csv",
    (
        Column("received_at", parse_instant),
        _optional("queue_seconds", parse_seconds),
        Column("outcome", choice(*CALL_OUTCOMES)),
    ),
)
EMAILS = FileSpec("emails.csv", (Column("received_at", parse_instant), _optional("responded_at", parse_instant)))
COMPLAINTS = FileSpec(
    "complaints.csv",
    (Column("reference"), Column("received_at", parse_instant), _optional("closed_at", parse_instant)),
)

# The order of reading: registrants before anything naming a registration number, parents before events.
FILES = (
    REGISTRANTS,
    REGISTER_EVENTS_FILE,
    CPD_RECORDS,
    PROVIDERS,
    COURSES,
    COURSE_EVENTS_FILE,
    APPLICATIONS,
    APPLICATION_EVENTS_FILE,
    CASES,
    CASE_EVENTS_FILE,
    CALLS,
    EMAILS,
    COMPLAINTS,
)
BY_NAME = {spec.name: spec for spec in FILES}
