"""The FTP queue filters, one FilterSet for the pages and the API."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone

from registration.models import Origin
from regulator.filters import TimerStateFilter, YesNoFilter
from regulator.models import User
from regulator.roles import Role

from . import clocks
from .models import Concern, FitnessToPractiseCase, ReferrerType, RiskLevel, Stage, State, states_of

ASSIGNED_CHOICES = [("me", "Assigned to me"), ("none", "Not assigned"), ("any", "Assigned to anyone")]


class CaseQueueFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices, method="filter_stage", label="Stage")
    state = django_filters.MultipleChoiceFilter(choices=State.choices, label="State")
    origin = django_filters.ChoiceFilter(choices=Origin.choices, label="Origin")
    risk_level = django_filters.ChoiceFilter(
        choices=[c for c in RiskLevel.choices if c[0]], label="Risk level", field_name="risk_level"
    )
    overdue = YesNoFilter(method="filter_overdue", label="Overdue")
    timer = TimerStateFilter("fitness_to_practise.case")
    assigned = django_filters.ChoiceFilter(choices=ASSIGNED_CHOICES, method="filter_assigned", label="Assigned")
    handler = django_filters.ModelChoiceFilter(
        field_name="handler", queryset=User.objects.filter(groups__name=Role.FTP_CASE_HANDLER), label="Handler"
    )
    older_than_days = django_filters.NumberFilter(
        # At most a century: more is no case's age, and overflows the date arithmetic.
        method="filter_older_than",
        label="At this stage for more than (days)",
        min_value=0,
        max_value=36_500,
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("stage_started_at", "stage_started"),
            ("opened_at", "opened"),
            ("reference", "reference"),
            ("risk_level", "risk"),
        ),
        label="Sort by",
    )

    class Meta:
        model = FitnessToPractiseCase
        fields = [
            "stage", "state", "origin", "risk_level", "overdue", "timer", "assigned", "handler", "older_than_days"
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GOV.UK classes on the widgets, so the page can render each field with {{ field }}.
        for field in self.form.fields.values():
            widget = field.widget
            css = (
                "govuk-select" if getattr(widget, "input_type", "") == "select" else "govuk-input govuk-input--width-5"
            )
            widget.attrs["class"] = css

    def filter_stage(self, queryset, name, value):
        return queryset.filter(state__in=states_of(value)) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = clocks.overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_assigned(self, queryset, name, value):
        if value == "me":  # the case handler, or the investigator (an external firm's investigator too)
            me = self.request.user if self.request else None
            return queryset.filter(Q(handler=me) | Q(investigator=me))
        if value == "none":
            return queryset.filter(handler__isnull=True)
        if value == "any":
            return queryset.filter(handler__isnull=False)
        return queryset

    def filter_older_than(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(stage_started_at__lt=timezone.now() - dt.timedelta(days=int(value)))


class ConcernQueueFilter(django_filters.FilterSet):
    referrer_type = django_filters.ChoiceFilter(choices=ReferrerType.choices)
    status = django_filters.ChoiceFilter(choices=Concern.Status.choices)
    ordering = django_filters.OrderingFilter(fields=(("received_at", "received"),))

    class Meta:
        model = Concern
        fields = ["referrer_type", "status"]
