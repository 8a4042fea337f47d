"""Writes to the register. Every change is one function: it checks the state, writes the dated
register event and the audit record, and refuses what the rules forbid."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from regulator.audit import audit_record, snapshot
from regulator.errors import InvalidTransition, RuleViolation
from regulator.working_days import local_date

from .. import date_bounds
from ..models import (
    Annotation,
    EntryStatus,
    NameToken,
    Origin,
    Register,
    RegisterEntry,
    RegisterEvent,
    Registrant,
    RegistrationNumberCounter,
    RemovalReason,
)
from ..text import name_words, normalise

# Numbers issued by this system start above every number the HCPC issued (HCPC numbers are below it).
FIRST_ISSUED_NUMBER = 200001
NUMBER_SEQUENCE = "registration_number_seq"


def search_keys(*, given_name: str, family_name: str, town: str) -> dict[str, str]:
    """The normalised columns the public search reads (see RegisterEntry)."""
    given = name_words(given_name)
    return {
        "search_given": given[0] if given else "",
        "search_family": " ".join(name_words(family_name)),
        "search_town": normalise(town),
    }


def name_tokens_add(tokens) -> None:
    """Add names to the search vocabulary (idempotent)."""
    NameToken.objects.bulk_create(
        [NameToken(token=t) for t in {t for t in tokens if t}], ignore_conflicts=True, batch_size=5000
    )


def issue_registration_number() -> str:
    """The next registration number: 'SW' and digits, from a database sequence, never reused."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [NUMBER_SEQUENCE])
            return f"SW{cursor.fetchone()[0]}"
    with transaction.atomic():
        counter = RegistrationNumberCounter.objects.select_for_update().first()
        if counter is None:
            counter = RegistrationNumberCounter.objects.create(last_number=FIRST_ISSUED_NUMBER - 1)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        return f"SW{counter.last_number}"


