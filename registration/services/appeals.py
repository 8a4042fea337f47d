"""Appeals against registration decisions: a refused application or a removal from the register.

Lodged within the appeal period (clocks.APPEAL_PERIOD_DAYS), a hearing listed, then upheld or
rejected. Upheld against a refusal enters the appellant on the register; against a removal,
restores the entry. Weeks to conclude are derived from the lodged and concluded events.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from regulator.audit import audit_record
from regulator.errors import InvalidTransition, RuleViolation
from regulator.transitions import lock_for_change
from regulator.working_days import local_date

from .. import clocks, date_bounds
from ..models import (
    Appeal,
    AppealEvent,
    Application,
    ApplicationKind,
    ApplicationStatus,
    EntryStatus,
    RegisterEntry,
    RegisterEvent,
    Registrant,
)
from .references import issue_reference, provisional_reference
from .register import register_entry_create, register_entry_restore

Status = Appeal.Status


def _user(actor):
    return actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None


@transaction.atomic
def appeal_lodge(
    *,
    registrant: Registrant,
    actor,
    grounds: str,
    application: Application | None = None,
    removal_event: RegisterEvent | None = None,
    now: dt.datetime | None = None,
) -> Appeal:
    """Lodge an appeal against the registrant's own refused application or removal, in time."""
    now = now or timezone.now()
    if not grounds.strip():
        raise RuleViolation("Tell us why you are appealing.", field="grounds")
    if (application is None) == (removal_event is None):
        raise RuleViolation("Choose the decision you are appealing against.", field="decision")
    if application is not None:
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.registrant_id != registrant.pk or application.status != ApplicationStatus.REFUSED:
            raise InvalidTransition("Only a refused application of your own can be appealed.")
        if application.decided_at is None:
            raise InvalidTransition("This application has no decision to appeal against.")
        decided_on = local_date(application.decided_at)
        existing = Appeal.objects.filter(application=application)
    elif removal_event is not None:
        removal_event = RegisterEvent.objects.select_related("entry").get(pk=removal_event.pk)
        if removal_event.entry.registrant_id != registrant.pk or removal_event.kind != RegisterEvent.Kind.REMOVED:
            raise InvalidTransition("Only your own removal from the register can be appealed.")
        decided_on = removal_event.on
        existing = Appeal.objects.filter(removal_event=removal_event)
    if existing.exists():
        raise InvalidTransition("You have already appealed against this decision.")
    deadline = clocks.appeal_deadline(decided_on)
    if local_date(now) > deadline:
        raise RuleViolation(f"The appeal period ended on {deadline:%-d %B %Y}.", field="decision")
    appeal = Appeal(
        reference=provisional_reference(),
        registrant=registrant,
        application=application,
        removal_event=removal_event,
        grounds=grounds.strip(),
        lodged_at=now,
    )
    appeal.full_clean()
    appeal.save()
    issue_reference(appeal, "AP")
    AppealEvent.objects.create(
        appeal=appeal, event=AppealEvent.Kind.LODGED, at=now, actor=_user(actor), reason=grounds.strip()
    )
    audit_record(actor=actor, action="appeal.lodged", obj=appeal, after={"status": appeal.status}, at=now)
    return appeal


def _locked(record, *, version: int | None, allowed, action: str):
    return lock_for_change(Appeal, record.pk, version=version, allowed=allowed, action=action)


@transaction.atomic
def appeal_list_hearing(
    *, appeal: Appeal, hearing_on: dt.date, actor, version: int | None, now: dt.datetime | None = None
) -> Appeal:
    now = now or timezone.now()
    appeal = _locked(appeal, version=version, allowed=[Status.LODGED, Status.HEARING_LISTED], action="listed")
    date_bounds.APPEAL_HEARING_ON.check(hearing_on, field="hearing_on", on=local_date(now))
    appeal.status, appeal.hearing_on = Status.HEARING_LISTED, hearing_on
    appeal.version += 1
    appeal.save(update_fields=["status", "hearing_on", "version"])
    AppealEvent.objects.create(
        appeal=appeal,
        event=AppealEvent.Kind.HEARING_LISTED,
        at=now,
        actor=_user(actor),
        reason=f"Hearing on {hearing_on:%-d %B %Y}",
    )
    audit_record(actor=actor, action="appeal.hearing_listed", obj=appeal, after={"hearing_on": hearing_on}, at=now)
    return appeal


