"""The contact centre: calls imported from the telephony system (interchange.md's calls.csv) and
email enquiries received and answered (REG2 and REG3 read them)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from regulator.audit import audit_record
from regulator.errors import InvalidTransition, RuleViolation, StaleState
from regulator.working_days import LONDON

from ..models import Call, EmailEnquiry

CALL_COLUMNS = ("received_at", "queue_seconds", "outcome")
EMAIL_COLUMNS = ("received_at", "responded_at")
MAX_QUEUE_SECONDS = 24 * 60 * 60


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    rows: int = 0
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _utc(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(text: str) -> dt.datetime:
    """interchange.md: ISO 8601 with an offset, or a date meaning the start of that day in London."""
    text = text.strip()
    if len(text) == 10:
        day = dt.date.fromisoformat(text)
        return dt.datetime.combine(day, dt.time(0), tzinfo=LONDON)
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("a time needs an offset, for example 2020-04-03T10:15:00+01:00")
    return value


def _read_csv(text: str, filename: str, columns: tuple[str, ...], result: ImportResult):
    """The rows of an interchange file as (line, row) pairs, after checking its header: unknown or
    missing columns are errors (columns may come in any order)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    for name in header:
        if name not in columns:
            result.errors.append(f"{filename}:1: {name}: unknown column")
    for name in columns:
        if name not in header:
            result.errors.append(f"{filename}:1: {name}: missing column")
    if result.errors:
        return
    for row in reader:
        result.rows += 1
        yield reader.line_num, {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}


def _instant(row, column, filename, line, result, *, required=True):
    text = row[column]
    if not text:
        if required:
            result.errors.append(f"{filename}:{line}: {column}: required")
        return None
    try:
        value = parse_instant(text)
    except ValueError as error:
        result.errors.append(f"{filename}:{line}: {column}: not a date or time with an offset ({error})")
        return None
    if value > timezone.now():
        result.errors.append(f"{filename}:{line}: {column}: is in the future")
    return value


def calls_import(*, text: str, actor, filename: str = "calls.csv") -> ImportResult:
    """Check every row first and report each bad one as `file:line: column: reason`; write nothing
    if any is bad. Importing the same file again adds nothing (a call is its instant, queue time
    and outcome: Call.key)."""
    result = ImportResult()
    calls: list[Call] = []
    for line, row in _read_csv(text, filename, CALL_COLUMNS, result):
        received_at = _instant(row, "received_at", filename, line, result)
        outcome = row["outcome"]
        if outcome not in Call.Outcome.values:
            result.errors.append(f"{filename}:{line}: outcome: must be one of {', '.join(Call.Outcome.values)}")
        queue_text = row["queue_seconds"]
        queue_seconds = None
        if queue_text:
            if not queue_text.isdigit() or int(queue_text) > MAX_QUEUE_SECONDS:
                result.errors.append(
                    f"{filename}:{line}: queue_seconds: must be a whole number of seconds (0 to {MAX_QUEUE_SECONDS})"
                )
            else:
                queue_seconds = int(queue_text)
        elif outcome in (Call.Outcome.ANSWERED, Call.Outcome.ABANDONED_IN_QUEUE):
            result.errors.append(f"{filename}:{line}: queue_seconds: required for a call that queued")
        if queue_text and outcome == Call.Outcome.HUNG_UP_BEFORE_QUEUE:
            result.errors.append(f"{filename}:{line}: queue_seconds: must be empty for a call that never queued")
        if received_at is not None:
            key = Call.key_for(received_at, queue_seconds, outcome)
            calls.append(Call(received_at=received_at, queue_seconds=queue_seconds, outcome=outcome, key=key))
    if result.errors:
        return result
    with transaction.atomic():
        before = Call.objects.count()
        Call.objects.bulk_create(calls, ignore_conflicts=True, batch_size=5000)
        result.created = Call.objects.count() - before
        audit_record(
            actor=actor,
            action="calls.imported",
            object_type="registration.call",
            object_id=filename,
            after={"rows": result.rows, "created": result.created},
        )
    return result


def emails_import(*, text: str, actor, filename: str = "emails.csv") -> ImportResult:
    """interchange.md's emails.csv (received_at, responded_at): the same checks and idempotency as calls."""
    result = ImportResult()
    enquiries: list[EmailEnquiry] = []
    for line, row in _read_csv(text, filename, EMAIL_COLUMNS, result):
        received_at = _instant(row, "received_at", filename, line, result)
        responded_at = _instant(row, "responded_at", filename, line, result, required=False)
        if received_at and responded_at and responded_at < received_at:
            result.errors.append(f"{filename}:{line}: responded_at: is before received_at")
        if received_at is not None:
            key = f"{_utc(received_at)}|{_utc(responded_at) if responded_at else ''}"
            enquiries.append(EmailEnquiry(received_at=received_at, responded_at=responded_at, import_key=key))
    if result.errors:
        return result
    with transaction.atomic():
        before = EmailEnquiry.objects.count()
        EmailEnquiry.objects.bulk_create(enquiries, ignore_conflicts=True, batch_size=5000)
        result.created = EmailEnquiry.objects.count() - before
        audit_record(
            actor=actor,
            action="emails.imported",
            object_type="registration.emailenquiry",
            object_id=filename,
            after={"rows": result.rows, "created": result.created},
        )
    return result


@transaction.atomic
def email_enquiry_receive(
    *, received_at: dt.datetime, actor, from_address: str = "", subject: str = ""
) -> EmailEnquiry:
    if received_at > timezone.now():
        raise RuleViolation("The time received cannot be in the future.", field="received_at")
    enquiry = EmailEnquiry(received_at=received_at, from_address=from_address.strip(), subject=subject.strip()[:200])
    enquiry.full_clean()
    enquiry.save()
    audit_record(actor=actor, action="email_enquiry.received", obj=enquiry, after={"received_at": received_at})
    return enquiry


@transaction.atomic
def email_enquiry_answer(
    *, enquiry: EmailEnquiry, actor, version: int | None, responded_at: dt.datetime | None = None
) -> EmailEnquiry:
    responded_at = responded_at or timezone.now()
    enquiry = EmailEnquiry.objects.select_for_update().get(pk=enquiry.pk)
    if version is not None and enquiry.version != version:
        raise StaleState("This email was changed by someone else. Reload it and try again.")
    if enquiry.responded_at is not None:
        raise InvalidTransition("This email has already been answered.")
    if responded_at < enquiry.received_at:
        raise RuleViolation("The answer cannot come before the email was received.", field="responded_at")
    enquiry.responded_at = responded_at
    enquiry.responded_by = actor if getattr(actor, "pk", None) else None
    enquiry.version += 1
    enquiry.save(update_fields=["responded_at", "responded_by", "version"])
    audit_record(actor=actor, action="email_enquiry.answered", obj=enquiry, after={"responded_at": responded_at})
    return enquiry
