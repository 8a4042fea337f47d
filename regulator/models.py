"""What every app shares: the user, and the append-only audit trail."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in: staff, registrant or provider. Roles are groups (see roles.py)."""

    # Unique when given; staff accounts may have none (NULLs do not clash under a unique index).
    email = models.EmailField("email address", unique=True, null=True, blank=True)  # type: ignore[assignment]

    class Meta:
        db_table = "regulator_user"


class AttributedEvent(models.Model):
    """A dated, attributed step of a record: when, by whom (none for system jobs), and why.

    Each app's event table adds the record it belongs to and its kind; clocks and KPIs read them."""

    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised by any attempt to change or remove an audit record."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: records cannot be updated.")

    def delete(self):
        raise AppendOnlyError("The audit trail is append-only: records cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("The audit trail is append-only: records cannot be updated.")


class AuditEvent(models.Model):
    """Who did what to which record, when, with the before and after and the reason.

    Written only by regulator.audit.audit_record; no code path updates or deletes a row, and the
    database refuses it too (a trigger, see migration 0002).
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The actor as a string at the time, for system actors (imports, scheduled jobs) and readability.
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("The audit trail is append-only: records cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: records cannot be deleted.")


class KpiMonth(models.Model):
    """One KPI's figures for one month, computed from events and kept (regulator.kpi_cache).

    Never edited: a PostgreSQL trigger on every event table deletes the months an event write can
    change (its month and every later one), in the writer's transaction, and the next request
    computes them again. `rules` fingerprints the code and calendar they were computed by.
    """

    code = models.CharField(max_length=8)
    month = models.DateField(help_text="The first day of the month.")
    met = models.PositiveIntegerField(default=0)
    population = models.PositiveIntegerField(default=0)
    value = models.FloatField(null=True, blank=True, help_text="A count KPI's value.")
    rules = models.CharField(max_length=40)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "month"], name="kpi_month_code_month_uniq")]

    def __str__(self) -> str:
        return f"{self.code} {self.month:%Y-%m}"


class OutboxMessage(models.Model):
    """A Celery task an action must start, written in the action's own transaction (the transactional
    outbox): the broker may be down when the action commits, and the beat sweep dispatches what it missed.

    Written only by regulator.outbox; the task it names must be idempotent (the sweep may send it twice)."""

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(db_index=True)
    # When the broker last accepted it; null until then. Cleared by nobody: a re-dispatch moves it on.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatch_attempts = models.PositiveIntegerField(default=0)
    # Set by the worker when the task has run to its end (see regulator.outbox, task_postrun).
    done_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # The web request that queued it, so the task's logs carry the same id even when the sweep sends it.
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(done_at__isnull=True), name="outbox_undone_idx")
        ]

    def __str__(self) -> str:
        return f"{self.task_name}({self.kwargs})"


class Notification(models.Model):
    """One email to one person for one reason: the record of what was (or is being) sent.

    `reference` names the person and the message (e.g. "registration-letter:42"), unique, so a task run
    twice, a re-run sweep or a worker retried sends nothing twice. Written only by regulator.notifications."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"  # claimed by a worker; left here only if it died mid-send
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    reference = models.CharField(max_length=200, unique=True)
    template = models.CharField(max_length=100)
    to = models.EmailField()
    personalisation = models.JSONField(default=dict)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    backend = models.CharField(max_length=50, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)  # GOV.UK Notify's notification id
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="notification_status_idx")]

    def __str__(self) -> str:
        return f"{self.template} to {self.to} ({self.status})"


