"""django-filter FilterSets for the complaints and information request queues."""

import django_filters
from django.utils import timezone

from regulator.filters import GOVUKDateFilter, TimerStateFilter
from regulator.models import User
from regulator.roles import Role

from .models import Complaint, ComplaintCategory, InformationRequest, SubjectAccessExport
from .selectors import complaints_overdue


class ComplaintFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Complaint.Status.choices, empty_label="Any")
    category = django_filters.ChoiceFilter(choices=ComplaintCategory.choices, empty_label="Any")
    stage = django_filters.ChoiceFilter(choices=[(1, "Stage 1"), (2, "Stage 2")], empty_label="Any")
    overdue = django_filters.ChoiceFilter(
        choices=[("true", "Yes"), ("false", "No")],
        empty_label="Any",
        method="filter_overdue",
        label="Open and past the 20 working-day standard",
    )
    timer = TimerStateFilter("complaints.complaint")
    assigned_to = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(groups__name=Role.COMPLAINTS_OFFICER).order_by("first_name", "last_name"),
        empty_label="Anyone",
    )
    received_after = GOVUKDateFilter(field_name="received_on", lookup_expr="gte", label="Received from")
    received_before = GOVUKDateFilter(field_name="received_on", lookup_expr="lte", label="Received to")

    class Meta:
        model = Complaint
        fields = ["status", "category", "stage", "assigned_to"]

    def filter_overdue(self, queryset, name, value):
        overdue = complaints_overdue(queryset, timezone.localdate())
        return overdue if value == "true" else queryset.exclude(pk__in=overdue.values("pk"))


class InformationRequestFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=InformationRequest.Kind.choices, empty_label="Any")
    status = django_filters.ChoiceFilter(choices=InformationRequest.Status.choices, empty_label="Any")
    timer = TimerStateFilter("complaints.information_request")
    received_after = GOVUKDateFilter(field_name="received_on", lookup_expr="gte", label="Received from")
    received_before = GOVUKDateFilter(field_name="received_on", lookup_expr="lte", label="Received to")

    class Meta:
        model = InformationRequest
        fields = ["kind", "status", "registrant"]


class SubjectAccessExportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SubjectAccessExport.Status.choices, empty_label="Any")

    class Meta:
        model = SubjectAccessExport
        fields = ["request", "status"]
