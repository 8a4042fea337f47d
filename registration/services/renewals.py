"""The registrant's account, CPD, annual renewal, the end of the renewal window, and the temporary
register. The end-of-window removal works in bulk in the database: it must take seconds at
100,000 registrants (docs/decisions/0101-renewal-window-close-in-bulk.md)."""

from __future__ import annotations

import datetime as dt
import zlib

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from regulator import outbox
from regulator.audit import audit_record
from regulator.errors import InvalidTransition, RuleViolation
from regulator.models import User
from regulator.roles import Role, grant_roles
from regulator.working_days import add_calendar_months, local_date

from .. import clocks, date_bounds
from ..models import (
    CPDRecord,
    EntryStatus,
    Payment,
    RegisterEntry,
    RegisterEvent,
    Registrant,
    RemovalReason,
    Renewal,
    RenewalWindowClosure,
)
from ..payments import fee, payment_provider

WINDOW_CLOSE_LOCK = zlib.crc32(b"registration.renewal_window_close")  # the sweep's advisory lock key
FAILURE_TO_RENEW = "Removed: failure to renew"


def _user(actor):
    return actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None


@transaction.atomic
def registrant_sign_up(
    *,
    email: str,
    password: str,
    given_name: str,
    family_name: str,
    registration_number: str = "",
    date_of_birth: dt.date | None = None,
) -> User | None:
    """Ask for an online account for an applicant or registrant. The answer never says whether the email
    address has an account: the same work is done (one password hash, one queued email) and the email
    tells its owner what happened (docs/decisions/0790-sign-up-confirmed-by-email.md).

    - A new address gets an account that is not active yet, and an email with a link that confirms the
      address (`registrant_email_confirm`); the account can be used from then on.
    - An address with an unconfirmed account gets that account's password and names replaced and a new
      link, so nobody can hold an address by signing it up first.
    - An address with an account gets an email saying so, with the links to sign in or reset the
      password; nothing else changes. Returns None.

    Someone already on the register gives their registration number and date of birth and is linked to
    their own entry; anyone else gets a new Registrant (private details; they join the register when an
    application is approved)."""
    from ..selectors import parse_registration_number

    email = email.strip().lower()
    user = User.objects.select_for_update().filter(Q(email__iexact=email) | Q(username__iexact=email)).first()
    pending = user is not None and not user.is_active and user.last_login is None and hasattr(user, "registrant")
    existing = None
    if registration_number.strip():
        number = parse_registration_number(registration_number)
        free = Q(user__isnull=True) | Q(user=user) if pending else Q(user__isnull=True)
        existing = (
            Registrant.objects.select_for_update().filter(free, register_entry__registration_number=number).first()
            if number
            else None
        )
        # One message for every mismatch, so the form cannot be used to probe the register.
        if existing is None or date_of_birth is None or existing.date_of_birth != date_of_birth:
            raise RuleViolation(
                "We could not match that registration number and date of birth. Check them, or contact us.",
                field="registration_number",
            )
    if user is not None and not pending:
        User().set_password(password)  # the same work as a new account: the timing says nothing
        outbox.enqueue(tasks().send_account_email, kind="already_registered", user_id=user.pk)
        audit_record(actor=None, action="registrant.sign_up_for_existing_account", obj=user)
        return None
    new = user is None
    if user is None:
        user = User(username=email, email=email, is_active=False)
    user.first_name, user.last_name = given_name.strip(), family_name.strip()
    user.set_password(password)
    user.full_clean()
    user.save()
    if new:
        grant_roles(user, [Role.REGISTRANT])
    registrant = getattr(user, "registrant", None) if pending else None
    if existing is not None and existing != registrant:
        if registrant is not None and registrant.register_entry_id is None:
            registrant.user = None  # the unconfirmed sign-up's own new record is left behind, unlinked
            registrant.save(update_fields=["user"])
        existing.user = user
        existing.email = existing.email or email
        existing.save(update_fields=["user", "email"])
        audit_record(actor=user, action="registrant.account_linked", obj=existing, after={"email": email})
    elif registrant is None:
        registrant = Registrant(user=user, given_name=given_name.strip(), family_name=family_name.strip(), email=email)
        registrant.full_clean()
        registrant.save()
        audit_record(actor=user, action="registrant.signed_up", obj=registrant, after={"email": email})
    outbox.enqueue(tasks().send_account_email, kind="confirm_sign_up", user_id=user.pk)
    return user


