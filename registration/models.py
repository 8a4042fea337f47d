"""The register: the people on it (Registrant), their public entries, history and annotations."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import cached_property

from regulator.models import AttributedEvent


class Route(models.TextChoices):
    UK = "uk", "UK"
    OVERSEAS = "overseas", "International"
    EEA = "eea", "EEA"
    SWISS = "swiss", "Swiss mutual recognition"
    NOT_RECORDED = "not_recorded", "Qualification not recorded"


class Register(models.TextChoices):
    FULL = "full", "Social work register"
    TEMPORARY = "temporary", "Temporary register (emergency powers)"


class EntryStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    REMOVED = "removed", "Removed"


class RemovalReason(models.TextChoices):
    FAILURE_TO_RENEW = "failure_to_renew", "Failure to renew"
    VOLUNTARY = "voluntary", "Voluntary removal"
    ORDER = "order", "Removal order"
    TEMPORARY_ENDED = "temporary_ended", "Temporary registration ended"
    DECEASED = "deceased", "Deceased"
    OTHER = "other", "Other reason"


class Origin(models.TextChoices):
    SWE = "swe", "Social Work England"
    HCPC = "hcpc", "Transferred from the HCPC"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_SAID = "not_said", "Prefer not to say"


class Registrant(models.Model):
    """A person who is, was or applies to be registered. Everything here except the name is private."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="registrant"
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    nationality = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    home_address = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(Lower("email"), name="registrant_email_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class RegisterEntry(models.Model):
    """A registrant's entry on the register (regulation 9): what the public may see, and its state.

    The search_* columns are normalised copies (lower case, no accents) kept by the services that
    change names and towns, so the public search runs on plain b-tree indexes.
    """

    registrant = models.OneToOneField(Registrant, on_delete=models.PROTECT, related_name="register_entry")
    registration_number = models.CharField(max_length=12, unique=True)
    register = models.CharField(max_length=10, choices=Register.choices, default=Register.FULL)
    status = models.CharField(max_length=10, choices=EntryStatus.choices, default=EntryStatus.REGISTERED)
    removal_reason = models.CharField(max_length=20, choices=RemovalReason.choices, blank=True)
    route = models.CharField(max_length=15, choices=Route.choices)
    qualification = models.CharField(max_length=200, blank=True)
    registered_on = models.DateField(help_text="Date first entered on the register.")
    registered_until = models.DateField(null=True, blank=True, help_text="End of the current registration year.")
    status_changed_on = models.DateField()
    temporary_until = models.DateField(null=True, blank=True)
    town = models.CharField(max_length=100, help_text="The town where the social worker works.")
    origin = models.CharField(max_length=4, choices=Origin.choices, default=Origin.SWE)
    search_given = models.CharField(max_length=100, editable=False)
    search_family = models.CharField(max_length=100, editable=False)
    search_town = models.CharField(max_length=100, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "register entries"
        indexes = [
            models.Index(fields=["search_family", "search_given"], name="entry_family_given_idx"),
            models.Index(fields=["search_given", "search_family"], name="entry_given_family_idx"),
            models.Index(fields=["search_town", "search_family", "search_given"], name="entry_town_name_idx"),
            models.Index(fields=["register", "status"], name="entry_register_status_idx"),
        ]

    def __str__(self) -> str:
        return self.registration_number

    @cached_property
    def public_status(self):
        """What the public reads: "Registered: suspended" and so on (registration.register_status).
        Reads the prefetched `orders_in_force`, never the database."""
        from django.utils import timezone

        from .register_status import public_status

        return public_status(self, today=timezone.localdate())


class RegisterEvent(models.Model):
    """A dated change to an entry: the entry's history, shown to officers and the registrant."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", "Registered"
        RENEWED = "renewed", "Renewed"
        REMOVED = "removed", "Removed"
        RESTORED = "restored", "Restored"
        MOVED_TO_TEMPORARY = "moved_to_temporary", "Added to the temporary register"
        MOVED_TO_FULL = "moved_to_full", "Moved to the full register"
        DETAILS_CHANGED = "details_changed", "Details changed"
        IMPORTED = "imported", "Transferred from the HCPC"

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on = models.DateField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    detail = models.CharField(max_length=50, blank=True)

    class Meta:
        # The entry's history reads in the order of its dates: `on` is when the change took effect,
        # `at` when it was recorded (a registration entered today may date from years ago, and a
        # transferred history is recorded long after it happened).
        ordering = ["entry", "on", "at", "id"]
        indexes = [models.Index(fields=["entry", "on", "at"], name="register_event_entry_on_idx")]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class Annotation(models.Model):
    """An area of extended practice recorded on an entry, with its dates."""

    class Kind(models.TextChoices):
        AMHP = "amhp", "Approved mental health professional"
        BIA = "bia", "Best interests assessor"
        PRACTICE_EDUCATOR = "practice_educator", "Practice educator"

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="annotations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["entry", "starts_on"], name="annotation_entry_idx")]

    def __str__(self) -> str:
        return self.get_kind_display()


class NameToken(models.Model):
    """Every distinct normalised given and family name on the register: the vocabulary the
    name search corrects misspellings against (a small table, so trigram look-ups are instant)."""

    token = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.token


class RegistrationNumberCounter(models.Model):
    """Issues registration numbers where there is no database sequence (SQLite); one row."""

    last_number = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return f"SW{self.last_number}"


# --- Registration work: applications, renewal with CPD, appeals, misuse of title, calls, emails ---


class ApplicationKind(models.TextChoices):
    NEW = "new", "New registration"
    RESTORATION = "restoration", "Restoration"


class ApplicationRoute(models.TextChoices):
    """interchange.md's routes of an application (a new one has no 'not recorded')."""

    UK = "uk", "UK graduate"
    OVERSEAS = "overseas", "International"
    EEA = "eea", "EEA"
    SWISS = "swiss", "Swiss mutual recognition"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    RECEIVED = "received", "Received"
    AWAITING_APPLICANT = "awaiting_applicant", "Awaiting the applicant"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_APPLICATION_STATUSES = (ApplicationStatus.RECEIVED, ApplicationStatus.AWAITING_APPLICANT)
CLOSED_APPLICATION_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN)


class Payment(models.Model):
    """A fee taken through a payment provider. Only the provider's reference is kept, never card data."""

    class Purpose(models.TextChoices):
        APPLICATION = "application", "Application fee"
        RENEWAL = "renewal", "Renewal fee"

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", "Paid"
        FAILED = "failed", "Failed"

    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    amount_pence = models.PositiveIntegerField()
    provider = models.CharField(max_length=50)
    provider_reference = models.CharField(max_length=100, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    failure_reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.provider_reference} {self.status}"


class Application(models.Model):
    """An application to join the register (by route) or to be restored to it."""

    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=12, choices=ApplicationKind.choices)
    route = models.CharField(max_length=10, choices=ApplicationRoute.choices)
    registrant = models.ForeignKey(Registrant, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT)
    origin = models.CharField(max_length=4, choices=Origin.choices, default=Origin.SWE)
    # What the applicant tells us (route-specific questions; the form says which apply).
    town = models.CharField("town where you work or will work", max_length=100, blank=True)
    qualification = models.CharField(max_length=200, blank=True)
    awarding_institution = models.CharField(max_length=200, blank=True)
    # Free text: the international, EEA and Swiss routes' courses, and UK applications transferred
    # from history with no approved course known. New UK applications choose `approved_course`.
    course = models.CharField(max_length=200, blank=True)
    approved_course = models.ForeignKey(
        "education_qa.Course",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        help_text="UK graduates: the course, approved on the date they qualified, that they completed.",
    )
    qualified_on = models.DateField(null=True, blank=True)
    english_language_evidence = models.TextField(blank=True)
    registered_elsewhere = models.CharField("regulator in the country of qualification", max_length=200, blank=True)
    character_declaration = models.BooleanField(default=False)
    health_declaration = models.BooleanField(default=False)
    declared_matters = models.TextField("anything to declare about character or health", blank=True)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Worked by officers.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    investigation_required = models.BooleanField(default=False)
    investigation_reason = models.TextField(blank=True)
    decision_reasons = models.TextField(blank=True)
    registration_number = models.CharField(max_length=12, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["status", "received_at"], name="application_status_recv_idx"),
            models.Index(fields=["assigned_to", "status"], name="application_assigned_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_APPLICATION_STATUSES


class ApplicationEvent(AttributedEvent):
    """A dated, attributed step of an application. The first six names are interchange.md's and
    the service-standard clock (registration.clocks) and REG1 read them."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        INFO_REQUESTED = "info_requested", "More information requested"
        INFO_RECEIVED = "info_received", "More information received"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"
        ASSIGNED = "assigned", "Assigned"
        FLAGGED_FOR_INVESTIGATION = "flagged_for_investigation", "Flagged for investigation"
        DOCUMENT_UPLOADED = "document_uploaded", "Document uploaded"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    event = models.CharField(max_length=30, choices=Kind.choices)

    class Meta:
        ordering = ["application", "at", "id"]
        indexes = [models.Index(fields=["application", "at"], name="application_event_idx")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.event} {self.at:%Y-%m-%d}"


def application_document_path(instance, filename: str) -> str:
    # Never the applicant's own file name on disk: it is kept in original_name for display only.
    return f"applications/{instance.application_id}/{instance.stored_name}"


class ApplicationDocument(models.Model):
    """Evidence uploaded with an application, stored under MEDIA_ROOT (outside the web root)."""

    class Kind(models.TextChoices):
        QUALIFICATION = "qualification", "Qualification certificate or transcript"
        IDENTITY = "identity", "Proof of identity"
        ENGLISH_LANGUAGE = "english_language", "English language evidence"
        OTHER = "other", "Other"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=application_document_path, max_length=300)
    stored_name = models.CharField(max_length=80)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.original_name


class Letter(models.Model):
    """A decision letter to a registrant: kept in their account and emailed (through Celery)."""

    registrant = models.ForeignKey(Registrant, on_delete=models.PROTECT, related_name="letters")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class CPDRecord(models.Model):
    """A piece of continuing professional development recorded by a registrant."""

    class Kind(models.TextChoices):
        COURSE = "course", "Course or training"
        READING = "reading", "Reading or research"
        SUPERVISION = "supervision", "Supervision or mentoring"
        PRACTICE = "practice", "Learning from practice"
        CONFERENCE = "conference", "Conference or event"
        OTHER = "other", "Other"

    registrant = models.ForeignKey(Registrant, on_delete=models.PROTECT, related_name="cpd_records")
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    done_on = models.DateField("date")
    # Null on records transferred without their text (interchange.md): shown as "not recorded".
    description = models.TextField(null=True)
    learning = models.TextField("what you learnt", null=True)
    impact = models.TextField("impact on your practice", null=True)
    peer_reflection = models.BooleanField(default=False)
    peer_name = models.CharField("who you reflected with", max_length=200, blank=True)
    peer_reflection_on = models.DateField("when you reflected", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-done_on", "-id"]
        indexes = [models.Index(fields=["registrant", "done_on"], name="cpd_registrant_date_idx")]

    def __str__(self) -> str:
        return f"{self.done_on} {self.get_kind_display()}"


class Renewal(models.Model):
    """One annual renewal: one per entry per registration year (the database refuses a second)."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="renewals")
    registration_year_ends = models.DateField(help_text="The last day of the year renewed from.")
    renewed_until = models.DateField()
    renewed_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="+")
    cpd_records_counted = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "registration_year_ends"], name="one_renewal_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} renewed until {self.renewed_until}"


