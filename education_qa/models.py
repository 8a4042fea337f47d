"""Education quality assurance: course providers, their courses, approvals and inspections,
conditions, course changes, annual monitoring, and enquiries and concerns about courses.

Every change is written by a service (services.py) with a dated, attributed EducationEvent row;
the course's approval history (and so `approved_courses_on`) is read from those rows.
"""

from django.conf import settings
from django.db import models


class QualificationLevel(models.TextChoices):
    UNDERGRADUATE = "undergraduate", "Undergraduate degree (BA/BSc)"
    POSTGRADUATE = "postgraduate", "Postgraduate degree (MA/MSc)"
    POSTGRADUATE_DIPLOMA = "postgraduate_diploma", "Postgraduate diploma"
    APPRENTICESHIP = "apprenticeship", "Degree apprenticeship"


class StudyMode(models.TextChoices):
    FULL_TIME = "full_time", "Full time"
    PART_TIME = "part_time", "Part time"
    WORK_BASED = "work_based", "Work based"
    FAST_TRACK = "fast_track", "Fast track"


class CourseStatus(models.TextChoices):
    PROPOSED = "proposed", "Awaiting approval"
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    NOT_APPROVED = "not_approved", "Not approved"
    WITHDRAWN = "withdrawn", "Approval withdrawn"
    HISTORIC = "historic", "Historic (closed to new students)"


# Statuses under which a course is approved: its graduates apply through the UK route.
APPROVED_STATUSES = (CourseStatus.APPROVED, CourseStatus.APPROVED_WITH_CONDITIONS)


class CourseProvider(models.Model):
    """A university, college or other body that runs social work courses."""

    # The HCPC's reference for a transferred provider (interchange.md providers.csv).
    reference = models.CharField(max_length=30, unique=True, null=True, blank=True)
    name = models.CharField(max_length=200, unique=True)
    town = models.CharField(max_length=100)
    contact_email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProviderUser(models.Model):
    """Links a sign-in with the education_provider role to the one provider it answers for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_link")
    provider = models.ForeignKey(CourseProvider, on_delete=models.PROTECT, related_name="users")

    def __str__(self) -> str:
        return f"{self.user} for {self.provider}"


class Course(models.Model):
    """A course leading to registration. `status` and `approved_on` are kept by the services, which
    write an event row with `status_after` for every status change (the history the selectors read)."""

    # The HCPC's reference for a transferred course (interchange.md courses.csv).
    reference = models.CharField(max_length=30, unique=True, null=True, blank=True)
    provider = models.ForeignKey(CourseProvider, on_delete=models.PROTECT, related_name="courses")
    name = models.CharField(max_length=200)
    qualification_level = models.CharField(max_length=30, choices=QualificationLevel.choices)
    mode = models.CharField(max_length=20, choices=StudyMode.choices)
    places = models.PositiveIntegerField(
        null=True, help_text="Students admitted each year (not recorded if transferred)."
    )
    status = models.CharField(max_length=30, choices=CourseStatus.choices, default=CourseStatus.PROPOSED)
    first_approved_on = models.DateField(null=True, blank=True)
    approved_on = models.DateField(null=True, blank=True, help_text="Date of the approval in force.")
    origin = models.CharField(
        max_length=4, choices=[("swe", "Social Work England"), ("hcpc", "Transferred from the HCPC")], default="swe"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["provider__name", "name"]
        constraints = [models.UniqueConstraint(fields=["provider", "name", "mode"], name="course_unique_per_provider")]
        indexes = [models.Index(fields=["status"], name="course_status_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_mode_display()}), {self.provider}"


class ApprovalRequest(models.Model):
    """A request for approval or reapproval of a course: documentary review, inspection, outcome."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", "Approval"
        REAPPROVAL = "reapproval", "Reapproval"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        DOCUMENTARY_REVIEW_COMPLETE = "documentary_review_complete", "Documentary review complete"
        INSPECTION_SCHEDULED = "inspection_scheduled", "Inspection scheduled"
        INSPECTED = "inspected", "Inspected"
        DECIDED = "decided", "Decided"
        WITHDRAWN = "withdrawn", "Request withdrawn"

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
        NOT_APPROVED = "not_approved", "Not approved"
        REQUEST_WITHDRAWN = "request_withdrawn", "Request for approval withdrawn"
        CONDITION_SET = "condition_set", "Condition set"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="approval_requests")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.RECEIVED)
    received_on = models.DateField()
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["status"], name="approval_request_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.course.name} received {self.received_on}"


