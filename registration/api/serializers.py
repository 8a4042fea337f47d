"""Public register serializers: only what regulation 9 puts on the public register.

Never add a private field here (date of birth, address, email, nationality, gender): a test
walks every public serializer and fails if one appears.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Annotation, RegisterEntry
from ..selectors import EMPLOYER_CHECK_LIMIT, MAX_QUERY_LENGTH


class PublicAnnotationSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_kind_display")  # type: ignore[assignment]  # the API field "label"

    class Meta:
        model = Annotation
        fields = ["kind", "label", "starts_on", "ends_on"]


class PublicOrderSerializer(serializers.Serializer):
    """A fitness to practise order in force: its type and dates, nothing else of the case."""

    type = serializers.CharField(source="kind")
    label = serializers.CharField(source="get_kind_display")  # type: ignore[assignment]
    start = serializers.DateField(source="starts_on")
    end = serializers.DateField(source="ends_on", allow_null=True)


class PublicRegisterEntrySerializer(serializers.ModelSerializer):
    given_name = serializers.CharField(source="registrant.given_name")
    family_name = serializers.CharField(source="registrant.family_name")
    register_label = serializers.CharField(source="get_register_display")
    status_label = serializers.CharField(source="get_status_display")
    status_in_words = serializers.CharField(
        source="public_status.label",
        help_text='The status as the public must read it: "Registered: suspended", '
        '"Registered: conditions of practice", "Removed: failure to renew" (the order in force that '
        "restricts the person, or the reason for removal).",
    )
    removal_reason_label = serializers.CharField(source="get_removal_reason_display")
    annotations = PublicAnnotationSerializer(source="annotations_in_force", many=True)
    orders = PublicOrderSerializer(source="orders_in_force", many=True)

    class Meta:
        model = RegisterEntry
        fields = [
            "registration_number",
            "given_name",
            "family_name",
            "town",
            "register",
            "register_label",
            "status",
            "status_label",
            "status_in_words",
            "removal_reason",
            "removal_reason_label",
            "status_changed_on",
            "registered_on",
            "temporary_until",
            "qualification",
            "annotations",
            "orders",
        ]

    def to_representation(self, entry):
        """The declared fields, built directly: the public search serialises thousands of entries a
        second and DRF's generic field machinery was most of its cost. A test checks that this
        output has exactly the declared fields."""
        return {
            "registration_number": entry.registration_number,
            "given_name": entry.registrant.given_name,
            "family_name": entry.registrant.family_name,
            "town": entry.town,
            "register": entry.register,
            "register_label": entry.get_register_display(),
            "status": entry.status,
            "status_label": entry.get_status_display(),
            "status_in_words": entry.public_status.label,
            "removal_reason": entry.removal_reason,
            "removal_reason_label": entry.get_removal_reason_display(),
            "status_changed_on": _iso(entry.status_changed_on),
            "registered_on": _iso(entry.registered_on),
            "temporary_until": _iso(entry.temporary_until),
            "qualification": entry.qualification,
            "annotations": [
                {
                    "kind": a.kind,
                    "label": a.get_kind_display(),
                    "starts_on": _iso(a.starts_on),
                    "ends_on": _iso(a.ends_on),
                }
                for a in entry.annotations_in_force
            ],
            "orders": [
                {"type": o.kind, "label": o.get_kind_display(), "start": _iso(o.starts_on), "end": _iso(o.ends_on)}
                for o in entry.orders_in_force
            ],
        }


def _iso(value):
    return value.isoformat() if value is not None else None


class RegisterSearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY_LENGTH,
        help_text="A name (any order, misspellings tolerated) or a registration number.",
    )
    town = serializers.CharField(required=False, allow_blank=True, max_length=MAX_QUERY_LENGTH)


class RegisterCheckSerializer(serializers.Serializer):
    numbers = serializers.ListField(
        child=serializers.CharField(max_length=20),
        min_length=1,
        max_length=EMPLOYER_CHECK_LIMIT,
        help_text=f"Up to {EMPLOYER_CHECK_LIMIT} registration numbers.",
    )


class RegisterCheckResultSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="The number as given.")
    found = serializers.BooleanField()
    entry = PublicRegisterEntrySerializer(allow_null=True)


# --- Registration work (officers and registrants). Private details: never used by the public views. ---

from ..models import (  # noqa: E402
    Appeal,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationKind,
    ApplicationRoute,
    Call,
    CPDRecord,
    EmailEnquiry,
    Letter,
    MisuseOfTitleCase,
    RenewalWindowClosure,
)
from ..services.applications import DRAFT_FIELDS  # noqa: E402


class ApplicationClockSerializer(serializers.Serializer):
    received_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    age_working_days = serializers.IntegerField(allow_null=True)
    paused_working_days = serializers.IntegerField()
    paused = serializers.BooleanField()
    overdue = serializers.BooleanField()
    stopped_on = serializers.DateField(allow_null=True)


class ApplicationQueueItemSerializer(serializers.ModelSerializer):
    applicant_name = serializers.CharField(source="registrant.full_name")
    assigned_to_name = serializers.SerializerMethodField()
    clock = ApplicationClockSerializer()

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "kind",
            "route",
            "status",
            "applicant_name",
            "assigned_to",
            "assigned_to_name",
            "investigation_required",
            "received_at",
            "decided_at",
            "clock",
            "version",
        ]

    def get_assigned_to_name(self, obj) -> str:
        user = obj.assigned_to
        return (user.get_full_name() or user.get_username()) if user else ""


class ApplicationEventSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_event_display")  # type: ignore[assignment]
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationEvent
        fields = ["event", "label", "at", "actor_name", "reason"]

    def get_actor_name(self, obj) -> str:
        return (obj.actor.get_full_name() or obj.actor.get_username()) if obj.actor else ""


class ApplicationDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationDocument
        fields = ["id", "kind", "original_name", "content_type", "size", "uploaded_at"]


class ApprovedCourseCheckSerializer(serializers.Serializer):
    """The UK graduate's chosen course, its provider, and whether it was approved when they qualified."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    provider = serializers.CharField()
    approved_on_qualification = serializers.BooleanField(allow_null=True)