@transaction.atomic
def registrant_email_confirm(*, user: User) -> User:
    """The owner of a signed-up address followed the link: the account becomes usable. Refused for an
    account that is active already (the link is single use: its token changes with is_active)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise InvalidTransition("This account is confirmed already. Sign in instead.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(actor=user, action="registrant.email_confirmed", obj=user)
    return user


def tasks():
    from .. import tasks as registration_tasks

    return registration_tasks


@transaction.atomic
def cpd_record_add(
    *,
    registrant: Registrant,
    actor,
    kind: str,
    done_on: dt.date,
    description: str,
    learning: str,
    impact: str,
    peer_reflection: bool,
    peer_name: str = "",
    peer_reflection_on: dt.date | None = None,
    today: dt.date | None = None,
) -> CPDRecord:
    """Record a piece of CPD: dated, described, with what was learnt and its impact on practice."""
    today = today or timezone.localdate()
    date_bounds.CPD_DONE_ON.check(done_on, field="done_on", on=today)
    if peer_reflection:
        if not peer_name.strip():
            raise RuleViolation("Enter who you reflected with.", field="peer_name")
        if peer_reflection_on is None:
            raise RuleViolation("Enter when you reflected.", field="peer_reflection_on")
        date_bounds.CPD_REFLECTED_ON.check(peer_reflection_on, field="peer_reflection_on", on=today)
        if peer_reflection_on < done_on:
            raise RuleViolation(
                "You reflected on your CPD after doing it: check the dates.", field="peer_reflection_on"
            )
    else:
        peer_name, peer_reflection_on = "", None
    record = CPDRecord(
        registrant=registrant,
        kind=kind,
        done_on=done_on,
        description=description.strip(),
        learning=learning.strip(),
        impact=impact.strip(),
        peer_reflection=peer_reflection,
        peer_name=peer_name.strip(),
        peer_reflection_on=peer_reflection_on,
    )
    record.full_clean()
    record.save()
    audit_record(actor=actor, action="cpd_record.added", obj=record, after={"kind": kind, "done_on": done_on})
    return record


def cpd_position(*, registrant_id: int, year_ends: dt.date) -> dict:
    """The CPD rule in one query: records dated in the registration year, and how many with peer reflection."""
    counts = CPDRecord.objects.filter(
        registrant_id=registrant_id, done_on__gte=clocks.registration_year_starts(year_ends), done_on__lte=year_ends
    ).aggregate(records=Count("id"), with_peer_reflection=Count("id", filter=Q(peer_reflection=True)))
    need_records = settings.REGISTRATION_CPD_MINIMUM_RECORDS
    need_peer = settings.REGISTRATION_CPD_MINIMUM_WITH_PEER_REFLECTION
    return {
        **counts,
        "records_needed": need_records,
        "peer_reflection_needed": need_peer,
        "meets_rule": counts["records"] >= need_records and counts["with_peer_reflection"] >= need_peer,
    }


@transaction.atomic
def renewal_submit(
    *,
    registrant: Registrant,
    actor,
    declarations_confirmed: bool,
    payment_token: str,
    now: dt.datetime | None = None,
) -> Renewal:
    """Renew for the next registration year: in the window, with the CPD rule met, the declarations
    and the fee. One renewal per entry per year (the lock, and a unique constraint behind it)."""
    now = now or timezone.now()
    today = local_date(now)
    window = clocks.renewal_window(today)
    if not window.is_open(today):
        raise InvalidTransition(
            f"Renewal is open from {window.opens:%-d %B} to {window.closes:%-d %B %Y}: you cannot renew today."
        )
    entry = RegisterEntry.objects.select_for_update().filter(registrant=registrant).first()
    if entry is None or entry.status != EntryStatus.REGISTERED:
        raise InvalidTransition("Only a registered social worker can renew. Apply for restoration instead.")
    if entry.registered_until and entry.registered_until >= window.next_year_ends:
        raise InvalidTransition(
            f"You have already renewed: you are registered until {entry.registered_until:%-d %B %Y}."
        )
    if not declarations_confirmed:
        raise RuleViolation("Confirm the declarations to renew.", field="declarations_confirmed")
    cpd = cpd_position(registrant_id=registrant.pk, year_ends=window.year_ends)
    if not cpd["meets_rule"]:
        raise RuleViolation(
            f"Record at least {cpd['records_needed']} pieces of CPD dated in this registration year, "
            f"at least {cpd['peer_reflection_needed']} with peer reflection "
            f"(you have {cpd['records']}, {cpd['with_peer_reflection']} with peer reflection).",
            field="cpd",
        )
    provider = payment_provider()
    amount = fee("renewal")
    outcome = provider.take(
        amount_pence=amount, description=f"Renewal {entry.registration_number}", token=payment_token
    )
    if not outcome.succeeded:
        raise RuleViolation(outcome.failure_reason or "The payment did not go through.", field="payment")
    payment = Payment.objects.create(
        payer=actor,
        purpose=Payment.Purpose.RENEWAL,
        amount_pence=amount,
        provider=provider.name,
        provider_reference=outcome.provider_reference,
        status=Payment.Status.SUCCEEDED,
        at=now,
    )
    try:
        with transaction.atomic():
            renewal = Renewal.objects.create(
                entry=entry,
                registration_year_ends=window.year_ends,
                renewed_until=window.next_year_ends,
                renewed_at=now,
                actor=actor,
                payment=payment,
                cpd_records_counted=cpd["records"],
            )
    except IntegrityError as error:  # unreachable under the lock; the constraint is the last word
        raise InvalidTransition("You have already renewed for this year.") from error
    before = entry.registered_until
    entry.registered_until = window.next_year_ends
    entry.version += 1
    entry.save(update_fields=["registered_until", "version"])
    RegisterEvent.objects.create(
        entry=entry,
        kind=RegisterEvent.Kind.RENEWED,
        on=today,
        at=now,
        actor=_user(actor),
        reason=f"Renewed until {window.next_year_ends:%-d %B %Y}",
    )
    audit_record(
        actor=actor,
        action="register_entry.renewed",
        obj=entry,
        before={"registered_until": before},
        after={"registered_until": entry.registered_until},
        at=now,
    )
    return renewal


def must_renew_q(year_ends: dt.date) -> Q:
    """Who is removed for not renewing the year ending `year_ends` (docs/renewal-rule.md): registered on the
    full register, not renewed beyond that year, and on the register since before that year's window
    opened. Someone who joined (or was restored) once the window was open is not removed that year."""
    opens = clocks.renewal_window(year_ends).opens
    return Q(status=EntryStatus.REGISTERED, register="full", status_changed_on__lt=opens) & (
        Q(registered_until__isnull=True) | Q(registered_until__lte=year_ends)
    )


def renewal_window_to_close(*, now: dt.datetime | None = None) -> clocks.RenewalWindow:
    """The window whose close is run now: the one that closed last (this year's while it is still open)."""
    today = local_date(now or timezone.now())
    year_ends = clocks.registration_year_ends(today)
    if today <= year_ends:  # the window of the year in progress is not closed: take the one before
        year_ends = dt.date(year_ends.year - 1, year_ends.month, year_ends.day)
    return clocks.renewal_window(year_ends)


def renewal_window_confirmation_words(count: int) -> str:
    """What the officer types to confirm the removal: the number, so nobody confirms a number they did not read."""
    return f"remove {count}"


@transaction.atomic
def renewal_window_closure_request(*, actor, confirmation: str, now: dt.datetime | None = None) -> RenewalWindowClosure:
    """An officer asks for the end-of-window removal of the window that closed last; queued for Celery.

    The officer has seen the preview (how many, who) and types "remove N", N being the number who will
    be removed now: a different number (the preview is stale, or was not read) is refused, and the
    typed confirmation is kept on the audit trail."""
    now = now or timezone.now()
    window = renewal_window_to_close(now=now)
    year_ends = window.year_ends
    if local_date(now) <= year_ends:
        raise InvalidTransition(
            f"The renewal window closes on {year_ends:%-d %B %Y}: nobody can be removed before then."
        )
    count = RegisterEntry.objects.filter(must_renew_q(year_ends)).count()
    expected = renewal_window_confirmation_words(count)
    typed = " ".join((confirmation or "").lower().split())
    if typed != expected:
        raise RuleViolation(
            f'To confirm, type "{expected}": that is how many people will be removed for not renewing.',
            field="confirmation",
        )
    closure = RenewalWindowClosure.objects.create(
        registration_year_ends=year_ends, requested_by=_user(actor), requested_at=now
    )
    audit_record(
        actor=actor,
        action="renewal_window_closure.requested",
        obj=closure,
        after={"year_ends": year_ends, "to_remove": count, "confirmation": confirmation},
        reason=f'Confirmed by typing "{confirmation}" after the preview of {count} to remove',
    )
    from ..tasks import close_renewal_window

    outbox.enqueue(close_renewal_window, closure_id=closure.pk)  # committed with the request
    return closure


def renewal_window_close(
    *, year_ends: dt.date, actor, closure_id: int | None = None, now: dt.datetime | None = None
) -> dict[str, int]:
    """Remove everyone still registered on the full register who has not renewed beyond `year_ends`
    ("removed: failure to renew"), in bulk, on the day after the window closed; with emergency powers
    on, add them to the temporary register. Idempotent: a second run finds nobody to remove.

    Takes a transaction-level advisory lock: a second worker running at once skips (returns skipped=1).
    """
    now = now or timezone.now()
    changed_on = year_ends + dt.timedelta(days=1)
    if local_date(now) < changed_on:
        raise InvalidTransition(
            f"The renewal window closes on {year_ends:%-d %B %Y}: nobody can be removed before then."
        )
    actor_id = _user(actor).pk if _user(actor) else None
    actor_label = _user(actor).get_username() if _user(actor) else "system"
    emergency = settings.REGISTRATION_EMERGENCY_POWERS
    temporary_until = add_calendar_months(changed_on, settings.REGISTRATION_TEMPORARY_REGISTER_MONTHS)
    if connection.vendor != "postgresql":
        return _renewal_window_close_portable(
            year_ends=year_ends,
            changed_on=changed_on,
            now=now,
            actor=_user(actor),
            emergency=emergency,
            temporary_until=temporary_until,
            closure_id=closure_id,
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [WINDOW_CLOSE_LOCK])
        if not cursor.fetchone()[0]:
            if closure_id:
                RenewalWindowClosure.objects.filter(pk=closure_id).update(
                    status=RenewalWindowClosure.Status.SKIPPED, completed_at=now
                )
            return {"removed": 0, "added_to_temporary": 0, "renewed": 0, "skipped": 1}
        cursor.execute(
            """
            WITH lapsed AS (
                UPDATE registration_registerentry
                SET status = 'removed', removal_reason = %(reason)s, status_changed_on = %(on)s,
                    version = version + 1
                WHERE status = 'registered' AND register = 'full'
                  AND (registered_until IS NULL OR registered_until <= %(year_ends)s)
                  AND status_changed_on < %(opens)s  -- must_renew_q: on the register before the window opened
                RETURNING id
            ), events AS (
                INSERT INTO registration_registerevent (entry_id, kind, "on", at, actor_id, reason, detail)
                SELECT id, 'removed', %(on)s, %(at)s, %(actor)s, %(why)s, %(reason)s FROM lapsed
            ), audit AS (
                INSERT INTO regulator_auditevent
                    (at, actor_id, actor_label, action, object_type, object_id, before, after, reason)
                SELECT %(at)s, %(actor)s, %(label)s, 'register_entry.removed', 'registration.registerentry', id::text,
                       '{"status": "registered"}'::jsonb,
                       '{"status": "removed", "removal_reason": "failure_to_renew"}'::jsonb, %(why)s
                FROM lapsed
            )
            SELECT array_agg(id) FROM lapsed
            """,
            {
                "reason": RemovalReason.FAILURE_TO_RENEW.value,
                "on": changed_on,
                "year_ends": year_ends,
                "opens": clocks.renewal_window(year_ends).opens,
                "at": now,
                "actor": actor_id,
                "label": actor_label,
                "why": FAILURE_TO_RENEW,
            },
        )
        removed_ids = cursor.fetchone()[0] or []
        added = 0
        if emergency and removed_ids:
            added = _temporary_register_add_ids(
                cursor,
                removed_ids,
                until=temporary_until,
                on=changed_on,
                at=now,
                actor_id=actor_id,
                label=actor_label,
                why="Emergency powers: added to the temporary register after removal for failure to renew",
            )
        renewed = Renewal.objects.filter(registration_year_ends=year_ends).count()
        counts = {"removed": len(removed_ids), "added_to_temporary": added, "renewed": renewed, "skipped": 0}
        if closure_id:
            RenewalWindowClosure.objects.filter(pk=closure_id).update(
                status=RenewalWindowClosure.Status.COMPLETED,
                completed_at=timezone.now(),
                removed=counts["removed"],
                added_to_temporary=added,
                renewed=renewed,
            )
    return counts


def _bulk_register_change(ids, *, updates, kind, detail, why, action, before, after, on, at, user) -> None:
    """The portable (non-PostgreSQL) form of the bulk statements below: the embedded SQLite default."""
    from django.db.models import F

    from regulator.models import AuditEvent

    label = user.get_username() if user else "system"
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        RegisterEntry.objects.filter(pk__in=chunk).update(**updates, version=F("version") + 1)
        RegisterEvent.objects.bulk_create(
            [RegisterEvent(entry_id=i, kind=kind, on=on, at=at, actor=user, reason=why, detail=detail) for i in chunk]
        )
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    at=at,
                    actor=user,
                    actor_label=label,
                    action=action,
                    object_type="registration.registerentry",
                    object_id=str(i),
                    before=before,
                    after=after,
                    reason=why,
                )
                for i in chunk
            ]
        )