OPEN_REQUEST_STATUSES = (
    ApprovalRequest.Status.RECEIVED,
    ApprovalRequest.Status.DOCUMENTARY_REVIEW_COMPLETE,
    ApprovalRequest.Status.INSPECTION_SCHEDULED,
    ApprovalRequest.Status.INSPECTED,
)


class Inspection(models.Model):
    """The inspection of an approval request: remote or on site, its dates and its team."""

    class Mode(models.TextChoices):
        REMOTE = "remote", "Remote"
        ON_SITE = "on_site", "On site"

    approval_request = models.OneToOneField(ApprovalRequest, on_delete=models.PROTECT, related_name="inspection")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    conducted_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_mode_display()} inspection {self.starts_on}"


class InspectionTeamMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead inspector"
        EDUCATION_QA_OFFICER = "education_qa_officer", "Education QA officer"
        REGISTRANT_INSPECTOR = "registrant_inspector", "Registrant inspector"
        LAY_INSPECTOR = "lay_inspector", "Lay inspector"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Condition(models.Model):
    """A condition set on an approval, to be met by its due date; then decided met or not met."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        NOT_MET = "not_met", "Not met"

    approval_request = models.ForeignKey(ApprovalRequest, on_delete=models.PROTECT, related_name="conditions")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="conditions")
    text = models.TextField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Condition due {self.due_on}: {self.text[:40]}"


class CourseChange(models.Model):
    """A change to an approved course, approved or refused after documentary review."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="changes")
    description = models.TextField()
    new_places = models.PositiveIntegerField(null=True, blank=True)
    new_mode = models.CharField(max_length=20, choices=StudyMode.choices, blank=True)
    received_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    decided_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Change to {self.course.name} received {self.received_on}"


class MonitoringCycle(models.Model):
    """One year's annual monitoring: a return is opened for every approved course."""

    year = models.PositiveIntegerField(unique=True, help_text="The academic year it starts in, e.g. 2020.")
    opened_on = models.DateField()
    due_on = models.DateField()

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Annual monitoring {self.year}-{(self.year + 1) % 100:02d}"


