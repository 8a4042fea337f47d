"""The register: the people on it (Registrant), their public entries, history and annotations."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


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
        ordering = ["entry", "at", "id"]
        indexes = [models.Index(fields=["entry", "at"], name="register_event_entry_idx")]

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