class ApplicationDetailSerializer(ApplicationQueueItemSerializer):
    events = ApplicationEventSerializer(many=True, read_only=True)
    documents = ApplicationDocumentSerializer(many=True, read_only=True)
    approved_course_check = serializers.SerializerMethodField()

    @extend_schema_field(ApprovedCourseCheckSerializer(allow_null=True))
    def get_approved_course_check(self, obj) -> dict | None:
        from ..selectors import application_course_check

        return application_course_check(obj)

    class Meta(ApplicationQueueItemSerializer.Meta):
        fields = [
            *ApplicationQueueItemSerializer.Meta.fields,
            *DRAFT_FIELDS,
            "investigation_reason",
            "decision_reasons",
            "registration_number",
            "approved_course_check",
            "events",
            "documents",
        ]


class ApplicationAnswersSerializer(serializers.ModelSerializer):
    """The applicant's answers on a draft; `version` is the one they read (optimistic concurrency)."""

    version = serializers.IntegerField(required=False)

    class Meta:
        model = Application
        fields = [*DRAFT_FIELDS, "version"]
        extra_kwargs: dict[str, dict] = {name: {"required": False} for name in DRAFT_FIELDS}
        extra_kwargs["approved_course"]["help_text"] = (
            "UK graduates: the id of a course from /api/v1/education/approved-courses/?date=<qualified_on>. "
            "One not approved on the qualification date is refused with 400 on this field."
        )


