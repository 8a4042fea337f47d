"""Complaints and information governance API serializers."""

from django.utils import timezone
from rest_framework import serializers

from education_qa.api.serializers import MonthRangeQuery  # noqa: F401  (one month-range query for every figures endpoint)
from registration.models import Registrant
from regulator.models import User

from ..models import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    InformationRequest,
    InformationRequestEvent,
    SubjectAccessExport,
)
from ..selectors import with_clock, with_deadline


class ComplaintSerializer(serializers.ModelSerializer):
    stage_started_on = serializers.DateField(read_only=True)
    due_on = serializers.SerializerMethodField()
    in_breach = serializers.SerializerMethodField()
    assigned_to_name = serializers.CharField(
        source="assigned_to.get_username", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = Complaint
        fields = [
            "id",
            "reference",
            "received_on",
            "complainant_name",
            "complainant_email",
            "registrant",
            "category",
            "summary",
            "status",
            "stage",
            "assigned_to",
            "assigned_to_name",
            "stage_started_on",
            "due_on",
            "in_breach",
            "version",
        ]

    def _clock(self, obj):
        if not hasattr(obj, "due_on"):
            with_clock(obj, timezone.localdate())
        return obj

    def get_due_on(self, obj) -> str:
        return self._clock(obj).due_on.isoformat()

    def get_in_breach(self, obj) -> bool:
        return self._clock(obj).in_breach


class InformationRequestSerializer(serializers.ModelSerializer):
    extended = serializers.BooleanField(read_only=True)
    due_on = serializers.SerializerMethodField()
    late = serializers.SerializerMethodField()

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "kind",
            "reference",
            "received_on",
            "requester_name",
            "requester_email",
            "registrant",
            "description",
            "status",
            "outcome",
            "closed_on",
            "extended",
            "due_on",
            "late",
            "version",
        ]

    def _deadline(self, obj):
        if not hasattr(obj, "due_on"):
            with_deadline(obj, timezone.localdate())
        return obj

    def get_due_on(self, obj) -> str:
        return self._deadline(obj).due_on.isoformat()

    def get_late(self, obj) -> bool:
        return self._deadline(obj).late


class SubjectAccessExportSerializer(serializers.ModelSerializer):
    request_reference = serializers.CharField(source="request.reference", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = SubjectAccessExport
        fields = [
            "id",
            "request",
            "request_reference",
            "registrant",
            "status",
            "requested_at",
            "completed_at",
            "size_bytes",
            "error",
            "download_url",
        ]

    def get_download_url(self, obj) -> str | None:
        if obj.status != SubjectAccessExport.Status.READY:
            return None
        from django.urls import reverse

        return reverse("subject-access-export-download", args=[obj.pk])


class ComplaintEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None, allow_null=True)

    class Meta:
        model = ComplaintEvent
        fields = ["kind", "stage", "on", "at", "actor", "reason", "detail"]


class InformationRequestEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None, allow_null=True)

    class Meta:
        model = InformationRequestEvent
        fields = ["kind", "on", "at", "actor", "reason", "detail"]


# --- inputs ------------------------------------------------------------------------------------


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="The version you read; a stale one gets 409.")


class ComplaintInput(serializers.Serializer):
    complainant_name = serializers.CharField(max_length=200)
    complainant_email = serializers.EmailField(required=False, allow_blank=True, default="")
    registrant = serializers.PrimaryKeyRelatedField(queryset=Registrant.objects.all(), required=False, allow_null=True)
    category = serializers.ChoiceField(choices=ComplaintCategory.choices)
    summary = serializers.CharField()
    received_on = serializers.DateField(required=False)


class AssignInput(VersionInput):
    officer = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())


class RespondInput(VersionInput):
    response = serializers.CharField()
    on = serializers.DateField(required=False)


class CloseInput(VersionInput):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False)


class EscalateInput(VersionInput):
    reason = serializers.CharField()
    on = serializers.DateField(required=False)


class InformationRequestInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InformationRequest.Kind.choices)
    requester_name = serializers.CharField(max_length=200)
    requester_email = serializers.EmailField(required=False, allow_blank=True, default="")
    registrant = serializers.PrimaryKeyRelatedField(queryset=Registrant.objects.all(), required=False, allow_null=True)
    description = serializers.CharField()
    received_on = serializers.DateField(required=False)


class ExtendInput(VersionInput):
    reason = serializers.CharField()
    on = serializers.DateField(required=False)


class RequestCloseInput(CloseInput):
    outcome = serializers.ChoiceField(choices=InformationRequest.Outcome.choices)


class ComplaintFiguresSerializer(serializers.Serializer):
    month = serializers.DateField()
    complaints_received = serializers.IntegerField()
    complaints_closed = serializers.IntegerField()
    closed_within_20_working_days = serializers.IntegerField()
    percent_closed_within_20_working_days = serializers.FloatField(allow_null=True)


class InformationRequestFiguresSerializer(serializers.Serializer):
    month = serializers.DateField()
    foi_received = serializers.IntegerField()
    foi_closed = serializers.IntegerField()
    foi_closed_on_time = serializers.IntegerField()
    foi_percent_on_time = serializers.FloatField(allow_null=True)
    sar_received = serializers.IntegerField()
    sar_closed = serializers.IntegerField()
    sar_closed_on_time = serializers.IntegerField()
    sar_percent_on_time = serializers.FloatField(allow_null=True)