class RenewalWindowClosure(models.Model):
    """One run of the end-of-window removal, queued by an officer, with the numbers it reports."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        COMPLETED = "completed", "Completed"
        SKIPPED = "skipped", "Skipped: another run held the lock"

    registration_year_ends = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    removed = models.PositiveIntegerField(default=0)
    added_to_temporary = models.PositiveIntegerField(default=0)
    renewed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.registration_year_ends} {self.status}"


class RenewalReminderRun(models.Model):
    """One day's renewal reminders: the unique date makes a second run that day send nothing."""

    sent_on = models.DateField(unique=True)
    sent = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.sent_on}: {self.sent}"


class Appeal(models.Model):
    """An appeal against a registration decision: a refused application or a removal."""

    class Status(models.TextChoices):
        LODGED = "lodged", "Lodged"
        HEARING_LISTED = "hearing_listed", "Hearing listed"
        UPHELD = "upheld", "Upheld"
        REJECTED = "rejected", "Rejected"

    reference = models.CharField(max_length=20, unique=True)
    registrant = models.ForeignKey(Registrant, on_delete=models.PROTECT, related_name="appeals")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    removal_event = models.ForeignKey(
        RegisterEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    grounds = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.LODGED)
    lodged_at = models.DateTimeField()
    hearing_on = models.DateField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    outcome_reasons = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-lodged_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False) | models.Q(removal_event__isnull=False),
                name="appeal_against_a_decision",
            )
        ]

    def __str__(self) -> str:
        return self.reference