@transaction.atomic
def appeal_decide(
    *, appeal: Appeal, outcome: str, reasons: str, actor, version: int | None, now: dt.datetime | None = None
) -> Appeal:
    """Conclude: upheld (the decision is reversed on the register) or rejected."""
    now = now or timezone.now()
    if outcome not in (Status.UPHELD, Status.REJECTED):
        raise RuleViolation("Choose upheld or rejected.", field="outcome")
    if not reasons.strip():
        raise RuleViolation("Give the reasons for the outcome.", field="reasons")
    appeal = _locked(appeal, version=version, allowed=[Status.LODGED, Status.HEARING_LISTED], action="decided")
    if outcome == Status.UPHELD:
        why = f"Appeal {appeal.reference} upheld"
        application, removal = appeal.application, appeal.removal_event
        if application is not None:
            entry = RegisterEntry.objects.filter(registrant_id=appeal.registrant_id).first()
            if application.kind == ApplicationKind.RESTORATION and entry is not None:
                entry = register_entry_restore(entry=entry, actor=actor, reason=why, on=local_date(now))
            else:
                entry = register_entry_create(
                    registrant=appeal.registrant,
                    route=application.route,
                    town=application.town,
                    qualification=application.qualification,
                    registered_on=local_date(now),
                    registered_until=clocks.registration_year_ends(local_date(now)),
                    actor=actor,
                    reason=why,
                )
            Application.objects.filter(pk=application.pk).update(registration_number=entry.registration_number)
        elif removal is not None:
            entry = removal.entry
            if RegisterEntry.objects.get(pk=entry.pk).status == EntryStatus.REMOVED:
                register_entry_restore(entry=entry, actor=actor, reason=why, on=local_date(now))
        _close_applications_made_moot(appeal, actor=actor, now=now)
    appeal.status, appeal.concluded_at, appeal.outcome_reasons = outcome, now, reasons.strip()
    appeal.version += 1
    appeal.save(update_fields=["status", "concluded_at", "outcome_reasons", "version"])
    AppealEvent.objects.create(appeal=appeal, event=outcome, at=now, actor=_user(actor), reason=reasons.strip())
    audit_record(actor=actor, action=f"appeal.{outcome}", obj=appeal, after={"status": outcome}, reason=reasons, at=now)
    return appeal


def _close_applications_made_moot(appeal: Appeal, *, actor, now: dt.datetime) -> None:
    """An upheld appeal has put the person (back) on the register: any other application of theirs to
    join or be restored that is still open (or a draft) can no longer be decided, so it is closed as
    withdrawn, with the reason on its timeline and a letter to say so."""
    from .applications import _letter, application_withdraw

    why = (
        f"Closed because appeal {appeal.reference} was upheld on {local_date(now):%-d %B %Y} "
        "and you are on the register again: this application is no longer needed."
    )
    still_open = Application.objects.filter(
        registrant_id=appeal.registrant_id,
        status__in=[ApplicationStatus.DRAFT, ApplicationStatus.RECEIVED, ApplicationStatus.AWAITING_APPLICANT],
    )
    if appeal.application_id is not None:
        still_open = still_open.exclude(pk=appeal.application_id)
    for application in still_open:
        closed = application_withdraw(application=application, actor=actor, reason=why, version=None, now=now)
        if closed.received_at is not None:
            _letter(closed, subject=f"Your application {closed.reference} is closed", body=why, now=now)