@transaction.atomic
def _renewal_window_close_portable(*, year_ends, changed_on, now, actor, emergency, temporary_until, closure_id):
    ids = list(RegisterEntry.objects.select_for_update().filter(must_renew_q(year_ends)).values_list("id", flat=True))
    reason = RemovalReason.FAILURE_TO_RENEW.value
    _bulk_register_change(
        ids,
        updates={"status": "removed", "removal_reason": reason, "status_changed_on": changed_on},
        kind="removed",
        detail=reason,
        why=FAILURE_TO_RENEW,
        action="register_entry.removed",
        before={"status": "registered"},
        after={"status": "removed", "removal_reason": reason},
        on=changed_on,
        at=now,
        user=actor,
    )
    added = 0
    if emergency and ids:
        added = _temporary_add_portable(
            ids,
            until=temporary_until,
            on=changed_on,
            at=now,
            user=actor,
            why="Emergency powers: added to the temporary register after removal for failure to renew",
        )
    renewed = Renewal.objects.filter(registration_year_ends=year_ends).count()
    if closure_id:
        RenewalWindowClosure.objects.filter(pk=closure_id).update(
            status=RenewalWindowClosure.Status.COMPLETED,
            completed_at=timezone.now(),
            removed=len(ids),
            added_to_temporary=added,
            renewed=renewed,
        )
    return {"removed": len(ids), "added_to_temporary": added, "renewed": renewed, "skipped": 0}


