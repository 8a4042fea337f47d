"""Every write of fitness to practise. A state change is one function: it locks the case, checks
the version and the allowed source state (the django-fsm transition on the model), moves it,
writes the dated, attributed CaseEvent rows with the reason and the audit record, and refuses
anything else (InvalidTransition / StaleState -> 409, RuleViolation -> 400)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence

import filetype
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django_fsm import can_proceed

from registration.models import EntryStatus, RegisterEntry, RemovalReason
from registration.services import register_entry_remove
from regulator import notifications, outbox
from regulator.audit import audit_record, snapshot
from regulator.errors import InvalidTransition, RuleViolation, StaleState
from regulator.working_days import LONDON, add_calendar_months, local_date

from . import date_bounds
from .models import (
    DISPOSAL_SANCTIONS,
    INTERIM_SANCTIONS,
    REVIEWED_SANCTIONS,
    Attachment,
    CaseEvent,
    Concern,
    EvidenceRequest,
    FitnessToPractiseCase,
    Hearing,
    InterimOrderState,
    Letter,
    Order,
    ReceivedVia,
    ReferrerType,
    RiskLevel,
    Sanction,
    State,
)

K = CaseEvent.Kind

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024  # 5 MB each: enough for a scanned letter, too small for abuse
# What a referrer may send, by content (filetype reads the magic bytes, not the name or header).
ALLOWED_ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MAX_ORDER_MONTHS = {  # the longest each order may run (the Social Workers Regulations 2018, schedule 2)
    Sanction.ADVICE: 0,
    Sanction.WARNING: 60,
    Sanction.CONDITIONS: 36,
    Sanction.SUSPENSION: 12,
}
MAX_INTERIM_ORDER_MONTHS = 18
INTERIM_ORDER_REVIEW_MONTHS = 6  # an interim order is reviewed within 6 months of being made, then every 6
REVIEW_LISTING_NOTICE_DAYS = 28  # a review hearing is listed this many days before the review falls due
SUBSTANTIVE_REVIEW_BEFORE_EXPIRY_DAYS = 28  # a substantive order is reviewed this long before it ends

ORDER_KIND = {
    (Sanction.CONDITIONS, True): Order.Kind.INTERIM_CONDITIONS,
    (Sanction.SUSPENSION, True): Order.Kind.INTERIM_SUSPENSION,
    (Sanction.ADVICE, False): Order.Kind.ADVICE,
    (Sanction.WARNING, False): Order.Kind.WARNING,
    (Sanction.CONDITIONS, False): Order.Kind.CONDITIONS,
    (Sanction.SUSPENSION, False): Order.Kind.SUSPENSION,
    (Sanction.REMOVAL, False): Order.Kind.REMOVAL,
}


def _user(actor):
    return actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation("Give a reason for this decision.", field="reason")
    return reason


# --- Concerns and pre-triage ---


def _check_attachment(upload) -> tuple[str, str]:
    """The extension and content type of an upload, read from its content; RuleViolation otherwise."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise RuleViolation(f"{upload.name[:100]} is larger than 5 MB.", field="attachments")
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED_ATTACHMENT_TYPES:
        raise RuleViolation("Attachments must be PDF, JPG, PNG or Word (.docx) files.", field="attachments")
    return kind.extension, ALLOWED_ATTACHMENT_TYPES[kind.extension]


