"""Misuse of the protected title: a case opened, worked and completed (working days to complete
are derived from the opened and completed events, registration.clocks)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from regulator.audit import audit_record
from regulator.errors import RuleViolation
from regulator.transitions import lock_for_change

from ..models import MisuseOfTitleCase, MisuseOfTitleEvent
from .references import issue_reference, provisional_reference

Status = MisuseOfTitleCase.Status


def _user(actor):
    return actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None


@transaction.atomic
def misuse_of_title_open(
    *, subject_name: str, details: str, actor, now: dt.datetime | None = None
) -> MisuseOfTitleCase:
    now = now or timezone.now()
    if not subject_name.strip():
        raise RuleViolation("Enter the name of the person using the title.", field="subject_name")
    if not details.strip():
        raise RuleViolation("Describe how the title is being used.", field="details")
    case = MisuseOfTitleCase(
        reference=provisional_reference(),
        subject_name=subject_name.strip(),
        details=details.strip(),
        opened_at=now,
    )
    case.full_clean()
    case.save()
    issue_reference(case, "MT")
    MisuseOfTitleEvent.objects.create(case=case, event=MisuseOfTitleEvent.Kind.OPENED, at=now, actor=_user(actor))
    audit_record(actor=actor, action="misuse_of_title.opened", obj=case, after={"status": case.status}, at=now)
    return case


def _locked(record, *, version: int | None, allowed, action: str):
    return lock_for_change(MisuseOfTitleCase, record.pk, version=version, allowed=allowed, action=action)


@transaction.atomic
def misuse_of_title_start_work(*, case: MisuseOfTitleCase, actor, version: int | None, now: dt.datetime | None = None):
    now = now or timezone.now()
    case = _locked(case, version=version, allowed=[Status.OPENED], action="started")
    case.status, case.assigned_to = Status.IN_PROGRESS, _user(actor)
    case.version += 1
    case.save(update_fields=["status", "assigned_to", "version"])
    MisuseOfTitleEvent.objects.create(case=case, event=MisuseOfTitleEvent.Kind.WORK_STARTED, at=now, actor=_user(actor))
    audit_record(actor=actor, action="misuse_of_title.work_started", obj=case, after={"status": case.status}, at=now)
    return case


@transaction.atomic
def misuse_of_title_complete(
    *, case: MisuseOfTitleCase, outcome: str, actor, version: int | None, now: dt.datetime | None = None
):
    now = now or timezone.now()
    if not outcome.strip():
        raise RuleViolation("Record the outcome of the case.", field="outcome")
    case = _locked(case, version=version, allowed=[Status.OPENED, Status.IN_PROGRESS], action="completed")
    case.status, case.completed_at, case.outcome = Status.COMPLETED, now, outcome.strip()
    case.version += 1
    case.save(update_fields=["status", "completed_at", "outcome", "version"])
    MisuseOfTitleEvent.objects.create(
        case=case, event=MisuseOfTitleEvent.Kind.COMPLETED, at=now, actor=_user(actor), reason=outcome.strip()
    )
    audit_record(actor=actor, action="misuse_of_title.completed", obj=case, after={"status": case.status}, at=now)
    return case