class ApiToken(models.Model):
    """A credential for another system calling the API: it acts as its user, within its scope, until it
    expires or is revoked. Only a SHA-256 of the secret is kept; the secret is shown once, when issued
    (regulator.security.tokens, decision 0781)."""

    class Scope(models.TextChoices):
        READ = "read", "Read only (GET)"
        READ_WRITE = "read_write", "Read and write"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="Which system uses it, e.g. 'Finance reconciliation'.")
    # The first characters of the secret, to tell tokens apart in lists and logs; never enough to use.
    prefix = models.CharField(max_length=12, db_index=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "regulator_api_token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
# --- Service standards and the timers that watch every open work item (decisions 0820-0824) ---


class ServiceStandard(models.Model):
    """One rule of the regulator's service standards, in force from `effective_from` until the next
    row of the same code. A target is changed by adding a row: a past month keeps the rule it was
    measured by (regulator.service_standards.target)."""

    class Code(models.TextChoices):
        UK_APPLICATION = "uk_application", "UK applications"
        RESTORATION_APPLICATION = "restoration_application", "Restoration applications"
        PRE_TRIAGE = "pre_triage", "Pre-triage"
        TRIAGE_INITIAL_REVIEW = "triage_initial_review", "Triage: initial review and streaming"
        TRIAGE_DECISION = "triage_decision", "Triage decision"
        INVESTIGATION = "investigation", "Investigation (Social Work England cases)"
        INVESTIGATION_HCPC = "investigation_hcpc", "Investigation (HCPC cases)"
        CASE_EXAMINER_INITIAL_DECISION = "case_examiner_initial_decision", "Case examiners' initial decision"
        INTERIM_ORDER_DECISION = "interim_order_decision", "Interim order decision"
        COMPLAINT_STAGE = "complaint_stage", "Complaints (each stage)"
        EMAIL = "email", "Emails"
        FOI = "foi", "Freedom of Information requests"
        SUBJECT_ACCESS = "subject_access", "Subject access requests"
        APPEAL = "appeal", "Registration appeals"
        MISUSE_OF_TITLE = "misuse_of_title", "Misuse of title cases"
        COURSE_CONDITION = "course_condition", "Conditions on courses"
        MONITORING_RETURN = "monitoring_return", "Annual monitoring returns"

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", "working days"
        CALENDAR_DAYS = "calendar_days", "calendar days"
        CALENDAR_MONTHS = "calendar_months", "calendar months"
        FIXED_DATE = "fixed_date", "by a fixed date"
        ON_RECORD = "on_record", "by the due date set on the record"

    code = models.CharField(max_length=40, choices=Code.choices)
    amount = models.PositiveIntegerField(default=0, help_text="How many units; 0 for a fixed or recorded date.")
    unit = models.CharField(max_length=20, choices=Unit.choices)
    extension_amount = models.PositiveIntegerField(
        null=True, blank=True, help_text="Units added when the deadline is lawfully extended (subject access)."
    )
    fixed_date = models.DateField(null=True, blank=True, help_text="For 'by a fixed date' only.")
    pauses_excluded = models.BooleanField(
        default=False, help_text="Working days paused awaiting someone else do not count (applications)."
    )
    ends_on_working_day = models.BooleanField(
        default=False, help_text="A deadline on a weekend or bank holiday moves to the next working day."
    )
    measured_from = models.CharField(max_length=200, help_text="The event that starts the clock, in words.")
    effective_from = models.DateField(help_text="The first day this rule applies to clocks starting on it.")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["code", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="service_standard_code_from_uniq"),
            models.CheckConstraint(
                condition=~models.Q(unit="fixed_date") | models.Q(fixed_date__isnull=False),
                name="service_standard_fixed_date_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.rule} (from {self.effective_from:%-d %B %Y})"

    @property
    def rule(self) -> str:
        """The rule in words, as an item's page shows it."""
        if self.unit == self.Unit.FIXED_DATE and self.fixed_date:
            text = f"by {self.fixed_date:%-d %B %Y}"
        elif self.unit == self.Unit.ON_RECORD:
            text = "by the due date set on the record"
        else:
            unit = self.get_unit_display()
            if self.amount == 1:
                unit = unit.rstrip("s")
            text = f"within {self.amount} {unit} of {self.measured_from}"
        if self.pauses_excluded:
            text += ", time paused awaiting the applicant excluded"
        if self.extension_amount:
            text += f" (extendable by {self.extension_amount} {self.get_unit_display()})"
        return text


class WorkingDay(models.Model):
    """The working-day calendar as a table, filled from regulator.working_days, so a sweep over the
    whole caseload counts working days in one SQL statement: wd(a, b) = ordinal(b) - ordinal(a)."""

    day = models.DateField(primary_key=True)
    is_working = models.BooleanField()
    ordinal = models.IntegerField(help_text="Working days from the calendar's first day up to and including this day.")

    class Meta:
        constraints = [
            # One working day per ordinal: the planner then knows each lookup by ordinal finds one row.
            models.UniqueConstraint(
                fields=["ordinal"], condition=models.Q(is_working=True), name="working_day_ordinal_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} ({'working' if self.is_working else 'not working'}, {self.ordinal})"


class TimerState(models.TextChoices):
    ON_TIME = "on_time", "On time"
    DUE_SOON = "due_soon", "Due soon"
    BREACHED = "breached", "Breached"
    MET = "met", "Stopped on time"
    MISSED = "missed", "Stopped late"


OPEN_TIMER_STATES = (TimerState.ON_TIME, TimerState.DUE_SOON, TimerState.BREACHED)


class WorkTimer(models.Model):
    """The service-standard timer of one clock of one work item, kept by Celery (regulator.timers).

    Generic over item kinds: `kind` names the item's model ("registration.application") and `clock`
    the standard it runs against; the standard row is the rule that made it. Start, pauses and stop
    come from the item's events; due date, elapsed days and state from the working-day table."""

    kind = models.CharField(max_length=60)
    item_id = models.BigIntegerField()
    clock = models.CharField(max_length=40, choices=ServiceStandard.Code.choices)
    standard = models.ForeignKey(ServiceStandard, on_delete=models.PROTECT, related_name="timers")
    reference = models.CharField(max_length=40, help_text="The item's reference, for queues and digests.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.CharField(max_length=40, help_text="The role whose team works the item.")
    # From the events:
    started_on = models.DateField()
    paused_working_days = models.IntegerField(default=0, help_text="Closed pauses, in working days.")
    paused_since = models.DateField(null=True, blank=True, help_text="An open pause (awaiting the applicant).")
    stopped_on = models.DateField(null=True, blank=True)
    unit = models.CharField(max_length=20, choices=ServiceStandard.Unit.choices)
    amount = models.PositiveIntegerField(help_text="The standard's amount, with any extension granted.")
    due_by = models.DateField(null=True, blank=True, help_text="A fixed date, or the due date set on the record.")
    # Derived (regulator.timers.SWEEP_SQL), never typed in:
    due_on = models.DateField()
    elapsed = models.IntegerField(default=0, help_text="Days counted against the standard, in its unit.")
    state = models.CharField(max_length=10, choices=TimerState.choices, default=TimerState.ON_TIME)
    breached_at = models.DateTimeField(null=True, blank=True)
    computed_on = models.DateField(null=True, blank=True, help_text="The day the state was last derived for.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "item_id", "clock"], name="work_timer_item_clock_uniq"),
        ]
        indexes = [
            models.Index(fields=["kind", "state", "due_on"], name="work_timer_queue_idx"),
            models.Index(fields=["owner", "state"], name="work_timer_owner_idx"),
            models.Index(fields=["computed_on"], name="work_timer_open_idx", condition=models.Q(stopped_on=None)),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.clock} due {self.due_on} ({self.state})"


class TimerNotification(models.Model):
    """What a digest told someone about a timer: a breach is told once only (the unique constraint),
    a due-soon warning once per due date. The digest reads this table to leave out what was said."""

    class Kind(models.TextChoices):
        BREACHED = "breached", "Breached"
        DUE_SOON = "due_soon", "Due soon"

    timer = models.ForeignKey(WorkTimer, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField()
    digest = models.ForeignKey("TimerDigest", on_delete=models.PROTECT, related_name="notifications")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["timer", "recipient", "kind", "due_on"], name="timer_notification_once_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on} to {self.recipient_id}"


class TimerDigest(models.Model):
    """One daily message to one person: the record of what was sent."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField()
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "sent_on"], name="timer_digest_daily_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.sent_on} to {self.to}: {self.subject}"
