"""django-filter FilterSets for registration's queues (the API and the pages share them)."""

import django_filters
from django.db.models import Q

from regulator.filters import GOVUKDateFilter, TimerStateFilter, YesNoFilter

from .models import (
    Appeal,
    Application,
    ApplicationKind,
    ApplicationRoute,
    ApplicationStatus,
    Call,
    EmailEnquiry,
    MisuseOfTitleCase,
)

OPEN = "open"


class ApplicationQueueFilter(django_filters.FilterSet):
    route = django_filters.ChoiceFilter(choices=ApplicationRoute.choices)
    kind = django_filters.ChoiceFilter(choices=ApplicationKind.choices)
    status = django_filters.ChoiceFilter(
        choices=[(OPEN, "Open"), *ApplicationStatus.choices[1:]],
        method="filter_status",
        help_text="'open' (the default on the queue page) or one status.",
    )
    assigned_to = django_filters.CharFilter(
        method="filter_assigned", help_text="An officer's user id, 'me', or 'none' for unassigned."
    )
    investigation_required = YesNoFilter()
    reference = django_filters.CharFilter(lookup_expr="iexact")
    timer = TimerStateFilter("registration.application")

    class Meta:
        model = Application
        fields = ["route", "kind", "status", "assigned_to", "investigation_required", "reference", "timer"]

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=[ApplicationStatus.RECEIVED, ApplicationStatus.AWAITING_APPLICANT])
        return queryset.filter(status=value)

    def filter_assigned(self, queryset, name, value):
        if value == "none":
            return queryset.filter(assigned_to__isnull=True)
        if value == "me":
            return queryset.filter(assigned_to=self.request.user if self.request else None)
        if value.isdigit():
            return queryset.filter(assigned_to_id=int(value))
        return queryset.none()


class AppealFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Appeal.Status.choices)
    against = django_filters.ChoiceFilter(
        choices=[("refusal", "A refused application"), ("removal", "A removal")],
        method="filter_against",
        label="Appeal against",
    )

    class Meta:
        model = Appeal
        fields = ["status", "against"]

    def filter_against(self, queryset, name, value):
        return queryset.filter(application__isnull=value != "refusal")


class MisuseOfTitleFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=MisuseOfTitleCase.Status.choices)

    class Meta:
        model = MisuseOfTitleCase
        fields = ["status"]


class CallFilter(django_filters.FilterSet):
    outcome = django_filters.ChoiceFilter(choices=Call.Outcome.choices)
    received_from = GOVUKDateFilter(field_name="received_at", lookup_expr="date__gte")
    received_to = GOVUKDateFilter(field_name="received_at", lookup_expr="date__lte")

    class Meta:
        model = Call
        fields = ["outcome", "received_from", "received_to"]


class EmailEnquiryFilter(django_filters.FilterSet):
    answered = YesNoFilter(method="filter_answered", label="Answered")

    class Meta:
        model = EmailEnquiry
        fields = ["answered"]

    def filter_answered(self, queryset, name, value):
        return queryset.filter(~Q(responded_at=None) if value else Q(responded_at=None))