def _temporary_add_portable(ids, *, until, on, at, user, why) -> int:
    ids = list(RegisterEntry.objects.filter(pk__in=ids, status=EntryStatus.REMOVED).values_list("id", flat=True))
    _bulk_register_change(
        ids,
        updates={
            "register": "temporary",
            "status": "registered",
            "removal_reason": "",
            "temporary_until": until,
            "status_changed_on": on,
        },
        kind="moved_to_temporary",
        detail="",
        why=why,
        action="register_entry.moved_to_temporary",
        before={"register": "full", "status": "removed"},
        after={"register": "temporary", "status": "registered", "temporary_until": until.isoformat()},
        on=on,
        at=at,
        user=user,
    )
    return len(ids)


def _temporary_register_add_ids(cursor, ids, *, until, on, at, actor_id, label, why) -> int:
    cursor.execute(
        """
        WITH added AS (
            UPDATE registration_registerentry
            SET register = 'temporary', status = 'registered', removal_reason = '', temporary_until = %(until)s,
                status_changed_on = %(on)s, version = version + 1
            WHERE id = ANY(%(ids)s) AND status = 'removed'
            RETURNING id
        ), events AS (
            INSERT INTO registration_registerevent (entry_id, kind, "on", at, actor_id, reason, detail)
            SELECT id, 'moved_to_temporary', %(on)s, %(at)s, %(actor)s, %(why)s, '' FROM added
        ), audit AS (
            INSERT INTO regulator_auditevent
                    (at, actor_id, actor_label, action, object_type, object_id, before, after, reason)
            SELECT %(at)s, %(actor)s, %(label)s, 'register_entry.moved_to_temporary', 'registration.registerentry',
                   id::text, '{"register": "full", "status": "removed"}'::jsonb,
                   jsonb_build_object('register', 'temporary', 'status', 'registered',
                                      'temporary_until', %(until)s::text), %(why)s
            FROM added
        )
        SELECT count(*) FROM added
        """,
        {"ids": list(ids), "until": until, "on": on, "at": at, "actor": actor_id, "label": label, "why": why},
    )
    return cursor.fetchone()[0]


