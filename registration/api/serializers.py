"""Public register serializers: only what regulation 9 puts on the public register.

Never add a private field here (date of birth, address, email, nationality, gender): a test
walks every public serializer and fails if one appears.
"""

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
