"""FTP API serializers. Only the public concern form is open to everyone, and it returns only a reference."""

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registration.models import Origin

from ..actions import ACTIONS, Action, Input
from ..clocks import running_clocks
from ..models import (
    Attachment,
    CaseEvent,
    Concern,
    EvidenceRequest,
    FitnessToPractiseCase,
    Hearing,
    Letter,
    Order,
    ReceivedVia,
    ReferrerType,
)
from ..services import MAX_ATTACHMENTS


class ConcernRaiseSerializer(serializers.Serializer):
    """A concern raised by anyone (no account)."""

    referrer_type = serializers.ChoiceField(choices=ReferrerType.choices)
    referrer_name = serializers.CharField(max_length=200)
    referrer_email = serializers.EmailField(required=False, allow_blank=True)
    referrer_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    what_happened = serializers.CharField(max_length=10_000)
    social_worker_name = serializers.CharField(max_length=200)
    social_worker_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    social_worker_town = serializers.CharField(max_length=100, required=False, allow_blank=True)
    social_worker_employer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=MAX_ATTACHMENTS, allow_empty=True
    )


class StaffConcernSerializer(ConcernRaiseSerializer):
    """A concern received by phone or post, entered by a case handler."""

    received_via = serializers.ChoiceField(choices=ReceivedVia.choices, help_text="phone, post or email")
    received_at = serializers.DateTimeField(required=False)

    def validate_received_via(self, value):
        if value in (ReceivedVia.ONLINE, ReceivedVia.API):
            raise serializers.ValidationError("Staff enter concerns received by phone, post or email.")
        return value


class ConcernReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField()
    received_at = serializers.DateTimeField()


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "download_url"]

    def get_download_url(self, obj) -> str:
        return f"/ftp/documents/{obj.pk}/"


_CONCERN_STATUS_HELP = "awaiting_pre_triage, joined_case (social worker identified) or closed"


class ConcernSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=_CONCERN_STATUS_HELP)
    attachments = AttachmentSerializer(many=True, read_only=True)
    case_reference = serializers.CharField(source="case.reference", default=None, allow_null=True, read_only=True)

    class Meta:
        model = Concern
        fields = [
            "id",
            "reference",
            "received_at",
            "received_via",
            "referrer_type",
            "referrer_name",
            "referrer_email",
            "referrer_phone",
            "what_happened",
            "social_worker_name",
            "social_worker_number",
            "social_worker_town",
            "social_worker_employer",
            "status",
            "case_reference",
            "closed_reason",
            "closed_at",
            "version",
            "attachments",
        ]


class ConcernListSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=_CONCERN_STATUS_HELP)

    class Meta:
        model = Concern
        fields = [
            "id",
            "reference",
            "received_at",
            "received_via",
            "referrer_type",
            "social_worker_name",
            "social_worker_number",
            "social_worker_town",
            "status",
            "version",
        ]


class IdentifySocialWorkerSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    registration_number = serializers.CharField(max_length=20)
    join_case = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="Reference of an open case about the same person."
    )
    origin = serializers.ChoiceField(choices=Origin.choices, default=Origin.SWE)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CloseConcernSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    reason = serializers.CharField(max_length=2000)


class ClockSerializer(serializers.Serializer):
    name = serializers.CharField()
    started_on = serializers.DateField()
    due_on = serializers.DateField()
    elapsed = serializers.IntegerField()
    unit = serializers.CharField()
    overdue = serializers.BooleanField()


class CaseListSerializer(serializers.ModelSerializer):
    registration_number = serializers.CharField(source="entry.registration_number")
    social_worker = serializers.SerializerMethodField()
    state_label = serializers.CharField(source="get_state_display")
    stage = serializers.CharField()
    stage_label = serializers.CharField(source="get_stage_display")
    handler = serializers.CharField(source="handler.username", default=None, allow_null=True)
    clocks = serializers.SerializerMethodField()

    class Meta:
        model = FitnessToPractiseCase
        fields = [
            "id",
            "reference",
            "origin",
            "registration_number",
            "social_worker",
            "stage",
            "stage_label",
            "state",
            "state_label",
            "interim_order_state",
            "risk_level",
            "handler",
            "external_firm",
            "opened_at",
            "stage_started_at",
            "version",
            "clocks",
        ]

    def get_social_worker(self, obj) -> str:
        return obj.entry.registrant.full_name

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, obj):
        return ClockSerializer(running_clocks(obj, today=timezone.localdate()), many=True).data


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True)
    label = serializers.CharField(source="get_kind_display")  # type: ignore[assignment]

    class Meta:
        model = CaseEvent
        fields = ["kind", "label", "at", "actor", "reason", "detail"]


class OrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ["id", "kind", "made_by", "made_at", "starts_on", "ends_on", "review_due_on"]


class HearingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hearing
        fields = ["id", "kind", "starts_on", "ends_on", "panel", "outcome", "impaired", "sanction", "sanction_months"]


class EvidenceRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceRequest
        fields = ["id", "requested_from", "description", "requested_at", "response_due_on", "response_received_at",
                  "response_summary"]  # fmt: skip


class CaseDetailSerializer(CaseListSerializer):
    investigator = serializers.CharField(source="investigator.username", default=None, allow_null=True)
    events = CaseEventSerializer(source="timeline", many=True)
    concerns = ConcernSerializer(many=True)
    orders = OrderSerializer(many=True)
    hearings = HearingSerializer(many=True)
    evidence_requests = EvidenceRequestSerializer(many=True)
    actions = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "investigator",
            "closed_at",
            "events",
            "concerns",
            "orders",
            "hearings",
            "evidence_requests",
            "actions",
        ]

    def get_actions(self, obj) -> list[str]:
        from ..actions import actions_for

        return [a.slug for a in actions_for(self.context["request"].user, obj)]


class FitnessToPractiseLetterSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference")

    class Meta:
        model = Letter
        fields = ["id", "case_reference", "sent_at", "subject", "body"]


_FIELDS: dict[str, Callable[[Input], serializers.Field]] = {
    "text": lambda i: serializers.CharField(max_length=300, required=i.required, allow_blank=not i.required),
    "longtext": lambda i: serializers.CharField(max_length=5000, required=i.required, allow_blank=not i.required),
    "int": lambda i: serializers.IntegerField(required=i.required, allow_null=not i.required, min_value=0),
    "date": lambda i: serializers.DateField(required=i.required, allow_null=not i.required),
    "bool": lambda i: serializers.BooleanField(required=False, default=False),
    "choice": lambda i: serializers.ChoiceField(choices=list(i.choices), required=i.required),
    "hearing": lambda i: serializers.IntegerField(),
    "started_hearing": lambda i: serializers.IntegerField(),
    "order": lambda i: serializers.IntegerField(),
    "evidence_request": lambda i: serializers.IntegerField(),
    "person": lambda i: serializers.CharField(max_length=150, required=False, allow_blank=True),
}


def action_serializer(action: Action) -> type[serializers.Serializer]:
    """The request body of an action's POST endpoint, from the action's declared inputs."""
    attrs: dict[str, Any] = {}
    if action.versioned:
        attrs["version"] = serializers.IntegerField(help_text="The case version you read (409 if it has changed).")
    for item in action.inputs:
        field = _FIELDS[item.kind](item)
        field.help_text = item.hint or item.label
        attrs[item.name] = field
    name = "".join(part.title() for part in action.slug.split("-")) + "Request"
    return type(name, (serializers.Serializer,), attrs)


ACTION_SERIALIZERS = {action.slug: action_serializer(action) for action in ACTIONS}