class MyApplicationSerializer(serializers.ModelSerializer):
    events = ApplicationEventSerializer(many=True, read_only=True)
    documents = ApplicationDocumentSerializer(many=True, read_only=True)
    paid = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "kind",
            "route",
            "status",
            *DRAFT_FIELDS,
            "paid",
            "received_at",
            "decided_at",
            "decision_reasons",
            "registration_number",
            "events",
            "documents",
            "version",
        ]

    def get_paid(self, obj) -> bool:
        return bool(obj.payment_id and obj.payment.status == "succeeded")


class ApplicationStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicationKind.choices)
    route = serializers.ChoiceField(choices=ApplicationRoute.choices)


class VersionSerializer(serializers.Serializer):
    # Omitted means "not checked": it still reaches the service, as None (the services take it keyword-only).
    version = serializers.IntegerField(
        required=False, default=None, help_text="The version you read; a stale one gets 409."
    )


class ReasonSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


class RequiredReasonSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=5000)


class RefuseSerializer(VersionSerializer):
    reasons = serializers.CharField(max_length=5000)


class AssignSerializer(VersionSerializer):
    officer = serializers.IntegerField(allow_null=True, help_text="The officer's user id; null to unassign.")


class BulkAssignSerializer(serializers.Serializer):
    applications = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=500)
    officer = serializers.IntegerField()


class BulkAssignResultSerializer(serializers.Serializer):
    assigned = serializers.IntegerField()


class PaymentTokenSerializer(serializers.Serializer):
    payment_token = serializers.CharField(
        max_length=200, help_text="The payment provider's token; with the development provider 'success' or 'fail'."
    )


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicationDocument.Kind.choices)
    file = serializers.FileField()


class CPDRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = CPDRecord
        fields = [
            "id",
            "kind",
            "done_on",
            "description",
            "learning",
            "impact",
            "peer_reflection",
            "peer_name",
            "peer_reflection_on",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        # Omitted means "no peer reflection", as on the model: it must still reach the service, which requires it.
        # The text is null only on records transferred without it (decision 0703): a new record needs it.
        extra_kwargs = {
            "peer_reflection": {"default": False},
            **{name: {"required": True, "allow_null": False} for name in ("description", "learning", "impact")},
        }


class RenewalRequestSerializer(PaymentTokenSerializer):
    declarations_confirmed = serializers.BooleanField()


class RenewalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    registration_number = serializers.CharField(source="entry.registration_number")
    registration_year_ends = serializers.DateField()
    renewed_until = serializers.DateField()
    renewed_at = serializers.DateTimeField()
    cpd_records_counted = serializers.IntegerField()


class LetterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Letter
        fields = ["id", "subject", "body", "created_at", "sent_at", "application"]


class CPDPositionSerializer(serializers.Serializer):
    records = serializers.IntegerField()
    with_peer_reflection = serializers.IntegerField()
    records_needed = serializers.IntegerField()
    peer_reflection_needed = serializers.IntegerField()
    meets_rule = serializers.BooleanField()


class MyEntrySerializer(serializers.Serializer):
    registration_number = serializers.CharField()
    register = serializers.CharField()
    status = serializers.CharField()
    removal_reason = serializers.CharField()
    registered_on = serializers.DateField()
    registered_until = serializers.DateField(allow_null=True)
    temporary_until = serializers.DateField(allow_null=True)
    town = serializers.CharField()


class RenewalWindowSerializer(serializers.Serializer):
    opens = serializers.DateField()
    closes = serializers.DateField()
    is_open = serializers.BooleanField()
    renewed = serializers.BooleanField()
    can_renew = serializers.BooleanField(
        help_text="Whether the person can renew today: registered, in the window, not yet renewed, CPD rule met."
    )
    says = serializers.CharField(help_text="What the person can do about renewal today, in one sentence.")


class MyRecordSerializer(serializers.Serializer):
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    email = serializers.EmailField()
    entry = MyEntrySerializer(allow_null=True)
    renewal_window = RenewalWindowSerializer()
    cpd = CPDPositionSerializer()
    applications = MyApplicationSerializer(many=True)
    letters = LetterSerializer(many=True)


class AppealSerializer(serializers.ModelSerializer):
    against = serializers.SerializerMethodField()
    weeks_to_conclude = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "id",
            "reference",
            "registrant",
            "application",
            "removal_event",
            "against",
            "grounds",
            "status",
            "lodged_at",
            "hearing_on",
            "concluded_at",
            "outcome_reasons",
            "weeks_to_conclude",
            "version",
        ]

    def get_against(self, obj) -> str:
        return "refusal" if obj.application_id else "removal"

    def get_weeks_to_conclude(self, obj) -> float | None:
        from ..clocks import weeks_between

        return weeks_between(obj.lodged_at, obj.concluded_at) if obj.concluded_at else None