def _bulk_targets(registration_numbers) -> list[str]:
    numbers = sorted({n.strip().upper() for n in registration_numbers if n and n.strip()})
    if not numbers:
        raise RuleViolation("Enter at least one registration number.", field="registration_numbers")
    if len(numbers) > 10_000:
        raise RuleViolation("Enter 10,000 registration numbers or fewer at once.", field="registration_numbers")
    return numbers


@transaction.atomic
def temporary_register_add(
    *, registration_numbers, until: dt.date, reason: str, actor, now: dt.datetime | None = None
) -> dict[str, int]:
    """Emergency powers: put removed social workers on the temporary register until a date, in bulk."""
    now = now or timezone.now()
    if not reason.strip():
        raise RuleViolation("Give the reason for adding them to the temporary register.", field="reason")
    date_bounds.TEMPORARY_UNTIL.check(until, field="until", on=local_date(now))
    numbers = _bulk_targets(registration_numbers)
    ids = list(
        RegisterEntry.objects.select_for_update()
        .filter(registration_number__in=numbers, status=EntryStatus.REMOVED)
        .exclude(removal_reason=RemovalReason.ORDER)  # never someone struck off by a fitness to practise order
        .values_list("id", flat=True)
    )
    if connection.vendor != "postgresql":
        added = _temporary_add_portable(
            ids, until=until, on=local_date(now), at=now, user=_user(actor), why=reason.strip()
        )
        return {"added": added, "not_eligible": len(numbers) - added}
    with connection.cursor() as cursor:
        added = _temporary_register_add_ids(
            cursor,
            ids,
            until=until,
            on=local_date(now),
            at=now,
            actor_id=_user(actor) and _user(actor).pk,
            label=_user(actor).get_username() if _user(actor) else "system",
            why=reason.strip(),
        )
    return {"added": added, "not_eligible": len(numbers) - added}


