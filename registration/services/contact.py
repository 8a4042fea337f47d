"""The contact centre: calls imported from the telephony system (interchange.md's calls.csv) and
email enquiries received and answered (REG2 and REG3 read them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from regulator.audit import audit_record
from regulator.bounded import BoundedErrorList
from regulator.errors import InvalidTransition, RuleViolation, StaleState

from ..models import EmailEnquiry


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=BoundedErrorList)  # the first 100 and a count of the rest
    rows: int = 0
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _import(name: str, text: str, actor) -> ImportResult:
    """Officers' uploads are read by the interchange layer (interchange/importer.py), the one reader
    of the format: the same checks, and identical rows are distinct calls or emails (decision 0702)."""
    from interchange.importer import import_file
    from regulator.bounded import MAX_REPORTED_ERRORS

    report = import_file(name, text.lstrip("\ufeff"), actor=actor)
    counts = report.counts.get(name, {})
    # An officer's answer is bounded (security issue): the first problems, and a count of the rest.
    errors = report.errors[:MAX_REPORTED_ERRORS]
    if report.error_count > len(errors):
        errors.append(f"… and {report.error_count - len(errors):,} more problems")
    return ImportResult(errors=errors, rows=report.rows_read, created=counts.get("new", 0) if report.ok else 0)


def calls_import(*, text: str, actor, filename: str = "calls.csv") -> ImportResult:
    """interchange.md's calls.csv: every bad row reported as `file:line: column: reason`, nothing
    written if any is bad; importing the same file again adds nothing."""
    return _import("calls.csv", text, actor)


def emails_import(*, text: str, actor, filename: str = "emails.csv") -> ImportResult:
    """interchange.md's emails.csv (received_at, responded_at): the same checks and idempotency as calls."""
    return _import("emails.csv", text, actor)


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