class AppealLodgeSerializer(serializers.Serializer):
    application = serializers.IntegerField(required=False, help_text="Your refused application's id.")
    removal_event = serializers.IntegerField(required=False, help_text="The id of your removal's register event.")
    grounds = serializers.CharField(max_length=10000)


class AppealHearingSerializer(VersionSerializer):
    hearing_on = serializers.DateField()


class AppealDecisionSerializer(VersionSerializer):
    outcome = serializers.ChoiceField(choices=[("upheld", "Upheld"), ("rejected", "Rejected")])
    reasons = serializers.CharField(max_length=10000)


class MisuseOfTitleCaseSerializer(serializers.ModelSerializer):
    working_days_to_complete = serializers.SerializerMethodField()

    class Meta:
        model = MisuseOfTitleCase
        fields = [
            "id",
            "reference",
            "subject_name",
            "details",
            "status",
            "assigned_to",
            "opened_at",
            "completed_at",
            "outcome",
            "working_days_to_complete",
            "version",
        ]
        read_only_fields = [f for f in fields if f not in ("subject_name", "details")]

    def get_working_days_to_complete(self, obj) -> int | None:
        from ..clocks import working_days_between

        return working_days_between(obj.opened_at, obj.completed_at) if obj.completed_at else None


class OutcomeSerializer(VersionSerializer):
    outcome = serializers.CharField(max_length=5000)


class CallSerializer(serializers.ModelSerializer):
    class Meta:
        model = Call
        fields = ["id", "received_at", "queue_seconds", "outcome"]


class CallImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="calls.csv as interchange.md describes it.")


class EmailImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="emails.csv as interchange.md describes it.")


class ImportResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]


class EmailEnquirySerializer(serializers.ModelSerializer):
    working_days_to_answer = serializers.SerializerMethodField()

    class Meta:
        model = EmailEnquiry
        fields = ["id", "received_at", "from_address", "subject", "responded_at", "working_days_to_answer", "version"]
        read_only_fields = ["id", "responded_at", "working_days_to_answer", "version"]

    def get_working_days_to_answer(self, obj) -> int | None:
        from ..clocks import working_days_between

        return working_days_between(obj.received_at, obj.responded_at) if obj.responded_at else None


class RenewalWindowConfirmSerializer(serializers.Serializer):
    confirmation = serializers.CharField(
        max_length=50, help_text='"remove N", N being how many will be removed now (GET preview/ says it)'
    )


class RenewalWindowPreviewSerializer(serializers.Serializer):
    window_opens = serializers.DateField()
    window_closes = serializers.DateField()
    to_remove = serializers.IntegerField()
    confirmation = serializers.CharField()


class RenewalWindowClosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = RenewalWindowClosure
        fields = [
            "id",
            "registration_year_ends",
            "requested_by",
            "requested_at",
            "completed_at",
            "status",
            "removed",
            "added_to_temporary",
            "renewed",
        ]


class TemporaryRegisterAddSerializer(serializers.Serializer):
    registration_numbers = serializers.ListField(child=serializers.CharField(max_length=20), min_length=1)
    until = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


class TemporaryRegisterRemoveSerializer(serializers.Serializer):
    registration_numbers = serializers.ListField(child=serializers.CharField(max_length=20), min_length=1)
    reason = serializers.CharField(max_length=2000)


class CountsSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