@transaction.atomic
def temporary_register_remove(
    *, registration_numbers, reason: str, actor, now: dt.datetime | None = None
) -> dict[str, int]:
    """End temporary registration for many people at once ("temporary registration ended")."""
    now = now or timezone.now()
    if not reason.strip():
        raise RuleViolation("Give the reason for removing them from the temporary register.", field="reason")
    numbers = _bulk_targets(registration_numbers)
    on = local_date(now)
    user = _user(actor)
    if connection.vendor != "postgresql":
        ids = list(
            RegisterEntry.objects.select_for_update()
            .filter(registration_number__in=numbers, register="temporary", status=EntryStatus.REGISTERED)
            .values_list("id", flat=True)
        )
        _bulk_register_change(
            ids,
            updates={"status": "removed", "removal_reason": "temporary_ended", "status_changed_on": on},
            kind="removed",
            detail="temporary_ended",
            why=reason.strip(),
            action="register_entry.removed",
            before={"status": "registered"},
            after={"status": "removed", "removal_reason": "temporary_ended"},
            on=on,
            at=now,
            user=user,
        )
        return {"removed": len(ids), "not_on_temporary_register": len(numbers) - len(ids)}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH ended AS (
                UPDATE registration_registerentry
                SET status = 'removed', removal_reason = 'temporary_ended', status_changed_on = %(on)s,
                    version = version + 1
                WHERE registration_number = ANY(%(numbers)s) AND register = 'temporary' AND status = 'registered'
                RETURNING id
            ), events AS (
                INSERT INTO registration_registerevent (entry_id, kind, "on", at, actor_id, reason, detail)
                SELECT id, 'removed', %(on)s, %(at)s, %(actor)s, %(why)s, 'temporary_ended' FROM ended
            ), audit AS (
                INSERT INTO regulator_auditevent
                    (at, actor_id, actor_label, action, object_type, object_id, before, after, reason)
                SELECT %(at)s, %(actor)s, %(label)s, 'register_entry.removed', 'registration.registerentry', id::text,
                       '{"status": "registered"}'::jsonb,
                       '{"status": "removed", "removal_reason": "temporary_ended"}'::jsonb, %(why)s
                FROM ended
            )
            SELECT count(*) FROM ended
            """,
            {
                "numbers": numbers,
                "on": on,
                "at": now,
                "actor": user.pk if user else None,
                "label": user.get_username() if user else "system",
                "why": reason.strip(),
            },
        )
        removed = cursor.fetchone()[0]
    return {"removed": removed, "not_on_temporary_register": len(numbers) - removed}


TEMPORARY_END_LOCK = zlib.crc32(b"registration.temporary_registrations_end")  # the daily sweep's lock key
TEMPORARY_ENDED = "Temporary registration ended on its end date"


def temporary_registrations_end(*, today: dt.date | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """End every temporary registration whose end date (`temporary_until`, the first day it no longer
    holds) has come: the entry is removed ("temporary registration ended") on that date, with its
    register event and audit record. Idempotent (a second run finds nobody); the daily beat job runs
    it, under an advisory lock on PostgreSQL so two workers never both do."""
    now = now or timezone.now()
    today = today or local_date(now)
    due = RegisterEntry.objects.filter(
        register="temporary", status=EntryStatus.REGISTERED, temporary_until__isnull=False, temporary_until__lte=today
    )
    if connection.vendor != "postgresql":
        with transaction.atomic():
            by_date: dict[dt.date, list[int]] = {}
            for pk, until in due.select_for_update().values_list("id", "temporary_until"):
                if until is not None:
                    by_date.setdefault(until, []).append(pk)
            for until, ids in sorted(by_date.items()):
                _bulk_register_change(
                    ids,
                    updates={"status": "removed", "removal_reason": "temporary_ended", "status_changed_on": until},
                    kind="removed",
                    detail="temporary_ended",
                    why=TEMPORARY_ENDED,
                    action="register_entry.removed",
                    before={"status": "registered"},
                    after={"status": "removed", "removal_reason": "temporary_ended"},
                    on=until,
                    at=now,
                    user=None,
                )
        return {"removed": sum(len(ids) for ids in by_date.values()), "skipped": 0}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [TEMPORARY_END_LOCK])
        if not cursor.fetchone()[0]:
            return {"removed": 0, "skipped": 1}
        cursor.execute(
            """
            WITH ended AS (
                UPDATE registration_registerentry
                SET status = 'removed', removal_reason = 'temporary_ended', status_changed_on = temporary_until,
                    version = version + 1
                WHERE register = 'temporary' AND status = 'registered' AND temporary_until <= %(today)s
                RETURNING id, temporary_until
            ), events AS (
                INSERT INTO registration_registerevent (entry_id, kind, "on", at, actor_id, reason, detail)
                SELECT id, 'removed', temporary_until, %(at)s, NULL, %(why)s, 'temporary_ended' FROM ended
            ), audit AS (
                INSERT INTO regulator_auditevent
                    (at, actor_id, actor_label, action, object_type, object_id, before, after, reason)
                SELECT %(at)s, NULL, 'system', 'register_entry.removed', 'registration.registerentry', id::text,
                       '{"status": "registered"}'::jsonb,
                       '{"status": "removed", "removal_reason": "temporary_ended"}'::jsonb, %(why)s
                FROM ended
            )
            SELECT count(*) FROM ended
            """,
            {"today": today, "at": now, "why": TEMPORARY_ENDED},
        )
        return {"removed": cursor.fetchone()[0], "skipped": 0}
