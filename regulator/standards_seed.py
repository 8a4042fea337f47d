"""The service standards as the regulator set them (the board paper, domain.md, the statutes) and the
working-day calendar rows: the data migration's seed, kept here so the tests can put it back after
a transactional test's flush. Targets the sources do not give are marked "assumed" in their note,
for an administrator to confirm in the admin (decision 0821)."""

import datetime as dt
import functools
from typing import Any

FROM = dt.date(1990, 1, 1)  # the calendar's first day: every history, HCPC's included, has a rule

# code, amount, unit, measured from, extra fields, note
STANDARDS: list[tuple[str, int, str, str, dict[str, Any], str]] = [
    ("uk_application", 10, "working_days", "receipt", {"pauses_excluded": True}, "REG1."),
    (
        "restoration_application",
        10,
        "working_days",
        "receipt",
        {"pauses_excluded": True},
        "Assumed: the same standard as UK applications; the board paper reports restorations' median only.",
    ),
    (
        "pre_triage",
        28,
        "calendar_days",
        "receipt of the concern",
        {},
        "Assumed: the board paper reports the average time to pre-triage, not a target.",
    ),
    ("triage_initial_review", 10, "working_days", "establishing the case concerns a social worker", {}, "TRI2."),
    ("triage_decision", 28, "calendar_days", "establishing the case concerns a social worker", {}, "TRI1."),
    ("investigation", 6, "calendar_months", "referral to investigation", {}, "INV2: Social Work England cases."),
    (
        "investigation_hcpc",
        0,
        "fixed_date",
        "transfer from the HCPC",
        {"fixed_date": dt.date(2021, 12, 31)},
        "INV3: every HCPC case closed or progressed by December 2021.",
    ),
    ("case_examiner_initial_decision", 10, "working_days", "referral to case examiners", {}, "CE1."),
    ("interim_order_decision", 20, "working_days", "the need for an interim order being identified", {}, ""),
    ("complaint_stage", 20, "working_days", "the stage starting", {}, "Corporate complaints, each stage."),
    ("email", 5, "working_days", "receipt", {}, "REG3."),
    (
        "foi",
        20,
        "working_days",
        "receipt",
        {"extension_amount": 20},
        "Freedom of Information Act 2000, s.10; s.10(3): up to 20 further working days for the public interest test.",
    ),
    (
        "subject_access",
        1,
        "calendar_months",
        "receipt",
        {"extension_amount": 2, "ends_on_working_day": True},
        "UK GDPR art. 12(3): one month, extendable by two when complex; a month ending on a non-working day "
        "runs to the next working day.",
    ),
    (
        "appeal",
        6,
        "calendar_months",
        "the appeal being lodged",
        {},
        "Assumed: the board paper reports the median weeks to conclude (27.5 in Oct-Dec 2020), not a target.",
    ),
    (
        "misuse_of_title",
        20,
        "working_days",
        "the case being opened",
        {},
        "Assumed: the board paper reports the median working days to complete, not a target.",
    ),
    ("course_condition", 0, "on_record", "the approval decision", {}, "Each condition's due date is set with it."),
    ("monitoring_return", 0, "on_record", "the monitoring cycle opening", {}, "The cycle's due date."),
]


@functools.cache
def _calendar() -> tuple:
    """The calendar's rows, worked out once per process (0.4 s of Python; a test run re-seeds after
    every transactional test's flush)."""
    from regulator.working_days import calendar_rows

    return tuple(calendar_rows())


def seed(ServiceStandard, WorkingDay, Group) -> None:
    """Write the seeded rules and the calendar (idempotent), with the model classes given."""
    for code, amount, unit, measured_from, extra, note in STANDARDS:
        ServiceStandard.objects.update_or_create(
            code=code,
            effective_from=FROM,
            defaults={"amount": amount, "unit": unit, "measured_from": measured_from, "note": note, **extra},
        )
    from django.db import connection  # the default database: the seed is never routed elsewhere

    rows = _calendar()
    if connection.vendor == "postgresql" and not WorkingDay.objects.exists():
        # COPY: the ~70 ms way to write some 40,000 days (the ORM's batched INSERTs take seconds).
        with connection.cursor() as cursor, cursor.copy(
            f"COPY {WorkingDay._meta.db_table} (day, is_working, ordinal) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        WorkingDay.objects.bulk_create(
            [WorkingDay(day=d, is_working=w, ordinal=o) for d, w, o in rows], batch_size=5000, ignore_conflicts=True
        )
    Group.objects.get_or_create(name="team_lead")


def ensure_seeded() -> None:
    """Put the seed back when a flush has emptied the tables (tests only: production keeps its rows)."""
    from django.contrib.auth.models import Group

    from .models import ServiceStandard, WorkingDay

    if not ServiceStandard.objects.exists() or not WorkingDay.objects.exists():
        seed(ServiceStandard, WorkingDay, Group)
