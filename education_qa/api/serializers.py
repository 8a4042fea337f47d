"""Education QA API serializers: records out, and the input of each change (with `version`)."""

from rest_framework import serializers

from regulator.models import User

from ..models import (
    ApprovalRequest,
    Condition,
    Course,
    CourseChange,
    CourseConcern,
    CourseProvider,
    EducationEvent,
    Enquiry,
    Inspection,
    InspectionTeamMember,
    MonitoringCycle,
    MonitoringReturn,
    QualificationLevel,
    StudyMode,
)
from ..services import reapproval_due_on


class CourseProviderSerializer(serializers.ModelSerializer):
    courses_count = serializers.IntegerField(read_only=True)
    approved_courses_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CourseProvider
        fields = ["id", "name", "town", "contact_email", "courses_count", "approved_courses_count", "version"]
        read_only_fields = ["version"]


class CourseSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    reapproval_due_on = serializers.SerializerMethodField()
    open_conditions = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Course
        fields = [
            "id",
            "provider",
            "provider_name",
            "name",
            "qualification_level",
            "mode",
            "places",
            "status",
            "status_label",
            "first_approved_on",
            "approved_on",
            "reapproval_due_on",
            "open_conditions",
            "origin",
            "version",
        ]
        read_only_fields = ["status", "first_approved_on", "approved_on", "origin", "version"]

    def get_reapproval_due_on(self, course) -> str | None:
        due = reapproval_due_on(course)
        return due.isoformat() if due else None


class ApprovedCourseSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name")

    class Meta:
        model = Course
        fields = ["id", "name", "provider", "provider_name", "qualification_level", "mode"]


class TeamMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionTeamMember
        fields = ["name", "role"]


class InspectionSerializer(serializers.ModelSerializer):
    team = TeamMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["mode", "starts_on", "ends_on", "conducted_on", "team"]


class ApprovalRequestSerializer(serializers.ModelSerializer):
    course_name = serializers.CharField(source="course.name", read_only=True)
    provider_name = serializers.CharField(source="course.provider.name", read_only=True)
    inspection = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "course",
            "course_name",
            "provider_name",
            "kind",
            "status",
            "received_on",
            "outcome",
            "decided_on",
            "inspection",
            "version",
        ]

    def get_inspection(self, obj) -> dict | None:
        inspection = getattr(obj, "inspection", None)
        return InspectionSerializer(inspection).data if inspection else None


class ConditionSerializer(serializers.ModelSerializer):
    course_name = serializers.CharField(source="course.name", read_only=True)

    class Meta:
        model = Condition
        fields = [
            "id",
            "approval_request",
            "course",
            "course_name",
            "text",
            "due_on",
            "status",
            "decided_on",
            "version",
        ]


class CourseChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CourseChange
        fields = [
            "id",
            "course",
            "description",
            "new_places",
            "new_mode",
            "received_on",
            "status",
            "decided_on",
            "version",
        ]


class MonitoringCycleSerializer(serializers.ModelSerializer):
    returns_count = serializers.IntegerField(read_only=True)
    returns_awaited = serializers.IntegerField(read_only=True)

    class Meta:
        model = MonitoringCycle
        fields = ["id", "year", "opened_on", "due_on", "returns_count", "returns_awaited"]


class MonitoringReturnSerializer(serializers.ModelSerializer):
    course_name = serializers.CharField(source="course.name", read_only=True)
    provider_name = serializers.CharField(source="course.provider.name", read_only=True)
    year = serializers.IntegerField(source="cycle.year", read_only=True)
    due_on = serializers.DateField(source="cycle.due_on", read_only=True)

    class Meta:
        model = MonitoringReturn
        fields = [
            "id",
            "cycle",
            "year",
            "due_on",
            "course",
            "course_name",
            "provider_name",
            "status",
            "students_enrolled",
            "meets_standards",
            "commentary",
            "submitted_on",
            "review_outcome",
            "reviewed_on",
            "version",
        ]


class EnquirySerializer(serializers.ModelSerializer):
    class Meta:
        model = Enquiry
        fields = [
            "id",
            "received_on",
            "enquirer",
            "enquirer_email",
            "subject",
            "provider",
            "course",
            "status",
            "closed_on",
            "version",
        ]


class CourseConcernSerializer(serializers.ModelSerializer):
    class Meta:
        model = CourseConcern
        fields = ["id", "course", "received_on", "raised_by", "summary", "status", "outcome", "closed_on", "version"]


class EducationEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None, allow_null=True)

    class Meta:
        model = EducationEvent
        fields = ["kind", "on", "at", "actor", "reason", "detail", "status_after"]


# --- inputs ------------------------------------------------------------------------------------


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="The version you read; a stale one gets 409.")


class ReasonInput(VersionInput):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False)


class ProviderCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    town = serializers.CharField(max_length=100)
    contact_email = serializers.EmailField()


class ProviderUserInput(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), help_text="The sign-in to link.")


class CourseProposeInput(serializers.Serializer):
    provider = serializers.PrimaryKeyRelatedField(queryset=CourseProvider.objects.all())
    name = serializers.CharField(max_length=200)
    qualification_level = serializers.ChoiceField(choices=QualificationLevel.choices)
    mode = serializers.ChoiceField(choices=StudyMode.choices)
    places = serializers.IntegerField(min_value=1)
    on = serializers.DateField(required=False)


class ApprovalRequestInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApprovalRequest.Kind.choices)
    received_on = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CourseChangeInput(serializers.Serializer):
    description = serializers.CharField()
    new_places = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    new_mode = serializers.ChoiceField(choices=StudyMode.choices, required=False, allow_blank=True, default="")
    received_on = serializers.DateField(required=False)


class InspectionScheduleInput(VersionInput):
    mode = serializers.ChoiceField(choices=Inspection.Mode.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    team = TeamMemberSerializer(many=True)


class InspectionConductedInput(VersionInput):
    conducted_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ConditionInput(serializers.Serializer):
    text = serializers.CharField()
    due_on = serializers.DateField()


class DecideInput(ReasonInput):
    outcome = serializers.ChoiceField(
        choices=ApprovalRequest.Outcome.choices, help_text="approved, approved_with_conditions or not_approved."
    )
    conditions = ConditionInput(many=True, required=False, default=list)


class ConditionDecideInput(ReasonInput):
    met = serializers.BooleanField()


class ChangeDecideInput(ReasonInput):
    approve = serializers.BooleanField()


class CycleOpenInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2019, max_value=2100)
    due_on = serializers.DateField()
    opened_on = serializers.DateField(required=False)


class ReturnSubmitInput(VersionInput):
    students_enrolled = serializers.IntegerField(min_value=0)
    meets_standards = serializers.BooleanField()
    commentary = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnReviewInput(ReasonInput):
    outcome = serializers.ChoiceField(choices=MonitoringReturn.ReviewOutcome.choices)


class EnquiryInput(serializers.Serializer):
    enquirer = serializers.CharField(max_length=200)
    enquirer_email = serializers.EmailField(required=False, allow_blank=True, default="")
    subject = serializers.CharField(max_length=200)
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all(), required=False, allow_null=True)
    received_on = serializers.DateField(required=False)


class ConcernInput(serializers.Serializer):
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
    raised_by = serializers.CharField(max_length=200)
    summary = serializers.CharField()
    received_on = serializers.DateField(required=False)


class ConcernCloseInput(ReasonInput):
    outcome = serializers.ChoiceField(choices=CourseConcern.Outcome.choices)


class ApprovedOnQuery(serializers.Serializer):
    date = serializers.DateField(help_text="The date of qualification (YYYY-MM-DD).")


class MonthRangeQuery(serializers.Serializer):
    start = serializers.DateField(help_text="First month (any day in it), YYYY-MM-DD.")
    end = serializers.DateField(help_text="Last month (any day in it), YYYY-MM-DD.")

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": ["The last month cannot be before the first."]})
        if (attrs["end"].year - attrs["start"].year) * 12 + attrs["end"].month - attrs["start"].month > 36:
            raise serializers.ValidationError({"end": ["Ask for at most 36 months at once."]})
        return attrs


class InspectionOutcomesSerializer(serializers.Serializer):
    approved = serializers.IntegerField()
    approved_with_conditions = serializers.IntegerField()
    not_approved = serializers.IntegerField()
    request_withdrawn = serializers.IntegerField()


class EducationFiguresSerializer(serializers.Serializer):
    month = serializers.DateField()
    enquiries_received = serializers.IntegerField()
    concerns_received = serializers.IntegerField()
    inspections_conducted = serializers.IntegerField()
    inspection_outcomes = InspectionOutcomesSerializer()
    approved_courses_at_month_end = serializers.IntegerField()
    approved_providers_at_month_end = serializers.IntegerField()
    monitoring_returns_received = serializers.IntegerField()
