"""Applications: the applicant's draft, submission and answers; the officer's decisions.

Each change locks the application (select_for_update), checks the version the caller read and the
state it is allowed from, writes the ApplicationEvent (interchange.md's names) and the audit
record, and queues any decision letter through the outbox (regulator/outbox.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from regulator import notifications, outbox, timers
from regulator.audit import audit_record, snapshot
from regulator.errors import InvalidTransition, RuleViolation
from regulator.transitions import lock_for_change
from regulator.working_days import local_date

from .. import clocks, date_bounds
from ..models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationKind,
    ApplicationRoute,
    ApplicationStatus,
    EntryStatus,
    Letter,
    Payment,
    RegisterEntry,
    Registrant,
)
from ..payments import fee, payment_provider
from ..selectors import course_was_approved_on
from .references import issue_reference, provisional_reference
from .register import register_entry_create, register_entry_restore

Status = ApplicationStatus
Event = ApplicationEvent.Kind
DRAFT_FIELDS = (
    "town",
    "qualification",
    "awarding_institution",
    "course",
    "approved_course",
    "qualified_on",
    "english_language_evidence",
    "registered_elsewhere",
    "character_declaration",
    "health_declaration",
    "declared_matters",
)
ALLOWED_DOCUMENT_TYPES = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def _user(actor):
    return actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None


def _event(application: Application, event: str, *, actor, at: dt.datetime, reason: str = "") -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application, event=event, at=at, actor=_user(actor), reason=reason
    )


def _locked(application: Application | int, *, version: int | None, allowed: Iterable[str], action: str) -> Application:
    """The application, locked; StaleState when it changed since the caller read it, InvalidTransition
    when its state does not allow `action`."""
    pk = application.pk if isinstance(application, Application) else application
    return lock_for_change(Application, pk, version=version, allowed=allowed, action=action)


def _course_refusal(application: Application) -> str | None:
    """Why the chosen approved course does not fit the application (None when it does, or when no
    course is chosen yet): only UK graduates choose one, and it must have been approved on the day
    they qualified (a course withdrawn since still counts: its history says it was approved then)."""
    course, on = application.approved_course, application.qualified_on
    if course is None:
        return None
    if application.route != ApplicationRoute.UK:
        return "Only UK graduates choose from the approved courses: describe your qualification instead."
    if on is None:
        return None  # asked for separately: "Enter the date you qualified"
    if not course_was_approved_on(course_id=course.pk, on=on):
        return f"{course} was not approved on {on.day} {on:%B %Y}: choose a course that was approved when you qualified"
    return None


def _refuse_unapproved_course(application: Application) -> None:
    refusal = _course_refusal(application)
    if refusal:
        raise RuleViolation(refusal, field="approved_course")


def _save(application: Application, fields: list[str]) -> None:
    application.version += 1
    application.save(update_fields=[*fields, "version", "updated_at"])


@transaction.atomic
def application_start(
    *, registrant: Registrant, kind: str, route: str, actor, now: dt.datetime | None = None
) -> Application:
    """A new draft application, saved so the applicant can come back to it."""
    if kind not in ApplicationKind.values:
        raise RuleViolation("Choose what you are applying for.", field="kind")
    if route not in ApplicationRoute.values:
        raise RuleViolation("Choose where you qualified.", field="route")
    entry = RegisterEntry.objects.filter(registrant=registrant).first()
    if kind == ApplicationKind.NEW and entry is not None:
        raise InvalidTransition("You are already on the register: apply for restoration if you were removed.")
    if kind == ApplicationKind.RESTORATION and (entry is None or entry.status != EntryStatus.REMOVED):
        raise InvalidTransition("Only someone removed from the register can apply for restoration.")
    if registrant.applications.filter(status__in=[Status.DRAFT, Status.RECEIVED, Status.AWAITING_APPLICANT]).exists():
        raise InvalidTransition("You already have an application in progress.")
    application = Application(
        reference=provisional_reference(),
        kind=kind,
        route=route,
        registrant=registrant,
        town=entry.town if entry else "",
        qualification=entry.qualification if entry else "",
    )
    application.full_clean()
    application.save()
    issue_reference(application, "RA")
    audit_record(actor=actor, action="application.started", obj=application, after=snapshot(application), at=now)
    return application


@transaction.atomic
def application_update_draft(*, application: Application, actor, version: int | None, **fields) -> Application:
    """Save the applicant's answers on a draft (any subset of DRAFT_FIELDS)."""
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise RuleViolation(f"These cannot be changed here: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    application = _locked(application, version=version, allowed=[Status.DRAFT], action="changed")
    before = snapshot(application, list(fields))
    for name, value in fields.items():
        setattr(application, name, value.strip() if isinstance(value, str) else value)
    application.full_clean()
    if fields.get("qualified_on"):
        date_bounds.QUALIFIED_ON.check(fields["qualified_on"], field="qualified_on")
    if {"approved_course", "qualified_on"} & set(fields):
        _refuse_unapproved_course(application)
    _save(application, list(fields))
    audit_record(
        actor=actor,
        action="application.draft_saved",
        obj=application,
        before=before,
        after=snapshot(application, list(fields)),
    )
    return application


@transaction.atomic
def application_document_add(*, application: Application, kind: str, upload, actor) -> ApplicationDocument:
    """Attach evidence: PDF, PNG or JPEG, judged from the content (not the name), within the size limit."""
    if kind not in ApplicationDocument.Kind.values:
        raise RuleViolation("Choose what the document is.", field="kind")
    if upload.size > settings.REGISTRATION_DOCUMENT_MAX_BYTES:
        limit = settings.REGISTRATION_DOCUMENT_MAX_BYTES // (1024 * 1024)
        raise RuleViolation(f"The file must be smaller than {limit} MB.", field="file")
    if upload.size == 0:
        raise RuleViolation("The selected file is empty.", field="file")
    head = upload.read(8192)
    upload.seek(0)
    guessed = filetype.guess(head)
    if guessed is None or guessed.mime not in ALLOWED_DOCUMENT_TYPES:
        raise RuleViolation("The selected file must be a PDF, PNG or JPG.", field="file")
    application = _locked(
        application, version=None, allowed=[Status.DRAFT, Status.AWAITING_APPLICANT], action="given documents"
    )
    stored_name = f"{uuid.uuid4().hex}.{ALLOWED_DOCUMENT_TYPES[guessed.mime]}"
    document = ApplicationDocument(
        application=application,
        kind=kind,
        stored_name=stored_name,
        original_name=(getattr(upload, "name", "") or stored_name)[-200:],
        content_type=guessed.mime,
        size=upload.size,
        uploaded_at=timezone.now(),
        uploaded_by=actor,
    )
    document.file.save(stored_name, upload, save=False)
    document.save()
    if application.status == Status.AWAITING_APPLICANT:
        _event(
            application,
            Event.DOCUMENT_UPLOADED,
            actor=actor,
            at=document.uploaded_at,
            reason=document.get_kind_display(),
        )
    audit_record(actor=actor, action="application.document_added", obj=application, after={"document": stored_name})
    return document


@transaction.atomic
def application_pay(*, application: Application, actor, token: str, now: dt.datetime | None = None) -> Payment:
    """Pay the application fee through the payment provider (the development one simulates it)."""
    application = _locked(application, version=None, allowed=[Status.DRAFT], action="paid for")
    if application.payment is not None and application.payment.status == Payment.Status.SUCCEEDED:
        raise InvalidTransition("The fee for this application is already paid.")
    provider = payment_provider()
    amount = fee("application")
    outcome = provider.take(amount_pence=amount, description=f"Application {application.reference}", token=token)
    payment = Payment.objects.create(
        payer=actor,
        purpose=Payment.Purpose.APPLICATION,
        amount_pence=amount,
        provider=provider.name,
        provider_reference=outcome.provider_reference,
        status=Payment.Status.SUCCEEDED if outcome.succeeded else Payment.Status.FAILED,
        failure_reason=outcome.failure_reason,
        at=now or timezone.now(),
    )
    application.payment = payment
    _save(application, ["payment"])
    audit_record(actor=actor, action="application.payment", obj=application, after={"payment": payment.status})
    return payment


def application_problems(application: Application) -> dict[str, str]:
    """What stops a draft being submitted, by field: the route's questions, declarations, fee."""
    problems: dict[str, str] = {}
    a = application
    if a.kind == ApplicationKind.NEW:
        if not a.qualification:
            problems["qualification"] = "Enter your social work qualification"
        if not a.awarding_institution:
            problems["awarding_institution"] = "Enter the institution that awarded your qualification"
        if not a.qualified_on:
            problems["qualified_on"] = "Enter the date you qualified"
        elif bound := date_bounds.QUALIFIED_ON.problem(a.qualified_on):
            problems["qualified_on"] = bound
        if a.route == ApplicationRoute.UK and a.approved_course_id is None:
            problems["approved_course"] = "Choose the approved course you completed"
        elif refusal := _course_refusal(a):
            problems["approved_course"] = refusal
        if a.route in (ApplicationRoute.OVERSEAS, ApplicationRoute.EEA, ApplicationRoute.SWISS):
            if not a.english_language_evidence:
                problems["english_language_evidence"] = "Tell us how you meet the English language requirement"
            if not a.documents.filter(kind=ApplicationDocument.Kind.QUALIFICATION).exists():
                problems["documents"] = "Upload your qualification certificate or transcript"
        if a.route == ApplicationRoute.SWISS and not a.registered_elsewhere:
            problems["registered_elsewhere"] = "Enter the Swiss authority that recognises your qualification"
    if not a.town:
        problems["town"] = "Enter the town where you work or will work"
    if not a.character_declaration:
        problems["character_declaration"] = "Confirm the character declaration"
    if not a.health_declaration:
        problems["health_declaration"] = "Confirm the health declaration"
    if a.payment is None or a.payment.status != Payment.Status.SUCCEEDED:
        problems["payment"] = "Pay the application fee"
    return problems


@transaction.atomic
def application_submit(*, application: Application, actor, version: int | None, now: dt.datetime | None = None):
    """Send the draft to the regulator: writes `received`, which starts the service-standard clock."""
    application = _locked(application, version=version, allowed=[Status.DRAFT], action="submitted")
    _refuse_unapproved_course(application)
    problems = application_problems(application)
    if problems:
        raise ValidationError(problems)
    now = now or timezone.now()
    before = snapshot(application, ["status"])
    application.status, application.received_at = Status.RECEIVED, now
    _save(application, ["status", "received_at"])
    _event(application, Event.RECEIVED, actor=actor, at=now)
    audit_record(
        actor=actor,
        action="application.received",
        obj=application,
        before=before,
        after=snapshot(application, ["status"]),
        at=now,
    )
    return application


@transaction.atomic
def application_assign(
    *, application: Application, officer, actor, version: int | None = None, now: dt.datetime | None = None
) -> Application:
    """Give an open application to an officer (or take it back with officer=None)."""
    application = _locked(
        application, version=version, allowed=[Status.RECEIVED, Status.AWAITING_APPLICANT], action="assigned"
    )
    now = now or timezone.now()
    before = snapshot(application, ["assigned_to"])
    application.assigned_to = officer
    _save(application, ["assigned_to"])
    name = officer.get_full_name() or officer.get_username() if officer else "nobody"
    _event(application, Event.ASSIGNED, actor=actor, at=now, reason=f"Assigned to {name}")
    audit_record(
        actor=actor,
        action="application.assigned",
        obj=application,
        before=before,
        after=snapshot(application, ["assigned_to"]),
        at=now,
    )
    return application


@transaction.atomic
def applications_bulk_assign(
    *,
    application_ids: Iterable[int],
    officer,
    actor,
    confirmed: int | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Assign many open applications at once: locks them all, writes one event each; returns how many.

    `confirmed`: the number the officer saw on the confirmation page and agreed to (decision 0761); a
    different number is refused, and the confirmation is kept on each audit record."""
    ids = sorted(set(application_ids))
    now = now or timezone.now()
    if confirmed is not None and confirmed != len(ids):
        raise RuleViolation(
            f"You confirmed {confirmed} application{'s' if confirmed != 1 else ''} but chose {len(ids)}:"
            " choose them again.",
            field="confirmed",
        )
    locked = list(
        Application.objects.select_for_update()
        .filter(pk__in=ids, status__in=[Status.RECEIVED, Status.AWAITING_APPLICANT])
        .order_by("pk")
    )
    if len(locked) != len(ids):
        raise InvalidTransition(
            "Some of the chosen applications are not open any more. Reload the queue and try again."
        )
    Application.objects.filter(pk__in=ids).update(assigned_to=officer, version=F("version") + 1, updated_at=now)
    name = officer.get_full_name() or officer.get_username()
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(
                application=a, event=Event.ASSIGNED, at=now, actor=_user(actor), reason=f"Assigned to {name}"
            )
            for a in locked
        ]
    )
    timers.items_changed("registration.application", ids)  # a bulk write sends no save signal
    for a in locked:
        audit_record(
            actor=actor,
            action="application.assigned",
            obj=a,
            before={"assigned_to": a.assigned_to_id},
            after={"assigned_to": officer.pk},
            reason=f"Bulk assignment of {len(ids)} confirmed by the officer" if confirmed is not None else "",
            at=now,
        )
    return len(locked)


@transaction.atomic
def application_request_information(
    *, application: Application, actor, reason: str, version: int | None, now: dt.datetime | None = None
) -> Application:
    """Ask the applicant for more: the clock pauses until they answer."""
    if not reason.strip():
        raise RuleViolation("Say what information you need from the applicant.", field="reason")
    application = _locked(application, version=version, allowed=[Status.RECEIVED], action="paused for information")
    now = now or timezone.now()
    application.status = Status.AWAITING_APPLICANT
    _save(application, ["status"])
    _event(application, Event.INFO_REQUESTED, actor=actor, at=now, reason=reason.strip())
    audit_record(
        actor=actor,
        action="application.info_requested",
        obj=application,
        after={"status": application.status},
        reason=reason,
        at=now,
    )
    _letter(
        application,
        subject=f"We need more information: application {application.reference}",
        body=f"We need more information before we can decide your application:\n\n{reason.strip()}\n\n"
        "Sign in to your account to answer. The time you take does not count against our service standard.",
        now=now,
    )
    return application


@transaction.atomic
def application_record_information_received(
    *, application: Application, actor, reason: str = "", version: int | None = None, now: dt.datetime | None = None
) -> Application:
    """The applicant answered (or an officer records that they did): the clock runs again."""
    application = _locked(
        application, version=version, allowed=[Status.AWAITING_APPLICANT], action="marked as answered"
    )
    now = now or timezone.now()
    application.status = Status.RECEIVED
    _save(application, ["status"])
    _event(application, Event.INFO_RECEIVED, actor=actor, at=now, reason=reason.strip())
    audit_record(
        actor=actor,
        action="application.info_received",
        obj=application,
        after={"status": application.status},
        reason=reason,
        at=now,
    )
    return application


@transaction.atomic
def application_flag_for_investigation(
    *, application: Application, actor, reason: str, version: int | None, now: dt.datetime | None = None
) -> Application:
    """Character, health or qualification checks needed: REG1 no longer counts this application."""
    if not reason.strip():
        raise RuleViolation("Say why the application needs investigation.", field="reason")
    application = _locked(
        application, version=version, allowed=[Status.RECEIVED, Status.AWAITING_APPLICANT], action="flagged"
    )
    if application.investigation_required:
        raise InvalidTransition(f"Application {application.reference} is already flagged for investigation.")
    now = now or timezone.now()
    application.investigation_required, application.investigation_reason = True, reason.strip()
    _save(application, ["investigation_required", "investigation_reason"])
    _event(application, Event.FLAGGED_FOR_INVESTIGATION, actor=actor, at=now, reason=reason.strip())
    audit_record(
        actor=actor,
        action="application.flagged_for_investigation",
        obj=application,
        after={"investigation_required": True},
        reason=reason,
        at=now,
    )
    return application


@transaction.atomic
def application_approve(
    *, application: Application, actor, version: int | None, now: dt.datetime | None = None, reason: str = ""
) -> Application:
    """Approve: enter the applicant on the register (new) or restore their entry (restoration),
    issue the number, and send the decision letter."""
    application = _locked(application, version=version, allowed=[Status.RECEIVED], action="approved")
    _refuse_unapproved_course(application)  # UK applications transferred from history have none: no check
    now = now or timezone.now()
    today = local_date(now)
    registrant = application.registrant
    year_ends = clocks.registration_year_ends(today)
    why = reason.strip() or f"Application {application.reference} approved"
    if application.kind == ApplicationKind.NEW:
        entry = register_entry_create(
            registrant=registrant,
            route=application.route,
            town=application.town,
            qualification=application.qualification,
            registered_on=today,
            registered_until=year_ends,
            origin=application.origin,
            actor=actor,
            reason=why,
        )
    else:
        entry = register_entry_restore(entry=registrant.register_entry, actor=actor, reason=why, on=today)
        RegisterEntry.objects.filter(pk=entry.pk).update(registered_until=year_ends)
    application.status, application.decided_at = Status.APPROVED, now
    application.registration_number = entry.registration_number
    _save(application, ["status", "decided_at", "registration_number"])
    _event(application, Event.APPROVED, actor=actor, at=now, reason=reason.strip())
    audit_record(
        actor=actor,
        action="application.approved",
        obj=application,
        after={"status": application.status, "registration_number": entry.registration_number},
        reason=why,
        at=now,
    )
    _letter(
        application,
        subject=f"Your application {application.reference} is approved",
        body=f"You are on the social work register. Your registration number is {entry.registration_number}, "
        f"registered until {year_ends:%-d %B %Y}.",
        now=now,
    )
    return application


@transaction.atomic
def application_refuse(
    *, application: Application, actor, reasons: str, version: int | None, now: dt.datetime | None = None
) -> Application:
    """Refuse with reasons: the applicant may appeal within the appeal period (clocks.APPEAL_PERIOD_DAYS)."""
    if not reasons.strip():
        raise RuleViolation("Give the reasons for refusing the application.", field="reasons")
    application = _locked(
        application, version=version, allowed=[Status.RECEIVED, Status.AWAITING_APPLICANT], action="refused"
    )
    now = now or timezone.now()
    application.status, application.decided_at, application.decision_reasons = Status.REFUSED, now, reasons.strip()
    _save(application, ["status", "decided_at", "decision_reasons"])
    _event(application, Event.REFUSED, actor=actor, at=now, reason=reasons.strip())
    audit_record(
        actor=actor,
        action="application.refused",
        obj=application,
        after={"status": application.status},
        reason=reasons,
        at=now,
    )
    deadline = clocks.appeal_deadline(local_date(now))
    _letter(
        application,
        subject=f"Your application {application.reference} is refused",
        body=f"We have refused your application for these reasons:\n\n{reasons.strip()}\n\n"
        f"You may appeal against this decision until {deadline:%-d %B %Y}: sign in to your account to appeal.",
        now=now,
    )
    return application


@transaction.atomic
def application_withdraw(
    *, application: Application, actor, reason: str, version: int | None, now: dt.datetime | None = None
) -> Application:
    """The applicant withdraws (or an officer marks it withdrawn at their request)."""
    application = _locked(
        application,
        version=version,
        allowed=[Status.DRAFT, Status.RECEIVED, Status.AWAITING_APPLICANT],
        action="withdrawn",
    )
    now = now or timezone.now()
    application.status, application.decided_at = Status.WITHDRAWN, now
    _save(application, ["status", "decided_at"])
    _event(application, Event.WITHDRAWN, actor=actor, at=now, reason=reason.strip())
    audit_record(
        actor=actor,
        action="application.withdrawn",
        obj=application,
        after={"status": application.status},
        reason=reason,
        at=now,
    )
    return application


def _letter(application: Application, *, subject: str, body: str, now: dt.datetime) -> Letter:
    letter = Letter.objects.create(
        registrant=application.registrant, application=application, subject=subject, body=body, created_at=now
    )
    from ..tasks import send_letter

    outbox.enqueue(send_letter, letter_id=letter.pk)  # in this transaction: never lost if the broker is down
    return letter


def letter_reference(letter_id: int) -> str:
    return f"registration-letter:{letter_id}"


def letter_send(*, letter_id: int) -> bool:
    """Email a letter once, outside the decision's transaction (a retried task sends nothing twice: one
    Notification per letter). Returns whether this call sent it."""
    letter = Letter.objects.select_related("registrant__user").get(pk=letter_id)
    registrant = letter.registrant
    to = registrant.email or (registrant.user.email if registrant.user and registrant.user.email else "")
    if not to:
        return False
    sent = notifications.notification_send(
        template="registration_decision_letter",
        to=to,
        personalisation={"full_name": registrant.full_name, "subject": letter.subject, "body": letter.body},
        reference=letter_reference(letter.pk),
    )
    if notifications.notification_is_sent(letter_reference(letter.pk)):
        Letter.objects.filter(pk=letter.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return sent