class AppealEvent(AttributedEvent):
    class Kind(models.TextChoices):
        LODGED = "lodged", "Lodged"
        HEARING_LISTED = "hearing_listed", "Hearing listed"
        UPHELD = "upheld", "Upheld"
        REJECTED = "rejected", "Rejected"

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="events")
    event = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["appeal", "at", "id"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.event}"


class MisuseOfTitleCase(models.Model):
    """Someone using the protected title 'social worker' who is not registered."""

    class Status(models.TextChoices):
        OPENED = "opened", "Opened"
        IN_PROGRESS = "in_progress", "Being worked"
        COMPLETED = "completed", "Completed"

    reference = models.CharField(max_length=20, unique=True)
    subject_name = models.CharField("name of the person using the title", max_length=200)
    details = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPENED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.reference


class MisuseOfTitleEvent(AttributedEvent):
    class Kind(models.TextChoices):
        OPENED = "opened", "Opened"
        WORK_STARTED = "work_started", "Work started"
        COMPLETED = "completed", "Completed"

    case = models.ForeignKey(MisuseOfTitleCase, on_delete=models.PROTECT, related_name="events")
    event = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.event}"


class Call(models.Model):
    """A call to the contact centre, from the telephony system's calls.csv (interchange.md); REG2."""

    class Outcome(models.TextChoices):
        ANSWERED = "answered", "Answered"
        ABANDONED_IN_QUEUE = "abandoned_in_queue", "Abandoned in the queue"
        HUNG_UP_BEFORE_QUEUE = "hung_up_before_queue", "Hung up before queueing"

    received_at = models.DateTimeField()
    queue_seconds = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=25, choices=Outcome.choices)
    # The call's content (instant, queue time, outcome), not unique: a busy line takes several
    # identical calls in one second, and a re-import recognises rows by content and occurrence count.
    key = models.CharField(max_length=80, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.outcome}"

    @staticmethod
    def key_for(received_at, queue_seconds, outcome) -> str:
        from datetime import UTC

        instant = received_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return f"{instant}|{'' if queue_seconds is None else queue_seconds}|{outcome}"


class EmailEnquiry(models.Model):
    """An email to the registration team, received and answered; REG3."""

    received_at = models.DateTimeField()
    from_address = models.EmailField(blank=True)
    subject = models.CharField(max_length=200, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    # The content (received, responded) of rows imported from emails.csv, not unique: identical
    # rows are distinct emails, recognised at re-import by content and occurrence count.
    import_key = models.CharField(max_length=80, null=True, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "email enquiries"

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d} {self.subject}"
