"""Fitness to practise: concerns, the cases they open, the case's event log, orders, hearings.

The stages of a case are an explicit state machine (django-fsm-2, see
docs/decisions/0200-ftp-state-machine.md): the transition methods below are the only allowed
moves; fitness_to_practise.services calls them under a row lock and writes the events.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import RETURN_VALUE, FSMField, transition

from registration.models import Origin, RegisterEntry, Registrant


class ReferrerType(models.TextChoices):
    PUBLIC = "public", "Member of the public"
    EMPLOYER = "employer", "Employer"
    SELF = "self", "Self-referral"
    POLICE = "police", "Police"
    OTHER = "other", "Other"


class ReceivedVia(models.TextChoices):
    ONLINE = "online", "Online form"
    PHONE = "phone", "Phone"
    POST = "post", "Post"
    EMAIL = "email", "Email"
    API = "api", "API"


class Concern(models.Model):
    """A concern as the referrer raised it, before (and after) it is matched to a register entry."""

    class Status(models.TextChoices):
        AWAITING_PRE_TRIAGE = "awaiting_pre_triage", "Awaiting pre-triage"
        JOINED_CASE = "joined_case", "Social worker identified"
        CLOSED = "closed", "Closed at pre-triage"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    origin = models.CharField(max_length=4, choices=Origin.choices, default=Origin.SWE)
    received_at = models.DateTimeField()
    # Null where the history did not carry it (a transferred concern): shown as "not recorded".
    received_via = models.CharField(max_length=10, choices=ReceivedVia.choices, null=True)
    referrer_type = models.CharField(max_length=10, choices=ReferrerType.choices)
    referrer_name = models.CharField(max_length=200, null=True)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    what_happened = models.TextField(max_length=10_000, null=True)
    # The social worker as the referrer knows them: matched to the register at pre-triage.
    social_worker_name = models.CharField(max_length=200, null=True)
    social_worker_number = models.CharField(max_length=20, blank=True)
    social_worker_town = models.CharField(max_length=100, blank=True)
    social_worker_employer = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING_PRE_TRIAGE)
    case = models.ForeignKey(
        "FitnessToPractiseCase", null=True, blank=True, on_delete=models.PROTECT, related_name="concerns"
    )
    closed_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [
            models.Index(fields=["status", "received_at"], name="ftp_concern_status_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the referrer's file name on disk: it is kept in original_name for display only.
    return f"ftp/{dt.date.today():%Y/%m}/{instance.stored_name}"


class Attachment(models.Model):
    """A document sent with a concern or added to a case; stored under MEDIA_ROOT (outside the web
    root) and served only through a view that checks the caller's role."""

    concern = models.ForeignKey(Concern, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    case = models.ForeignKey(
        "FitnessToPractiseCase", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    stored_name = models.CharField(max_length=80)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.original_name


class State(models.TextChoices):
    """Where a case is. Each state belongs to one stage (STAGE_OF below)."""

    TRIAGE_INITIAL_REVIEW = "triage_initial_review", "Triage: awaiting initial review"
    TRIAGE_DECISION = "triage_decision", "Triage: awaiting decision"
    INVESTIGATION = "investigation", "Investigation"
    CASE_EXAMINERS_INITIAL = "case_examiners_initial", "Case examiners: awaiting initial decision"
    CASE_EXAMINERS_DECISION = "case_examiners_decision", "Case examiners: awaiting outcome"
    DISPOSAL_OFFERED = "disposal_offered", "Case examiners: disposal offered"
    HEARING = "hearing", "Hearing"
    ORDER_MONITORING = "order_monitoring", "Order in force"
    CLOSED = "closed", "Closed"


class Stage(models.TextChoices):
    TRIAGE = "triage", "Triage"
    INVESTIGATION = "investigation", "Investigation"
    CASE_EXAMINERS = "case_examiners", "Case examiners"
    HEARINGS = "hearings", "Hearings"
    CLOSED = "closed", "Closed"


STAGE_OF = {
    State.TRIAGE_INITIAL_REVIEW: Stage.TRIAGE,
    State.TRIAGE_DECISION: Stage.TRIAGE,
    State.INVESTIGATION: Stage.INVESTIGATION,
    State.CASE_EXAMINERS_INITIAL: Stage.CASE_EXAMINERS,
    State.CASE_EXAMINERS_DECISION: Stage.CASE_EXAMINERS,
    State.DISPOSAL_OFFERED: Stage.CASE_EXAMINERS,
    State.HEARING: Stage.HEARINGS,
    State.ORDER_MONITORING: Stage.HEARINGS,
    State.CLOSED: Stage.CLOSED,
}


def states_of(stage: str) -> list[str]:
    return [state.value for state, s in STAGE_OF.items() if s == stage]


OPEN_STATES = [s.value for s in State if s != State.CLOSED]


class InterimOrderState(models.TextChoices):
    NONE = "none", "No interim order"
    NEED_IDENTIFIED = "need_identified", "Interim order need identified"
    IN_FORCE = "in_force", "Interim order in force"


class RiskLevel(models.TextChoices):
    NOT_ASSESSED = "", "Not assessed"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Sanction(models.TextChoices):
    """What a case examiner disposal or a hearing can impose (interchange.md's `detail` values)."""

    NONE = "none", "No impairment / no order"
    ADVICE = "advice", "Advice"
    WARNING = "warning", "Warning"
    CONDITIONS = "conditions", "Conditions of practice"
    SUSPENSION = "suspension", "Suspension"
    REMOVAL = "removal", "Removal"


DISPOSAL_SANCTIONS = [Sanction.ADVICE, Sanction.WARNING, Sanction.CONDITIONS, Sanction.SUSPENSION]
INTERIM_SANCTIONS = [Sanction.CONDITIONS, Sanction.SUSPENSION]
# Orders that stay under review while in force, so the case stays open until they end.
REVIEWED_SANCTIONS = [Sanction.CONDITIONS, Sanction.SUSPENSION]


class FitnessToPractiseCase(models.Model):
    """One FTP case about one registered social worker; several concerns can join it."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    origin = models.CharField(max_length=4, choices=Origin.choices, default=Origin.SWE)
    # Who referred the case, as a transferred case states it (a case opened here reads its concerns).
    referrer = models.CharField(max_length=10, choices=ReferrerType.choices, null=True, blank=True)
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="ftp_cases")
    state = FSMField(max_length=30, choices=State.choices, default=State.TRIAGE_INITIAL_REVIEW, protected=False)
    interim_order_state = FSMField(max_length=20, choices=InterimOrderState.choices, default=InterimOrderState.NONE)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    opened_at = models.DateTimeField(help_text="When the social worker was identified (social_worker_identified).")
    # Copies of the `at` of the event that started the current stage clock / the interim need, written
    # by the same service in the same transaction, so queues can filter and sort on an index.
    stage_started_at = models.DateTimeField()
    interim_need_identified_at = models.DateTimeField(null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="ftp_cases_handled"
    )
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="ftp_investigations"
    )
    external_firm = models.CharField(max_length=200, blank=True)
    proposed_disposal = models.CharField(max_length=12, choices=Sanction.choices, blank=True)
    proposed_disposal_months = models.PositiveSmallIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "fitness to practise case"
        indexes = [
            # The queues: one state (or closed cases), oldest first, paged.
            models.Index(fields=["state", "stage_started_at", "id"], name="ftp_case_state_started_idx"),
            # The default queue is every open case (a tenth of all cases): small partial indexes for
            # its order, its count and its count by state.
            models.Index(
                fields=["stage_started_at", "id"], condition=~Q(state="closed"), name="ftp_case_open_started_idx"
            ),
            models.Index(fields=["state", "risk_level"], condition=~Q(state="closed"), name="ftp_case_open_state_idx"),
            models.Index(fields=["handler", "state", "stage_started_at", "id"], name="ftp_case_handler_idx"),
            models.Index(fields=["interim_order_state", "interim_need_identified_at"], name="ftp_case_interim_idx"),
            models.Index(fields=["opened_at", "id"], name="ftp_case_opened_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def stage(self) -> str:
        return STAGE_OF[State(self.state)]

    def get_stage_display(self) -> str:
        return Stage(self.stage).label

    # --- The stage machine. Each method only moves the state; services do the rest. ---
    @transition(field=state, source=State.TRIAGE_INITIAL_REVIEW, target=State.TRIAGE_DECISION)
    def complete_initial_review(self):
        pass

    @transition(field=state, source=State.TRIAGE_DECISION, target=State.CLOSED)
    def close_at_triage(self):
        pass

    @transition(field=state, source=State.TRIAGE_DECISION, target=State.INVESTIGATION)
    def refer_to_investigation(self):
        pass

    @transition(field=state, source=State.INVESTIGATION, target=State.CLOSED)
    def close_investigation(self):
        pass

    @transition(field=state, source=State.INVESTIGATION, target=State.CASE_EXAMINERS_INITIAL)
    def refer_to_case_examiners(self):
        pass

    @transition(field=state, source=State.CASE_EXAMINERS_INITIAL, target=State.CASE_EXAMINERS_DECISION)
    def accept_for_decision(self):
        pass

    @transition(field=state, source=State.CASE_EXAMINERS_INITIAL, target=State.INVESTIGATION)
    def return_for_investigation(self):
        pass

    @transition(field=state, source=State.CASE_EXAMINERS_DECISION, target=State.CLOSED)
    def decide_no_further_action(self):
        pass

    @transition(field=state, source=State.CASE_EXAMINERS_DECISION, target=State.DISPOSAL_OFFERED)
    def offer_disposal(self):
        pass

    @transition(
        field=state,
        source=State.DISPOSAL_OFFERED,
        target=RETURN_VALUE(State.ORDER_MONITORING, State.CLOSED),
    )
    def accept_disposal(self, *, reviewed: bool):
        return State.ORDER_MONITORING if reviewed else State.CLOSED

    @transition(field=state, source=State.DISPOSAL_OFFERED, target=State.HEARING)
    def decline_disposal(self):
        pass

    @transition(field=state, source=State.CASE_EXAMINERS_DECISION, target=State.HEARING)
    def refer_to_hearing(self):
        pass

    @transition(field=state, source=State.HEARING, target=State.HEARING)
    def list_hearing(self):
        pass

    @transition(field=state, source=State.HEARING, target=State.HEARING)
    def record_hearing_adjourned(self):
        pass

    @transition(field=state, source=State.HEARING, target=State.HEARING)
    def record_hearing_part_heard(self):
        pass

    @transition(
        field=state,
        source=State.HEARING,
        target=RETURN_VALUE(State.ORDER_MONITORING, State.CLOSED),
    )
    def conclude_hearing(self, *, reviewed: bool):
        return State.ORDER_MONITORING if reviewed else State.CLOSED

    @transition(field=state, source=State.ORDER_MONITORING, target=State.ORDER_MONITORING)
    def review_substantive_order(self):
        pass

    @transition(field=state, source=State.ORDER_MONITORING, target=State.CLOSED)
    def close_after_order(self):
        pass

    # --- The interim order machine, beside the stages: a need can arise at any open stage. ---
    @transition(field=interim_order_state, source=InterimOrderState.NONE, target=InterimOrderState.NEED_IDENTIFIED)
    def identify_interim_order_need(self):
        pass

    @transition(
        field=interim_order_state,
        source=InterimOrderState.NEED_IDENTIFIED,
        target=RETURN_VALUE(InterimOrderState.IN_FORCE, InterimOrderState.NONE),
    )
    def decide_interim_order(self, *, made: bool):
        return InterimOrderState.IN_FORCE if made else InterimOrderState.NONE

    @transition(field=interim_order_state, source=InterimOrderState.IN_FORCE, target=InterimOrderState.IN_FORCE)
    def review_interim_order(self):
        pass

    @transition(field=interim_order_state, source=InterimOrderState.IN_FORCE, target=InterimOrderState.NONE)
    def end_interim_order(self):
        pass


class CaseEvent(models.Model):
    """A dated, attributed step in a case: the source of its clocks, its timeline and the KPIs.

    The first eighteen kinds are exactly interchange.md's and kpis.md's; the rest are this app's own.
    """

    class Kind(models.TextChoices):
        CONCERN_RECEIVED = "concern_received", "Concern received"
        SOCIAL_WORKER_IDENTIFIED = "social_worker_identified", "Social worker identified"
        INITIAL_REVIEW_COMPLETED = "initial_review_completed", "Initial review completed"
        TRIAGE_CLOSED = "triage_closed", "Closed at triage"
        REFERRED_TO_INVESTIGATION = "referred_to_investigation", "Referred to investigation"
        INVESTIGATION_CLOSED = "investigation_closed", "Closed at investigation"
        REFERRED_TO_CASE_EXAMINERS = "referred_to_case_examiners", "Referred to case examiners"
        CASE_EXAMINER_INITIAL_DECISION = "case_examiner_initial_decision", "Case examiners' initial decision"
        CASE_EXAMINER_NO_FURTHER_ACTION = "case_examiner_no_further_action", "Case examiners: no further action"
        CASE_EXAMINER_ACCEPTED_DISPOSAL = "case_examiner_accepted_disposal", "Case examiners: accepted disposal"
        REFERRED_TO_HEARING = "referred_to_hearing", "Referred to a hearing"
        INTERIM_ORDER_NEED_IDENTIFIED = "interim_order_need_identified", "Need for an interim order identified"
        INTERIM_ORDER_DECISION = "interim_order_decision", "Interim order decision"
        INTERIM_ORDER_REVIEW = "interim_order_review", "Interim order reviewed"
        HEARING_ADJOURNED = "hearing_adjourned", "Hearing adjourned"
        HEARING_CONCLUDED = "hearing_concluded", "Hearing concluded"
        SUBSTANTIVE_ORDER_REVIEW = "substantive_order_review", "Substantive order reviewed"
        CASE_CLOSED = "case_closed", "Case closed"
        # This app's own kinds (kpis.md does not read them).
        ASSIGNED = "assigned", "Assigned"
        EVIDENCE_REQUESTED = "evidence_requested", "Evidence requested"
        EVIDENCE_RECEIVED = "evidence_received", "Evidence received"
        NOTE_ADDED = "note_added", "Note added"
        RETURNED_FOR_INVESTIGATION = "returned_for_investigation", "Returned for more investigation"
        DISPOSAL_OFFERED = "disposal_offered", "Disposal offered to the social worker"
        DISPOSAL_ACCEPTED = "disposal_accepted", "Disposal accepted by the social worker"
        DISPOSAL_DECLINED = "disposal_declined", "Disposal declined by the social worker"
        HEARING_LISTED = "hearing_listed", "Hearing listed"
        HEARING_PART_HEARD = "hearing_part_heard", "Hearing part-heard"
        ORDER_REVIEW_SCHEDULED = "order_review_scheduled", "Order review scheduled"
        ORDER_EXPIRED = "order_expired", "Order ended"
        LETTER_SENT = "letter_sent", "Letter sent"
        INTERIM_ORDER_NEED_LAPSED = "interim_order_need_lapsed", "Interim order need lapsed (case closed)"

    case = models.ForeignKey(FitnessToPractiseCase, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    detail = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="ftp_event_case_idx"),
            models.Index(fields=["kind", "at"], name="ftp_event_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.kind}"


# The kinds kpis.md and interchange.md read, in the order a case meets them.
INTERCHANGE_EVENT_KINDS = [k.value for k in list(CaseEvent.Kind)[:18]]


class OrderQuerySet(models.QuerySet):
    def in_force(self, on: dt.date) -> OrderQuerySet:
        """Orders in force on a date: started, not yet ended (ends_on is the first day out of force)."""
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))


class Order(models.Model):
    """An interim or final order on a social worker's registration, shown on the public register while
    in force (registration.selectors.public_entries)."""

    class Kind(models.TextChoices):
        INTERIM_CONDITIONS = "interim_conditions", "Interim conditions of practice order"
        INTERIM_SUSPENSION = "interim_suspension", "Interim suspension order"
        ADVICE = "advice", "Advice"
        WARNING = "warning", "Warning"
        CONDITIONS = "conditions", "Conditions of practice order"
        SUSPENSION = "suspension", "Suspension order"
        REMOVAL = "removal", "Removal order"

    class MadeBy(models.TextChoices):
        INTERIM_ORDER_HEARING = "interim_order_hearing", "Interim order hearing"
        CASE_EXAMINERS = "case_examiners", "Case examiners (accepted disposal)"
        HEARING = "hearing", "Final hearing"

    case = models.ForeignKey(FitnessToPractiseCase, on_delete=models.PROTECT, related_name="orders")
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="ftp_orders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    made_by = models.CharField(max_length=30, choices=MadeBy.choices)
    made_at = models.DateTimeField()
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="First day it is no longer in force; none for removal.")
    review_due_on = models.DateField(null=True, blank=True)
    expiry_handled_at = models.DateTimeField(null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [
            models.Index(fields=["entry", "starts_on"], name="ftp_order_entry_idx"),
            models.Index(fields=["ends_on"], name="ftp_order_ends_idx"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_interim(self) -> bool:
        return self.kind in (self.Kind.INTERIM_CONDITIONS, self.Kind.INTERIM_SUSPENSION)


class Hearing(models.Model):
    class Kind(models.TextChoices):
        INTERIM_ORDER = "interim_order", "Interim order hearing"
        SUBSTANTIVE = "substantive", "Substantive hearing"
        ORDER_REVIEW = "order_review", "Order review hearing"

    class Outcome(models.TextChoices):
        PENDING = "", "Listed"
        ADJOURNED = "adjourned", "Adjourned"
        PART_HEARD = "part_heard", "Part-heard"
        CONCLUDED = "concluded", "Concluded"

    case = models.ForeignKey(FitnessToPractiseCase, on_delete=models.PROTECT, related_name="hearings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    panel = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    impaired = models.BooleanField(null=True, blank=True)
    sanction = models.CharField(max_length=12, choices=Sanction.choices, blank=True)
    sanction_months = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    listed_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}"


class EvidenceRequest(models.Model):
    case = models.ForeignKey(FitnessToPractiseCase, on_delete=models.PROTECT, related_name="evidence_requests")
    requested_from = models.CharField(max_length=200)
    description = models.TextField(max_length=2000)
    requested_at = models.DateTimeField()
    response_due_on = models.DateField(null=True, blank=True)
    response_received_at = models.DateTimeField(null=True, blank=True)
    response_summary = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.requested_from}: {self.description[:40]}"


class Letter(models.Model):
    """A letter sent to the social worker about their case: the only part of a case they see."""

    case = models.ForeignKey(FitnessToPractiseCase, on_delete=models.PROTECT, related_name="letters")
    registrant = models.ForeignKey(Registrant, on_delete=models.PROTECT, related_name="ftp_letters")
    sent_at = models.DateTimeField()
    subject = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["registrant", "sent_at"], name="ftp_letter_registrant_idx")]

    def __str__(self) -> str:
        return self.subject