class MonitoringReturn(models.Model):
    class Status(models.TextChoices):
        AWAITED = "awaited", "Awaited"
        SUBMITTED = "submitted", "Submitted"
        REVIEWED = "reviewed", "Reviewed"

    class ReviewOutcome(models.TextChoices):
        STANDARDS_MET = "standards_met", "Continues to meet the standards"
        MORE_INFORMATION = "more_information", "Further information requested"
        REFER_TO_INSPECTION = "refer_to_inspection", "Referred for inspection"

    cycle = models.ForeignKey(MonitoringCycle, on_delete=models.PROTECT, related_name="returns")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="monitoring_returns")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAITED)
    students_enrolled = models.PositiveIntegerField(null=True, blank=True)
    meets_standards = models.BooleanField(null=True, blank=True)
    commentary = models.TextField(blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    review_outcome = models.CharField(max_length=30, choices=ReviewOutcome.choices, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["course__provider__name", "course__name", "id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "course"], name="one_return_per_course_per_cycle")]
        indexes = [models.Index(fields=["cycle", "status"], name="monitoring_return_status_idx")]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.course.name}"


class Enquiry(models.Model):
    """An enquiry to the education QA team (from a provider, student or member of the public)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    received_on = models.DateField()
    enquirer = models.CharField(max_length=200)
    enquirer_email = models.EmailField(blank=True)
    registrant = models.ForeignKey(
        "registration.Registrant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="When the enquirer is on (or applying to) the register.",
    )
    subject = models.CharField(max_length=200)
    provider = models.ForeignKey(CourseProvider, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.PROTECT, related_name="enquiries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name_plural = "enquiries"

    def __str__(self) -> str:
        return self.subject


class CourseConcern(models.Model):
    """A concern raised about a course (not about a social worker: those are FTP concerns)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        NO_ACTION = "no_action", "No further action"
        ADVICE = "advice", "Advice given to the provider"
        REFERRED_TO_INSPECTION = "referred_to_inspection", "Referred for inspection"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="concerns")
    received_on = models.DateField()
    raised_by = models.CharField(max_length=200)
    summary = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Concern about {self.course.name} received {self.received_on}"


class EducationEvent(models.Model):
    """A dated, attributed change to an education QA record: the history every timeline shows and
    every monthly figure counts. `status_after` is set when the course's status changed."""

    class Kind(models.TextChoices):
        COURSE_PROPOSED = "course_proposed", "Course proposed"
        COURSE_IMPORTED = "course_imported", "Course transferred from the HCPC"
        APPROVAL_REQUESTED = "approval_requested", "Approval requested"
        DOCUMENTARY_REVIEW_COMPLETED = "documentary_review_completed", "Documentary review completed"
        INSPECTION_SCHEDULED = "inspection_scheduled", "Inspection scheduled"
        INSPECTION_CONDUCTED = "inspection_conducted", "Inspection conducted"
        APPROVED = "approved", "Approved"
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
        NOT_APPROVED = "not_approved", "Not approved"
        REQUEST_WITHDRAWN = "request_withdrawn", "Request for approval withdrawn"
        CONDITION_SET = "condition_set", "Condition set"
        CONDITION_MET = "condition_met", "Condition met"
        CONDITION_NOT_MET = "condition_not_met", "Condition not met"
        CHANGE_RECEIVED = "change_received", "Course change received"
        CHANGE_APPROVED = "change_approved", "Course change approved"
        CHANGE_REFUSED = "change_refused", "Course change refused"
        APPROVAL_WITHDRAWN = "approval_withdrawn", "Approval withdrawn"
        MADE_HISTORIC = "made_historic", "Closed to new students (historic)"
        MONITORING_RETURN_OPENED = "monitoring_return_opened", "Monitoring return opened"
        MONITORING_RETURN_CHASED = "monitoring_return_chased", "Monitoring return chased"
        MONITORING_RETURN_SUBMITTED = "monitoring_return_submitted", "Monitoring return submitted"
        MONITORING_RETURN_REVIEWED = "monitoring_return_reviewed", "Monitoring return reviewed"
        ENQUIRY_RECEIVED = "enquiry_received", "Enquiry received"
        ENQUIRY_CLOSED = "enquiry_closed", "Enquiry closed"
        CONCERN_RECEIVED = "concern_received", "Concern received"
        CONCERN_CLOSED = "concern_closed", "Concern closed"

    kind = models.CharField(max_length=40, choices=Kind.choices)
    on = models.DateField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    detail = models.CharField(max_length=200, blank=True)
    status_after = models.CharField(max_length=30, choices=CourseStatus.choices, blank=True)
    provider = models.ForeignKey(CourseProvider, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    approval_request = models.ForeignKey(
        ApprovalRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    condition = models.ForeignKey(Condition, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    change = models.ForeignKey(CourseChange, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    monitoring_return = models.ForeignKey(
        MonitoringReturn, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    enquiry = models.ForeignKey(Enquiry, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    concern = models.ForeignKey(CourseConcern, null=True, blank=True, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["kind", "on"], name="education_event_kind_on_idx"),
            models.Index(fields=["course", "on"], name="education_event_course_on_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"