def attachment_store(*, upload, concern: Concern | None = None, case=None, at=None) -> Attachment:
    ext, content_type = _check_attachment(upload)
    stored_name = f"{uuid.uuid4().hex}.{ext}"
    attachment = Attachment(
        concern=concern,
        case=case,
        stored_name=stored_name,
        original_name=(upload.name or "attachment")[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_at=_now(at),
    )
    attachment.file.save(stored_name, ContentFile(upload.read()), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def concern_raise(
    *,
    referrer_type: str,
    referrer_name: str,
    what_happened: str,
    social_worker_name: str,
    received_via: str = ReceivedVia.ONLINE,
    referrer_email: str = "",
    referrer_phone: str = "",
    social_worker_number: str = "",
    social_worker_town: str = "",
    social_worker_employer: str = "",
    attachments: Sequence = (),
    actor=None,
    received_at: dt.datetime | None = None,
    received_on: dt.date | None = None,
) -> Concern:
    """Record a concern as raised (online, by phone or post, or through the API) and issue its reference.

    `received_on` is the date a person typed (a letter or a call entered later): checked against its
    bound and recorded at 9am that day; `received_at` is a machine's timestamp (the demo, an import)."""
    if received_on is not None:
        date_bounds.CONCERN_RECEIVED.check(received_on, field="received_on")
        received_at = dt.datetime.combine(received_on, dt.time(9), tzinfo=LONDON)
    if referrer_type not in ReferrerType.values:
        raise RuleViolation("Choose who is raising the concern.", field="referrer_type")
    if received_via not in ReceivedVia.values:
        raise RuleViolation("Choose how the concern was received.", field="received_via")
    if not (what_happened or "").strip():
        raise RuleViolation("Tell us what happened.", field="what_happened")
    if not (social_worker_name or "").strip():
        raise RuleViolation("Enter the social worker's name.", field="social_worker_name")
    if len(attachments) > MAX_ATTACHMENTS:
        raise RuleViolation(f"Attach {MAX_ATTACHMENTS} files or fewer.", field="attachments")
    for upload in attachments:
        _check_attachment(upload)
    concern = Concern(
        reference=f"tmp-{uuid.uuid4().hex[:12]}",
        received_at=_now(received_at),
        received_via=received_via,
        referrer_type=referrer_type,
        referrer_name=referrer_name.strip(),
        referrer_email=referrer_email.strip(),
        referrer_phone=referrer_phone.strip(),
        what_happened=what_happened.strip(),
        social_worker_name=social_worker_name.strip(),
        social_worker_number=social_worker_number.strip(),
        social_worker_town=social_worker_town.strip(),
        social_worker_employer=social_worker_employer.strip(),
        entered_by=_user(actor),
    )
    concern.full_clean(exclude=["reference"])
    concern.save()
    concern.reference = f"CON-{concern.pk:07d}"
    concern.save(update_fields=["reference"])
    for upload in attachments:
        attachment_store(upload=upload, concern=concern, at=concern.received_at)
    audit_record(
        actor=actor or "public",
        action="ftp_concern.received",
        obj=concern,
        after=snapshot(concern, ["reference", "received_via", "referrer_type"]),
    )
    return concern


def _locked_concern(concern_id: int, version: int | None) -> Concern:
    concern = Concern.objects.select_for_update().get(pk=concern_id)
    if version is not None and concern.version != version:
        raise StaleState("This concern has changed since you opened it. Reload it and try again.")
    if concern.status != Concern.Status.AWAITING_PRE_TRIAGE:
        raise InvalidTransition(f"Concern {concern.reference} has already been dealt with at pre-triage.")
    return concern


@transaction.atomic
def concern_close_not_registered(*, concern_id: int, version: int | None, actor, reason: str, at=None) -> Concern:
    """Close a concern at pre-triage: it is not about a registered social worker (reason says why)."""
    reason = _require_reason(reason)
    concern = _locked_concern(concern_id, version)
    before = snapshot(concern, ["status", "version"])
    concern.status, concern.closed_reason, concern.closed_at = Concern.Status.CLOSED, reason, _now(at)
    concern.version += 1
    concern.save(update_fields=["status", "closed_reason", "closed_at", "version"])
    audit_record(
        actor=actor,
        action="ftp_concern.closed_not_registered",
        obj=concern,
        before=before,
        after=snapshot(concern, ["status", "version"]),
        reason=reason,
    )
    return concern


def _event(case, kind: str, *, at, actor, reason: str = "", detail: str = "") -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, at=at, actor=_user(actor), reason=reason, detail=detail)


@transaction.atomic
def concern_identify_social_worker(
    *,
    concern_id: int,
    version: int | None,
    entry: RegisterEntry,
    actor,
    join_case: FitnessToPractiseCase | None = None,
    origin: str = "swe",
    reason: str = "",
    at=None,
) -> FitnessToPractiseCase:
    """Pre-triage: the concern is about this registered social worker. Opens their FTP case (the
    triage clocks start now), or joins the concern to an open case about the same person."""
    concern = _locked_concern(concern_id, version)
    at = _now(at)
    if join_case is not None:
        case = FitnessToPractiseCase.objects.select_for_update().get(pk=join_case.pk)
        if case.entry_id != entry.pk:
            raise RuleViolation("That case is about a different social worker.", field="case")
        if case.state == State.CLOSED:
            raise InvalidTransition(f"Case {case.reference} is closed: open a new case instead.")
        case.version += 1
        case.save(update_fields=["version"])
    else:
        case = FitnessToPractiseCase(
            reference=f"tmp-{uuid.uuid4().hex[:12]}",
            origin=origin,
            entry=entry,
            opened_at=at,
            stage_started_at=at,
        )
        case.save()
        case.reference = f"FTP-{case.pk:07d}"
        case.save(update_fields=["reference"])
    before = snapshot(concern, ["status", "case", "version"])
    concern.status, concern.case = Concern.Status.JOINED_CASE, case
    concern.version += 1
    concern.save(update_fields=["status", "case", "version"])
    Attachment.objects.filter(concern=concern).update(case=case)
    _event(case, K.CONCERN_RECEIVED, at=concern.received_at, actor=concern.entered_by, detail=concern.reference)
    if join_case is None:
        _event(case, K.SOCIAL_WORKER_IDENTIFIED, at=at, actor=actor, reason=reason, detail=entry.registration_number)
        _letter(
            case,
            at=at,
            actor=actor,
            subject="We have received a concern about you",
            body=(
                f"We have received a concern about your practice and opened case {case.reference}. "
                "A case handler will contact you about what happens next."
            ),
        )
    audit_record(
        actor=actor,
        action="ftp_concern.social_worker_identified",
        obj=concern,
        before=before,
        after=snapshot(concern, ["status", "case", "version"]),
        reason=reason,
    )
    audit_record(actor=actor, action="ftp_case.opened" if join_case is None else "ftp_case.concern_joined", obj=case)
    return case


def _letter(case: FitnessToPractiseCase, *, at, actor, subject: str, body: str) -> Letter:
    letter = Letter.objects.create(
        case=case, registrant_id=case.entry.registrant_id, sent_at=at, subject=subject, body=body
    )
    _event(case, K.LETTER_SENT, at=at, actor=actor, detail=subject[:100])
    from .tasks import email_letter

    outbox.enqueue(email_letter, letter_id=letter.pk)  # committed with the decision; emailed after
    return letter


def letter_email(*, letter_id: int) -> bool:
    """Email an FTP letter to the social worker once (one Notification per letter), outside the decision's
    transaction. Returns whether this call sent it; False when the registrant has no email address."""
    letter = Letter.objects.select_related("registrant__user").get(pk=letter_id)
    registrant = letter.registrant
    to = registrant.email or (registrant.user.email if registrant.user and registrant.user.email else "")
    if not to:
        return False
    return notifications.notification_send(
        template="ftp_letter",
        to=to,
        personalisation={"full_name": registrant.full_name, "subject": letter.subject, "body": letter.body},
        reference=f"ftp-letter:{letter.pk}",
    )


# --- The case's stages ---


def _locked_case(case_id: int) -> FitnessToPractiseCase:
    try:
        return FitnessToPractiseCase.objects.select_for_update().select_related("entry").get(pk=case_id)
    except FitnessToPractiseCase.DoesNotExist:
        raise RuleViolation("There is no such case.", field="case") from None


def _begin(case_id: int, version: int | None, transition: str) -> tuple[FitnessToPractiseCase, dict]:
    """Lock the case, check the caller saw its latest version and that the move is allowed from here."""
    case = _locked_case(case_id)
    if version is not None and case.version != version:
        raise StaleState(f"Case {case.reference} has changed since you opened it. Reload it and try again.")
    if not can_proceed(getattr(case, transition)):
        verb = transition.replace("_", " ")
        raise InvalidTransition(
            f"Case {case.reference} is at '{case.get_state_display()}'"
            f" (interim order: {case.get_interim_order_state_display().lower()}): it cannot {verb} now."
        )
    return case, snapshot(case)


def _finish(case, before, *, actor, action: str, reason: str, at, events: Iterable[tuple[str, str]]):
    case.version += 1
    case.save()
    for kind, detail in events:
        _event(case, kind, at=at, actor=actor, reason=reason, detail=detail)
    audit_record(
        actor=actor, action=f"ftp_case.{action}", obj=case, before=before, after=snapshot(case), reason=reason, at=at
    )
    return case


def _sanction_detail(sanction: str, months: int | None) -> str:
    """interchange.md's detail: the order made, optionally ':' and its duration in months."""
    return f"{sanction}:{months}" if months else str(sanction)


@transaction.atomic
def case_complete_initial_review(
    *,
    case_id: int,
    version: int | None,
    actor,
    reason: str,
    risk_level: str,
    interim_order_needed: bool = False,
    at=None,
) -> FitnessToPractiseCase:
    """Triage: the initial review and streaming (risk level; whether an interim order is needed)."""
    reason, at = _require_reason(reason), _now(at)
    if risk_level not in (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH):
        raise RuleViolation("Choose the risk level.", field="risk_level")
    case, before = _begin(case_id, version, "complete_initial_review")
    case.complete_initial_review()
    case.risk_level = risk_level
    events = [(K.INITIAL_REVIEW_COMPLETED, risk_level)]
    if interim_order_needed:
        if not can_proceed(case.identify_interim_order_need):
            raise InvalidTransition("An interim order is already being considered or in force on this case.")
        case.identify_interim_order_need()
        case.interim_need_identified_at = at
        events.append((K.INTERIM_ORDER_NEED_IDENTIFIED, ""))
    return _finish(case, before, actor=actor, action="initial_review_completed", reason=reason, at=at, events=events)


def _close_interim(case, *, at, actor, reason: str, events: list) -> None:
    """A closed case keeps no interim order, and a need not yet decided lapses with it."""
    _end_interim_orders(case, at=at, actor=actor, reason=reason, events=events)
    if case.interim_order_state == InterimOrderState.NEED_IDENTIFIED:
        case.decide_interim_order(made=False)
        events.append((K.INTERIM_ORDER_NEED_LAPSED, ""))


def _simple_move(transition: str, events: list[str], *, restart_clock: bool = False, closes: bool = False):
    """A service for a move that needs only a reason: the common shape, made once."""

    @transaction.atomic
    def service(*, case_id: int, version: int | None, actor, reason: str, at=None) -> FitnessToPractiseCase:
        reason, at = _require_reason(reason), _now(at)
        case, before = _begin(case_id, version, transition)
        getattr(case, transition)()
        if restart_clock:
            case.stage_started_at = at
        moved = [(k, "") for k in events]
        if closes:
            case.closed_at = at
            _close_interim(case, at=at, actor=actor, reason=reason, events=moved)
        return _finish(case, before, actor=actor, action=transition, reason=reason, at=at, events=moved)

    service.__name__ = f"case_{transition}"
    service.__doc__ = f"Move the case: {transition.replace('_', ' ')} (events: {', '.join(events)})."
    return service


case_close_at_triage = _simple_move("close_at_triage", [K.TRIAGE_CLOSED, K.CASE_CLOSED], closes=True)
case_refer_to_investigation = _simple_move("refer_to_investigation", [K.REFERRED_TO_INVESTIGATION], restart_clock=True)
case_close_investigation = _simple_move("close_investigation", [K.INVESTIGATION_CLOSED, K.CASE_CLOSED], closes=True)
case_refer_to_case_examiners = _simple_move(
    "refer_to_case_examiners", [K.REFERRED_TO_CASE_EXAMINERS], restart_clock=True
)
case_refer_to_hearing = _simple_move("refer_to_hearing", [K.REFERRED_TO_HEARING], restart_clock=True)
case_no_further_action = _simple_move(
    "decide_no_further_action", [K.CASE_EXAMINER_NO_FURTHER_ACTION, K.CASE_CLOSED], closes=True
)


@transaction.atomic
def case_accept_for_decision(*, case_id: int, version: int | None, actor, reason: str, at=None):
    """Case examiners' initial decision: they accept the case for a decision."""
    reason, at = _require_reason(reason), _now(at)
    case, before = _begin(case_id, version, "accept_for_decision")
    case.accept_for_decision()
    return _finish(
        case,
        before,
        actor=actor,
        action="accept_for_decision",
        reason=reason,
        at=at,
        events=[(K.CASE_EXAMINER_INITIAL_DECISION, "accepted")],
    )


@transaction.atomic
def case_return_for_investigation(*, case_id: int, version: int | None, actor, reason: str, at=None):
    """Case examiners' initial decision: more investigation is needed. The investigation clock
    restarts (kpis.md: each pass is measured from its own start event)."""
    reason, at = _require_reason(reason), _now(at)
    case, before = _begin(case_id, version, "return_for_investigation")
    case.return_for_investigation()
    case.stage_started_at = at
    return _finish(
        case,
        before,
        actor=actor,
        action="return_for_investigation",
        reason=reason,
        at=at,
        events=[(K.CASE_EXAMINER_INITIAL_DECISION, "returned"), (K.RETURNED_FOR_INVESTIGATION, "")],
    )


def _check_months(sanction: str, months: int | None, *, interim: bool = False) -> int | None:
    if sanction in (Sanction.REMOVAL, Sanction.NONE, Sanction.ADVICE):
        return None
    limit = MAX_INTERIM_ORDER_MONTHS if interim else MAX_ORDER_MONTHS[Sanction(sanction)]
    if not months or months < 1 or months > limit:
        raise RuleViolation(f"Give the order's length in months, from 1 to {limit}.", field="months")
    return months


@transaction.atomic
def case_offer_disposal(
    *, case_id: int, version: int | None, actor, reason: str, sanction: str, months: int | None = None, at=None
):
    """Case examiners propose an accepted disposal, which the social worker accepts or declines."""
    reason, at = _require_reason(reason), _now(at)
    if sanction not in DISPOSAL_SANCTIONS:
        raise RuleViolation("Choose advice, a warning, conditions or suspension.", field="sanction")
    months = _check_months(sanction, months)
    case, before = _begin(case_id, version, "offer_disposal")
    case.offer_disposal()
    case.proposed_disposal, case.proposed_disposal_months = sanction, months
    _letter(
        case,
        at=at,
        actor=actor,
        subject="The case examiners propose to conclude your case",
        body=f"The case examiners propose {Sanction(sanction).label.lower()}"
        + (f" for {months} months" if months else "")
        + ". Tell us whether you accept this.",
    )
    return _finish(
        case,
        before,
        actor=actor,
        action="offer_disposal",
        reason=reason,
        at=at,
        events=[(K.DISPOSAL_OFFERED, _sanction_detail(sanction, months))],
    )


def order_dates(*, sanction: str, months: int | None, interim: bool, starts_on: dt.date):
    """An order's end (first day out of force) and first review, from what was made and when: the
    one rule for orders made here and orders transferred in (interchange/)."""
    ends_on = add_calendar_months(starts_on, months) if months else None
    if sanction == Sanction.ADVICE:
        ends_on = starts_on + dt.timedelta(days=1)  # advice is published on the day it is given only
    if interim:
        review_due_on = add_calendar_months(starts_on, INTERIM_ORDER_REVIEW_MONTHS)
    elif sanction in REVIEWED_SANCTIONS and ends_on:
        review_due_on = ends_on - dt.timedelta(days=SUBSTANTIVE_REVIEW_BEFORE_EXPIRY_DAYS)
    else:
        review_due_on = None
    if review_due_on and ends_on and review_due_on >= ends_on:
        review_due_on = None
    return ends_on, review_due_on


def _make_order(
    case,
    *,
    sanction: str,
    months: int | None,
    interim: bool,
    made_by: str,
    at,
    actor,
    reason: str,
    starts_on: dt.date | None = None,
):
    """Make an order; it is on the public register from its start date (the decision date) until it ends."""
    starts_on = starts_on or local_date(at)
    ends_on, review_due_on = order_dates(sanction=sanction, months=months, interim=interim, starts_on=starts_on)
    order = Order(
        case=case,
        entry_id=case.entry_id,
        kind=ORDER_KIND[(Sanction(sanction), interim)],
        made_by=made_by,
        made_at=at,
        starts_on=starts_on,
        ends_on=ends_on,
        review_due_on=review_due_on,
    )
    order.full_clean()
    order.save()
    audit_record(actor=actor, action="ftp_order.made", obj=order, after=snapshot(order), reason=reason, at=at)
    if sanction == Sanction.REMOVAL:
        entry = RegisterEntry.objects.get(pk=case.entry_id)
        if entry.status == EntryStatus.REGISTERED:
            register_entry_remove(
                entry=entry, removal_reason=RemovalReason.ORDER, actor=actor, reason=reason, on=starts_on
            )
    return order


def _end_interim_orders(case, *, at, actor, reason: str, events: list):
    """A final outcome replaces any interim order: it ends today."""
    today = local_date(at)
    for order in Order.objects.in_force(today).filter(
        case=case, kind__in=[Order.Kind.INTERIM_CONDITIONS, Order.Kind.INTERIM_SUSPENSION]
    ):
        order.ends_on, order.expiry_handled_at = today, at
        order.save(update_fields=["ends_on", "expiry_handled_at"])
        events.append((K.ORDER_EXPIRED, order.kind))
    if case.interim_order_state == InterimOrderState.IN_FORCE:
        case.end_interim_order()


@transaction.atomic
def case_accept_disposal(*, case_id: int, version: int | None, actor, reason: str, at=None):
    """The social worker accepts the disposal: the case examiners' outcome, and the order made."""
    reason, at = _require_reason(reason), _now(at)
    case, before = _begin(case_id, version, "accept_disposal")
    sanction, months = case.proposed_disposal, case.proposed_disposal_months
    reviewed = sanction in REVIEWED_SANCTIONS
    case.accept_disposal(reviewed=reviewed)
    events = [(K.DISPOSAL_ACCEPTED, ""), (K.CASE_EXAMINER_ACCEPTED_DISPOSAL, _sanction_detail(sanction, months))]
    _make_order(
        case,
        sanction=sanction,
        months=months,
        interim=False,
        made_by=Order.MadeBy.CASE_EXAMINERS,
        at=at,
        actor=actor,
        reason=reason,
    )
    _close_interim(case, at=at, actor=actor, reason=reason, events=events)
    if not reviewed:
        case.closed_at = at
        events.append((K.CASE_CLOSED, ""))
    return _finish(case, before, actor=actor, action="accept_disposal", reason=reason, at=at, events=events)


@transaction.atomic
def case_decline_disposal(*, case_id: int, version: int | None, actor, reason: str, at=None):
    """The social worker declines the disposal: the case goes to a hearing."""
    reason, at = _require_reason(reason), _now(at)
    case, before = _begin(case_id, version, "decline_disposal")
    case.decline_disposal()
    case.stage_started_at = at
    return _finish(
        case,
        before,
        actor=actor,
        action="decline_disposal",
        reason=reason,
        at=at,
        events=[(K.DISPOSAL_DECLINED, ""), (K.REFERRED_TO_HEARING, "disposal declined")],
    )


# --- Hearings ---


@transaction.atomic
def hearing_list(
    *,
    case_id: int,
    version: int | None,
    actor,
    starts_on: dt.date,
    ends_on: dt.date,
    panel: str = "",
    kind: str = Hearing.Kind.SUBSTANTIVE,
    reason: str = "",
    at=None,
) -> Hearing:
    """List a substantive hearing with its dates and panel: on or after the referral to a hearing, at most
    two years ahead, one listing at a time (an adjourned hearing is listed again)."""
    at = _now(at)
    case, before = _begin(case_id, version, "list_hearing")
    referred_on = local_date(case.stage_started_at)
    date_bounds.HEARING_FIRST_DAY.check(
        starts_on,
        field="starts_on",
        on=local_date(at),
        after=(referred_on, "the day the case was referred to a hearing"),
    )
    if ends_on < starts_on:
        raise RuleViolation("The last day must be on or after the first day.", field="ends_on")
    if (ends_on - starts_on).days >= date_bounds.HEARING_LONGEST_DAYS:
        raise RuleViolation(
            f"A listing can run for at most {date_bounds.HEARING_LONGEST_DAYS} days: list the rest when it resumes.",
            field="ends_on",
        )
    pending = Hearing.objects.filter(case=case, outcome=Hearing.Outcome.PENDING).first()
    if pending is not None:
        raise InvalidTransition(
            f"A hearing is already listed from {pending.starts_on:%-d %B %Y}: record its adjournment or outcome first.",
        )
    case.list_hearing()
    hearing = Hearing.objects.create(
        case=case, kind=kind, starts_on=starts_on, ends_on=ends_on, panel=panel.strip(), listed_at=at
    )
    _letter(
        case,
        at=at,
        actor=actor,
        subject="Your hearing has been listed",
        body=f"Your hearing is listed from {starts_on:%d %B %Y} to {ends_on:%d %B %Y}.",
    )
    _finish(
        case,
        before,
        actor=actor,
        action="hearing_listed",
        reason=reason,
        at=at,
        events=[(K.HEARING_LISTED, f"{starts_on.isoformat()}..{ends_on.isoformat()}")],
    )
    return hearing


def _open_hearing(case, hearing_id: int, *, started_by: dt.date | None = None) -> Hearing:
    """The case's hearing that is still open (listed or part-heard); `started_by`: it must have begun."""
    hearing = Hearing.objects.select_for_update().filter(pk=hearing_id, case=case).first()
    if hearing is None:
        raise RuleViolation("There is no such hearing on this case.", field="hearing_id")
    if hearing.outcome == Hearing.Outcome.CONCLUDED:
        raise InvalidTransition("That hearing has concluded.")
    if hearing.outcome == Hearing.Outcome.ADJOURNED:
        raise InvalidTransition("That hearing was adjourned: list the hearing again and record the outcome on that.")
    if started_by is not None and hearing.starts_on > started_by:
        raise InvalidTransition(
            f"That hearing starts on {hearing.starts_on:%-d %B %Y}: nothing can be recorded of it before then."
        )
    return hearing


@transaction.atomic
def hearing_adjourn(*, case_id: int, version: int | None, hearing_id: int, actor, reason: str, at=None) -> Hearing:
    reason, at = _require_reason(reason), _now(at)
    case, before = _begin(case_id, version, "record_hearing_adjourned")
    hearing = _open_hearing(case, hearing_id)
    case.record_hearing_adjourned()
    hearing.outcome = Hearing.Outcome.ADJOURNED
    hearing.save(update_fields=["outcome"])
    _finish(
        case, before, actor=actor, action="hearing_adjourned", reason=reason, at=at, events=[(K.HEARING_ADJOURNED, "")]
    )
    return hearing


@transaction.atomic
def hearing_part_heard(*, case_id: int, version: int | None, hearing_id: int, actor, reason: str, at=None) -> Hearing:
    reason, at = _require_reason(reason), _now(at)
    case, before = _begin(case_id, version, "record_hearing_part_heard")
    hearing = _open_hearing(case, hearing_id, started_by=local_date(at))
    case.record_hearing_part_heard()
    hearing.outcome = Hearing.Outcome.PART_HEARD
    hearing.save(update_fields=["outcome"])
    _finish(
        case,
        before,
        actor=actor,
        action="hearing_part_heard",
        reason=reason,
        at=at,
        events=[(K.HEARING_PART_HEARD, "")],
    )
    return hearing


@transaction.atomic
def hearing_conclude(
    *,
    case_id: int,
    version: int | None,
    hearing_id: int,
    actor,
    reason: str,
    impaired: bool,
    sanction: str,
    months: int | None = None,
    decided_on: dt.date | None = None,
    at=None,
) -> Hearing:
    """The panel's finding and sanction, on the day the panel decided it (`decided_on`, today if not given):
    on or after the hearing's first day and never in the future. The order starts on that day and shows
    on the register at once; removal removes the entry."""
    reason, at = _require_reason(reason), _now(at)
    if sanction not in Sanction.values:
        raise RuleViolation("Choose the sanction.", field="sanction")
    if not impaired and sanction != Sanction.NONE:
        raise RuleViolation("With no finding of impairment there is no sanction.", field="sanction")
    if impaired and sanction == Sanction.NONE:
        raise RuleViolation("Choose the sanction for a finding of impairment.", field="sanction")
    months = _check_months(sanction, months)
    case, before = _begin(case_id, version, "conclude_hearing")
    hearing = _open_hearing(case, hearing_id, started_by=local_date(at))
    decided_on = date_bounds.DECISION_DATE.check(
        decided_on or local_date(at),
        field="decided_on",
        on=local_date(at),
        after=(hearing.starts_on, "the hearing's first day"),
    )
    reviewed = sanction in REVIEWED_SANCTIONS
    case.conclude_hearing(reviewed=reviewed)
    events = [(K.HEARING_CONCLUDED, _sanction_detail(sanction, months))]
    order = None
    if sanction != Sanction.NONE:
        order = _make_order(
            case,
            sanction=sanction,
            months=months,
            interim=False,
            made_by=Order.MadeBy.HEARING,
            at=at,
            actor=actor,
            reason=reason,
            starts_on=decided_on,
        )
    _close_interim(case, at=at, actor=actor, reason=reason, events=events)
    hearing.outcome, hearing.impaired, hearing.sanction, hearing.sanction_months, hearing.order = (
        Hearing.Outcome.CONCLUDED,
        impaired,
        sanction,
        months,
        order,
    )
    hearing.save(update_fields=["outcome", "impaired", "sanction", "sanction_months", "order"])
    _letter(
        case,
        at=at,
        actor=actor,
        subject="The outcome of your hearing",
        body=f"The panel's decision: {Sanction(sanction).label.lower()}"
        + (f" for {months} months." if months else "."),
    )
    if not reviewed:
        case.closed_at = at
        events.append((K.CASE_CLOSED, ""))
    _finish(case, before, actor=actor, action="hearing_concluded", reason=reason, at=at, events=events)
    return hearing


@transaction.atomic
def substantive_order_review(
    *,
    case_id: int,
    version: int | None,
    order_id: int,
    actor,
    reason: str,
    outcome: str,
    months: int | None = None,
    at=None,
) -> Order:
    """A review of a conditions or suspension order before it ends: confirmed, extended by N months, or revoked."""
    reason, at = _require_reason(reason), _now(at)
    if outcome not in ("confirmed", "extended", "revoked"):
        raise RuleViolation("Choose confirmed, extended or revoked.", field="outcome")
    case, before = _begin(case_id, version, "review_substantive_order")
    order = Order.objects.select_for_update().filter(pk=order_id, case=case, kind__in=REVIEWED_SANCTIONS).first()
    if order is None:
        raise RuleViolation("There is no such order on this case.", field="order")
    today = local_date(at)
    if outcome == "extended":
        if not months or months < 1 or months > 36:
            raise RuleViolation("Give the extension in months, from 1 to 36.", field="months")
        if order.ends_on is None:
            raise InvalidTransition("An order with no end date cannot be extended.")
        order.ends_on = add_calendar_months(order.ends_on, months)
        order.review_due_on = order.ends_on - dt.timedelta(days=SUBSTANTIVE_REVIEW_BEFORE_EXPIRY_DAYS)
    elif outcome == "revoked":
        order.ends_on = today
    else:
        order.review_due_on = None
    order.save(update_fields=["ends_on", "review_due_on"])
    case.review_substantive_order()
    detail = f"extended:{months}" if outcome == "extended" else outcome
    _finish(
        case,
        before,
        actor=actor,
        action="substantive_order_review",
        reason=reason,
        at=at,
        events=[(K.SUBSTANTIVE_ORDER_REVIEW, detail)],
    )
    return order


# --- Interim orders ---


@transaction.atomic
def interim_order_need_identify(*, case_id: int, version: int | None, actor, reason: str, at=None):
    """A need for an interim order is identified (at any open stage): the 20 working-day clock starts."""
    reason, at = _require_reason(reason), _now(at)
    case, before = _begin(case_id, version, "identify_interim_order_need")
    if case.state == State.CLOSED:
        raise InvalidTransition(f"Case {case.reference} is closed.")
    case.identify_interim_order_need()
    case.interim_need_identified_at = at
    return _finish(
        case,
        before,
        actor=actor,
        action="interim_order_need_identified",
        reason=reason,
        at=at,
        events=[(K.INTERIM_ORDER_NEED_IDENTIFIED, "")],
    )


@transaction.atomic
def interim_order_decide(
    *, case_id: int, version: int | None, actor, reason: str, sanction: str, months: int | None = None, at=None
):
    """The interim order hearing's decision: interim conditions or suspension for N months, or none."""
    reason, at = _require_reason(reason), _now(at)
    if sanction not in (Sanction.NONE, *INTERIM_SANCTIONS):
        raise RuleViolation("Choose interim conditions, interim suspension or no order.", field="sanction")
    months = _check_months(sanction, months, interim=True) if sanction != Sanction.NONE else None
    case, before = _begin(case_id, version, "decide_interim_order")
    made = sanction != Sanction.NONE
    case.decide_interim_order(made=made)
    if made:
        _make_order(
            case,
            sanction=sanction,
            months=months,
            interim=True,
            made_by=Order.MadeBy.INTERIM_ORDER_HEARING,
            at=at,
            actor=actor,
            reason=reason,
        )
    _letter(
        case,
        at=at,
        actor=actor,
        subject="Interim order decision",
        body=f"The panel decided: {'interim ' + Sanction(sanction).label.lower() if made else 'no interim order'}"
        + (f" for {months} months." if months else "."),
    )
    return _finish(
        case,
        before,
        actor=actor,
        action="interim_order_decision",
        reason=reason,
        at=at,
        events=[(K.INTERIM_ORDER_DECISION, _sanction_detail(sanction, months))],
    )


@transaction.atomic
def interim_order_review(
    *,
    case_id: int,
    version: int | None,
    actor,
    reason: str,
    outcome: str,
    next_review_on: dt.date | None = None,
    at=None,
):
    """Review an interim order in force: revoked (ends today), or continued with its next review on
    `next_review_on` (by default 6 months on, or the day before the order ends if that is sooner),
    after today and before the order ends: a continued order is never left without a review date."""
    reason, at = _require_reason(reason), _now(at)
    if outcome not in ("continued", "revoked"):
        raise RuleViolation("Choose continued or revoked.", field="outcome")
    case, before = _begin(case_id, version, "review_interim_order")
    today = local_date(at)
    orders = (
        Order.objects.select_for_update()
        .in_force(today)
        .filter(case=case, kind__in=[Order.Kind.INTERIM_CONDITIONS, Order.Kind.INTERIM_SUSPENSION])
    )
    events = [(K.INTERIM_ORDER_REVIEW, outcome)]
    if outcome == "revoked":
        for order in orders:
            order.ends_on, order.expiry_handled_at = today, at
            order.save(update_fields=["ends_on", "expiry_handled_at"])
            events.append((K.ORDER_EXPIRED, order.kind))
        case.end_interim_order()
    else:
        case.review_interim_order()
        for order in orders:
            next_review = next_review_on or add_calendar_months(today, INTERIM_ORDER_REVIEW_MONTHS)
            if next_review_on is None and order.ends_on and next_review >= order.ends_on:
                next_review = order.ends_on - dt.timedelta(days=1)
            order_end = (order.ends_on, f"the order ends on {order.ends_on:%-d %B %Y}") if order.ends_on else None
            date_bounds.NEXT_INTERIM_REVIEW.check(next_review, field="next_review_on", on=today, before=order_end)
            order.review_due_on = next_review
            order.save(update_fields=["review_due_on"])
    return _finish(case, before, actor=actor, action="interim_order_review", reason=reason, at=at, events=events)


# --- Work on a case that does not move it ---


def _touch(case_id: int, version: int | None) -> tuple[FitnessToPractiseCase, dict]:
    case = _locked_case(case_id)
    if version is not None and case.version != version:
        raise StaleState(f"Case {case.reference} has changed since you opened it. Reload it and try again.")
    return case, snapshot(case)


@transaction.atomic
def case_assign(
    *,
    case_id: int,
    version: int | None,
    actor,
    handler=None,
    investigator=None,
    external_firm: str | None = None,
    reason: str = "",
    at=None,
) -> FitnessToPractiseCase:
    """Assign the case handler, the investigator, or an external investigating firm."""
    at = _now(at)
    case, before = _touch(case_id, version)
    if case.state == State.CLOSED:
        raise InvalidTransition(f"Case {case.reference} is closed.")
    details = []
    if handler is not None:
        case.handler = handler
        details.append(f"Case handler: {handler.get_full_name() or handler.get_username()}")
    if investigator is not None:
        case.investigator = investigator
        details.append(f"Investigator: {investigator.get_full_name() or investigator.get_username()}")
    if external_firm is not None:
        case.external_firm = external_firm.strip()[:200]
        details.append(f"External firm: {case.external_firm}")
    if not details:
        raise RuleViolation("Choose who to assign.", field="handler")
    return _finish(
        case,
        before,
        actor=actor,
        action="assigned",
        reason=reason,
        at=at,
        events=[(K.ASSIGNED, "; ".join(details)[:100])],
    )


@transaction.atomic
def evidence_request_add(
    *,
    case_id: int,
    version: int | None,
    actor,
    requested_from: str,
    description: str,
    response_due_on: dt.date | None = None,
    at=None,
) -> EvidenceRequest:
    at = _now(at)
    if not requested_from.strip():
        raise RuleViolation("Say who the evidence is requested from.", field="requested_from")
    if not description.strip():
        raise RuleViolation("Describe the evidence requested.", field="description")
    if response_due_on is not None:
        date_bounds.EVIDENCE_DUE.check(response_due_on, field="response_due_on", on=local_date(at))
    case, before = _touch(case_id, version)
    if case.state != State.INVESTIGATION:
        raise InvalidTransition("Evidence is requested during the investigation.")
    request = EvidenceRequest.objects.create(
        case=case,
        requested_from=requested_from.strip(),
        description=description.strip(),
        requested_at=at,
        response_due_on=response_due_on,
    )
    _finish(
        case,
        before,
        actor=actor,
        action="evidence_requested",
        reason=description,
        at=at,
        events=[(K.EVIDENCE_REQUESTED, requested_from.strip()[:100])],
    )
    return request


@transaction.atomic
def evidence_response_record(
    *, case_id: int, version: int | None, request_id: int, actor, summary: str, at=None
) -> EvidenceRequest:
    at = _now(at)
    case, before = _touch(case_id, version)
    request = EvidenceRequest.objects.select_for_update().filter(pk=request_id, case=case).first()
    if request is None:
        raise RuleViolation("There is no such evidence request on this case.", field="request")
    if request.response_received_at:
        raise InvalidTransition("The response to that request has been recorded already.")
    request.response_received_at, request.response_summary = at, summary.strip()
    request.save(update_fields=["response_received_at", "response_summary"])
    _finish(
        case,
        before,
        actor=actor,
        action="evidence_received",
        reason=summary,
        at=at,
        events=[(K.EVIDENCE_RECEIVED, request.requested_from[:100])],
    )
    return request


@transaction.atomic
def case_note_add(*, case_id: int, actor, text: str, at=None) -> CaseEvent:
    """A note on the case's timeline (notes do not change the case, so no version check)."""
    text = (text or "").strip()
    if not text:
        raise RuleViolation("Enter the note.", field="text")
    if len(text) > 5000:
        raise RuleViolation("A note must be 5,000 characters or fewer.", field="text")
    case = _locked_case(case_id)
    at = _now(at)
    event = _event(case, K.NOTE_ADDED, at=at, actor=actor, reason=text)
    audit_record(actor=actor, action="ftp_case.note_added", obj=case, reason=text, at=at)
    return event


# --- Scheduled work (Celery beat, see tasks.py) ---

SWEEP_LOCK_KEY = 4_200_001  # pg_try_advisory_lock key of the FTP orders sweep


def orders_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Schedule reviews that fall due soon and handle orders that have ended. Runs under a PostgreSQL
    advisory lock so two workers never run it at once; each order is handled in its own transaction."""
    today = today or timezone.localdate()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [SWEEP_LOCK_KEY])
            if not cursor.fetchone()[0]:
                return {"skipped": 1, "reviews_scheduled": 0, "orders_ended": 0}
    try:
        scheduled = ended = 0
        horizon = today + dt.timedelta(days=REVIEW_LISTING_NOTICE_DAYS)
        for order_id in Order.objects.filter(
            review_due_on__isnull=False, review_due_on__lte=horizon, expiry_handled_at__isnull=True
        ).values_list("pk", flat=True):
            scheduled += order_review_schedule(order_id=order_id, today=today)
        for order_id in Order.objects.filter(
            ends_on__isnull=False, ends_on__lte=today, expiry_handled_at__isnull=True
        ).values_list("pk", flat=True):
            ended += order_expire(order_id=order_id, today=today)
        return {"skipped": 0, "reviews_scheduled": scheduled, "orders_ended": ended}
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [SWEEP_LOCK_KEY])


@transaction.atomic
def order_review_schedule(*, order_id: int, today: dt.date) -> int:
    """List the review hearing of an order whose review falls due within the notice period (once)."""
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.review_due_on is None or order.expiry_handled_at:
        return 0
    if Hearing.objects.filter(
        case_id=order.case_id, kind=Hearing.Kind.ORDER_REVIEW, starts_on=order.review_due_on
    ).exists():
        return 0
    case = _locked_case(order.case_id)
    at = timezone.now()
    Hearing.objects.create(
        case=case,
        kind=Hearing.Kind.ORDER_REVIEW,
        starts_on=order.review_due_on,
        ends_on=order.review_due_on,
        panel="To be confirmed",
        listed_at=at,
    )
    _event(case, K.ORDER_REVIEW_SCHEDULED, at=at, actor=None, detail=f"{order.kind}:{order.review_due_on.isoformat()}")
    audit_record(actor="ftp orders sweep", action="ftp_order.review_scheduled", obj=order, at=at)
    return 1


@transaction.atomic
def order_expire(*, order_id: int, today: dt.date) -> int:
    """An order has reached its end: it left the public register that day (the register reads the
    dates); record it on the case, and close the case when nothing else keeps it open."""
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.expiry_handled_at or order.ends_on is None or order.ends_on > today:
        return 0
    case = _locked_case(order.case_id)
    at = timezone.now()
    before = snapshot(case)
    order.expiry_handled_at = at
    order.save(update_fields=["expiry_handled_at"])
    events = [(K.ORDER_EXPIRED, order.kind)]
    still_in_force = Order.objects.in_force(today).filter(case=case).exclude(pk=order.pk)
    if order.is_interim and case.interim_order_state == InterimOrderState.IN_FORCE:
        if not still_in_force.filter(kind__in=[Order.Kind.INTERIM_CONDITIONS, Order.Kind.INTERIM_SUSPENSION]).exists():
            case.end_interim_order()
    if not order.is_interim and case.state == State.ORDER_MONITORING and not still_in_force.exists():
        case.close_after_order()
        case.closed_at = at
        events.append((K.CASE_CLOSED, "order ended"))
    _finish(
        case,
        before,
        actor="ftp orders sweep",
        action="order_expired",
        reason="The order reached its end date.",
        at=at,
        events=events,
    )
    return 1
