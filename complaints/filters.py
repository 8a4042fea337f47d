"""django-filter FilterSets for the complaints and information request queues."""

import django_filters
from django.utils import timezone

from .models import Complaint, ComplaintCategory, InformationRequest, SubjectAccessExport
from .selectors import complaints_overdue


class ComplaintFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Complaint.Status.choices)
    category = django_filters.ChoiceFilter(choices=ComplaintCategory.choices)
    stage = django_filters.ChoiceFilter(choices=[(1, "Stage 1"), (2, "Stage 2")])
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Past the 20 working-day standard")
    received_after = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")

    class Meta:
        model = Complaint
        fields = ["status", "category", "stage", "assigned_to"]

    def filter_overdue(self, queryset, name, value):
        overdue = complaints_overdue(queryset, timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class InformationRequestFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=InformationRequest.Kind.choices)
    status = django_filters.ChoiceFilter(choices=InformationRequest.Status.choices)
    received_after = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")

    class Meta:
        model = InformationRequest
        fields = ["kind", "status", "registrant"]


class SubjectAccessExportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SubjectAccessExport.Status.choices)

    class Meta:
        model = SubjectAccessExport
        fields = ["request", "status"]