def registration_numbers_reserve_above(number: int) -> None:
    """After importing or seeding numbers, make sure the system never issues one of them again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM registration_number_seq)))",
                [NUMBER_SEQUENCE, number],
            )
        return
    counter = RegistrationNumberCounter.objects.first()
    if counter is None:
        RegistrationNumberCounter.objects.create(last_number=max(number, FIRST_ISSUED_NUMBER - 1))
    elif counter.last_number < number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])


@transaction.atomic
def register_entry_create(
    *,
    registrant: Registrant,
    route: str,
    town: str,
    actor,
    registered_on: dt.date | None = None,
    register: str = Register.FULL,
    qualification: str = "",
    origin: str = Origin.SWE,
    registration_number: str | None = None,
    temporary_until: dt.date | None = None,
    registered_until: dt.date | None = None,
    reason: str = "",
) -> RegisterEntry:
    """Enter a registrant on the register, issuing their number unless one is given (a transfer)."""
    if RegisterEntry.objects.filter(registrant=registrant).exists():
        raise InvalidTransition("This person already has a register entry; restore it instead.")
    if not town.strip():
        raise RuleViolation("Enter the town where the social worker works.", field="town")
    now = timezone.now()
    on = registered_on or local_date(now)
    entry = RegisterEntry(
        registrant=registrant,
        registration_number=registration_number or issue_registration_number(),
        register=register,
        route=route,
        town=town.strip(),
        qualification=qualification,
        registered_on=on,
        status_changed_on=on,
        origin=origin,
        temporary_until=temporary_until,
        registered_until=registered_until,
        **search_keys(given_name=registrant.given_name, family_name=registrant.family_name, town=town),
    )
    entry.full_clean()
    entry.save()
    name_tokens_add([entry.search_given, entry.search_family])
    RegisterEvent.objects.create(
        entry=entry, kind=RegisterEvent.Kind.REGISTERED, on=on, at=now, actor=_user(actor), reason=reason
    )
    audit_record(actor=actor, action="register_entry.created", obj=entry, after=snapshot(entry), reason=reason)
    return entry


def _locked(entry: RegisterEntry) -> RegisterEntry:
    return RegisterEntry.objects.select_for_update().get(pk=entry.pk)


def _user(actor):
    return actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None


@transaction.atomic
def register_entry_remove(
    *, entry: RegisterEntry, removal_reason: str, actor, reason: str = "", on: dt.date | None = None
) -> RegisterEntry:
    """Remove an entry from the register (failure to renew, voluntary, by order, temporary ended)."""
    entry = _locked(entry)
    if entry.status != EntryStatus.REGISTERED:
        raise InvalidTransition(f"{entry.registration_number} is not registered, so cannot be removed.")
    if removal_reason not in RemovalReason.values:
        raise RuleViolation("Choose a reason for removal.", field="removal_reason")
    before = snapshot(entry)
    on = on or local_date(timezone.now())
    entry.status, entry.removal_reason, entry.status_changed_on = EntryStatus.REMOVED, removal_reason, on
    entry.version += 1
    entry.save(update_fields=["status", "removal_reason", "status_changed_on", "version"])
    RegisterEvent.objects.create(
        entry=entry,
        kind=RegisterEvent.Kind.REMOVED,
        on=on,
        at=timezone.now(),
        actor=_user(actor),
        reason=reason,
        detail=removal_reason,
    )
    audit_record(
        actor=actor, action="register_entry.removed", obj=entry, before=before, after=snapshot(entry), reason=reason
    )
    return entry


@transaction.atomic
def register_entry_restore(
    *, entry: RegisterEntry, actor, reason: str = "", on: dt.date | None = None, register: str = Register.FULL
) -> RegisterEntry:
    """Restore a removed entry (after an approved restoration application, or an appeal upheld)."""
    entry = _locked(entry)
    if entry.status != EntryStatus.REMOVED:
        raise InvalidTransition(f"{entry.registration_number} is registered already.")
    before = snapshot(entry)
    on = on or local_date(timezone.now())
    entry.status, entry.removal_reason, entry.status_changed_on, entry.register = (
        EntryStatus.REGISTERED,
        "",
        on,
        register,
    )
    entry.version += 1
    entry.save(update_fields=["status", "removal_reason", "status_changed_on", "register", "version"])
    RegisterEvent.objects.create(
        entry=entry, kind=RegisterEvent.Kind.RESTORED, on=on, at=timezone.now(), actor=_user(actor), reason=reason
    )
    audit_record(
        actor=actor, action="register_entry.restored", obj=entry, before=before, after=snapshot(entry), reason=reason
    )
    return entry


@transaction.atomic
def annotation_add(
    *, entry: RegisterEntry, kind: str, starts_on: dt.date, actor, ends_on: dt.date | None = None, reason: str = ""
) -> Annotation:
    """Record an area of extended practice (AMHP, BIA, ...) on an entry."""
    date_bounds.ANNOTATION_STARTS.check(starts_on, field="starts_on")
    if ends_on and ends_on < starts_on:
        raise RuleViolation("The end date must be on or after the start date.", field="ends_on")
    if Annotation.objects.filter(entry=entry, kind=kind, ends_on__isnull=True).exists():
        raise InvalidTransition("This annotation is already in force on the entry.")
    annotation = Annotation(entry=entry, kind=kind, starts_on=starts_on, ends_on=ends_on)
    annotation.full_clean()
    annotation.save()
    audit_record(actor=actor, action="annotation.added", obj=annotation, after=snapshot(annotation), reason=reason)
    return annotation


@transaction.atomic
def register_entry_change_details(
    *,
    entry: RegisterEntry,
    actor,
    reason: str,
    given_name: str | None = None,
    family_name: str | None = None,
    town: str | None = None,
) -> RegisterEntry:
    """Change the name or town shown on the register, keeping the search columns in step."""
    entry = _locked(entry)
    registrant = Registrant.objects.select_for_update().get(pk=entry.registrant_id)
    before = {**snapshot(entry, ["town"]), **snapshot(registrant, ["given_name", "family_name"])}
    if given_name is not None:
        registrant.given_name = given_name.strip()
    if family_name is not None:
        registrant.family_name = family_name.strip()
    if town is not None:
        entry.town = town.strip()
    registrant.full_clean()
    registrant.save(update_fields=["given_name", "family_name"])
    for key, value in search_keys(
        given_name=registrant.given_name, family_name=registrant.family_name, town=entry.town
    ).items():
        setattr(entry, key, value)
    entry.version += 1
    entry.full_clean()
    entry.save()
    name_tokens_add([entry.search_given, entry.search_family])
    RegisterEvent.objects.create(
        entry=entry,
        kind=RegisterEvent.Kind.DETAILS_CHANGED,
        on=local_date(timezone.now()),
        at=timezone.now(),
        actor=_user(actor),
        reason=reason,
    )
    after = {**snapshot(entry, ["town"]), **snapshot(registrant, ["given_name", "family_name"])}
    audit_record(
        actor=actor, action="register_entry.details_changed", obj=entry, before=before, after=after, reason=reason
    )
    return entry
