"""django-filter FilterSets for the education QA queues (API and pages)."""

import django_filters
from django.db.models import Q

from regulator.filters import GOVUKDateFilter, YesNoFilter

from .models import (
    ApprovalRequest,
    Condition,
    Course,
    CourseChange,
    CourseConcern,
    CourseProvider,
    CourseStatus,
    Enquiry,
    MonitoringReturn,
    QualificationLevel,
    StudyMode,
)


def _course_filter():
    """By course id: a select of every course would be a long list (and a query per option)."""
    return django_filters.NumberFilter(field_name="course", label="Course (id)")


class CourseProviderFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = CourseProvider
        fields = ["name", "town"]


class CourseFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="Course name")
    provider_name = django_filters.CharFilter(field_name="provider__name", lookup_expr="icontains", label="Provider")
    status = django_filters.ChoiceFilter(choices=CourseStatus.choices, empty_label="Any")
    qualification_level = django_filters.ChoiceFilter(choices=QualificationLevel.choices, empty_label="Any")
    mode = django_filters.ChoiceFilter(choices=StudyMode.choices, empty_label="Any")
    overdue = YesNoFilter(method="filter_overdue", label="Reapproval or a condition overdue")

    class Meta:
        model = Course
        fields = ["provider", "name", "provider_name", "status", "qualification_level", "mode"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        from regulator.transitions import today

        from .selectors import overdue_condition_q, reapproval_overdue_q

        on = today()
        overdue = reapproval_overdue_q(on) | Q(
            pk__in=Condition.objects.filter(overdue_condition_q(on)).values("course")
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class ApprovalRequestFilter(django_filters.FilterSet):
    course = _course_filter()
    status = django_filters.ChoiceFilter(choices=ApprovalRequest.Status.choices, empty_label="Any")
    kind = django_filters.ChoiceFilter(choices=ApprovalRequest.Kind.choices, empty_label="Any")
    outcome = django_filters.ChoiceFilter(choices=ApprovalRequest.Outcome.choices, empty_label="Any")
    received_after = GOVUKDateFilter(field_name="received_on", lookup_expr="gte", label="Received from")
    received_before = GOVUKDateFilter(field_name="received_on", lookup_expr="lte", label="Received to")

    class Meta:
        model = ApprovalRequest
        fields = ["course", "status", "kind", "outcome"]


class ConditionFilter(django_filters.FilterSet):
    course = _course_filter()
    status = django_filters.ChoiceFilter(choices=Condition.Status.choices, empty_label="Any")
    due_before = GOVUKDateFilter(field_name="due_on", lookup_expr="lte", label="Due by")

    class Meta:
        model = Condition
        fields = ["course", "status"]


class CourseChangeFilter(django_filters.FilterSet):
    course = _course_filter()
    status = django_filters.ChoiceFilter(choices=CourseChange.Status.choices, empty_label="Any")

    class Meta:
        model = CourseChange
        fields = ["course", "status"]


class MonitoringReturnFilter(django_filters.FilterSet):
    course = _course_filter()
    status = django_filters.ChoiceFilter(choices=MonitoringReturn.Status.choices, empty_label="Any")
    year = django_filters.NumberFilter(field_name="cycle__year")

    class Meta:
        model = MonitoringReturn
        fields = ["cycle", "course", "status", "year"]


class EnquiryFilter(django_filters.FilterSet):
    course = _course_filter()
    status = django_filters.ChoiceFilter(choices=Enquiry.Status.choices, empty_label="Any")
    received_after = GOVUKDateFilter(field_name="received_on", lookup_expr="gte", label="Received from")

    class Meta:
        model = Enquiry
        fields = ["status", "course"]


class CourseConcernFilter(django_filters.FilterSet):
    course = _course_filter()
    status = django_filters.ChoiceFilter(choices=CourseConcern.Status.choices, empty_label="Any")
    received_after = GOVUKDateFilter(field_name="received_on", lookup_expr="gte", label="Received from")

    class Meta:
        model = CourseConcern
        fields = ["status", "course"]
