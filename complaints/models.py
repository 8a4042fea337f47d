"""Corporate complaints about the regulator, and information requests (FOI and subject access).

Clocks are not stored: due dates and breaches are derived from the dated event rows and
regulator.working_days (see deadlines.py).
"""

import uuid

from django.conf import settings
from django.db import models


class ComplaintCategory(models.TextChoices):
    FEES = "fees", "Registration fees and payments"
    APPLICATION_CLOSURE = "application_closure", "Closure of a registration application"
    REGISTRATION = "registration", "Registration service"
    FTP_PROCESS = "ftp_process", "Fitness to practise process"
    CUSTOMER_SERVICE = "customer_service", "Customer service and contact"
    EDUCATION = "education", "Education and training"
    OTHER = "other", "Other"


class Complaint(models.Model):
    """A complaint about the regulator itself (not about a social worker: that is a concern)."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        ASSIGNED = "assigned", "Assigned"
        RESPONDED = "responded", "Responded"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=20, unique=True)
    received_on = models.DateField()
    # Null on a complaint transferred without these (interchange.md): shown as "not recorded".
    complainant_name = models.CharField(max_length=200, null=True)
    complainant_email = models.EmailField(blank=True)
    registrant = models.ForeignKey(
        "registration.Registrant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="When the complainant is on (or applying to) the register.",
    )
    category = models.CharField(max_length=30, choices=ComplaintCategory.choices, null=True)
    summary = models.TextField(null=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    stage = models.PositiveSmallIntegerField(default=1)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["received_on", "id"]
        indexes = [models.Index(fields=["status", "received_on"], name="complaint_status_idx")]

    def __str__(self) -> str:
        return self.reference


class ComplaintEvent(models.Model):
    """A dated, attributed step of a complaint; `stage` is the stage it belongs to."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Complaint received"
        ASSIGNED = "assigned", "Assigned"
        RESPONDED = "responded", "Response sent"
        CLOSED = "closed", "Closed"
        ESCALATED = "escalated", "Escalated to stage 2"

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    stage = models.PositiveSmallIntegerField()
    on = models.DateField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["kind", "on"], name="complaint_event_kind_on_idx"),
            models.Index(fields=["complaint", "on"], name="complaint_event_on_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class InformationRequest(models.Model):
    """A Freedom of Information request or a subject access request, with its statutory clock."""

    class Kind(models.TextChoices):
        FOI = "foi", "Freedom of Information request"
        SAR = "sar", "Subject access request"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        PROVIDED = "provided", "Information provided"
        PARTLY_PROVIDED = "partly_provided", "Partly provided (some withheld)"
        WITHHELD = "withheld", "Withheld (exemption applies)"
        NOT_HELD = "not_held", "Information not held"
        WITHDRAWN = "withdrawn", "Withdrawn by the requester"

    kind = models.CharField(max_length=3, choices=Kind.choices)
    reference = models.CharField(max_length=20, unique=True)
    received_on = models.DateField()
    requester_name = models.CharField(max_length=200)
    requester_email = models.EmailField(blank=True)
    registrant = models.ForeignKey(
        "registration.Registrant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a subject access request: the registrant whose data is asked for.",
    )
    description = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["received_on", "id"]
        indexes = [models.Index(fields=["kind", "status", "received_on"], name="info_request_status_idx")]

    def __str__(self) -> str:
        return self.reference


class InformationRequestEvent(models.Model):
    class Kind(models.TextChoices):
        RECEIVED = "received", "Request received"
        EXTENDED = "extended", "Deadline extended (complex request)"
        EXPORT_REQUESTED = "export_requested", "Subject access export requested"
        EXPORT_READY = "export_ready", "Subject access export ready"
        EXPORT_DOWNLOADED = "export_downloaded", "Subject access export downloaded"
        CLOSED = "closed", "Closed"

    request = models.ForeignKey(InformationRequest, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on = models.DateField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "on"], name="info_request_event_kind_on_idx")]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class SubjectAccessExport(models.Model):
    """A file of everything the product holds about a registrant, made by a Celery job and kept
    outside the web root (settings.MEDIA_ROOT); downloaded only through an access-checked view."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being produced"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(InformationRequest, on_delete=models.PROTECT, related_name="exports")
    registrant = models.ForeignKey("registration.Registrant", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True, help_text="Relative to the private export folder.")
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Export for {self.request} ({self.get_status_display()})"
