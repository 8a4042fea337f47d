"""Filter pieces every queue shares."""

import django_filters
from django import forms

YES_NO_ANY = [("", "Any"), ("true", "Yes"), ("false", "No")]


class GOVUKDateFilter(django_filters.DateFilter):
    """A date filter typed in the GOV.UK date input (day, month, year), like every other date a person
    types (regulator.forms.GOVUKDateField); the API still takes one ISO date (`?received_from=2026-06-30`)."""

    def __init__(self, *args, **kwargs):
        from .forms import GOVUKDateField

        self.field_class = GOVUKDateField
        super().__init__(*args, **kwargs)


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter whose empty choice reads "Any" (Django's NullBooleanSelect says "Unknown")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=YES_NO_ANY))
        super().__init__(*args, **kwargs)


TIMER_CHOICES = [
    ("breached", "Breached"),
    ("due_soon", "Due in the next 5 working days"),
    ("on_time", "On time"),
    ("urgent", "Any running, most urgent first"),
]


class TimerStateFilter(django_filters.ChoiceFilter):
    """Items by the state of their kept service-standard timer (regulator.timers), most urgent first:
    one EXISTS and one ordering subquery on the timers' (kind, state, due_on) index, no clock pass."""

    def __init__(self, kind: str, *args, **kwargs):
        self.kind = kind
        kwargs.setdefault("choices", TIMER_CHOICES)
        kwargs.setdefault("label", "Service standard")
        kwargs.setdefault("empty_label", "Any")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        from django.db.models import Exists, OuterRef, Subquery

        from .models import OPEN_TIMER_STATES, WorkTimer

        if value in ("", None):
            return qs
        timers = WorkTimer.objects.filter(kind=self.kind, item_id=OuterRef("pk"))
        states = list(OPEN_TIMER_STATES) if value == "urgent" else [value]
        due = Subquery(timers.filter(state__in=states).order_by("due_on").values("due_on")[:1])
        return (
            qs.filter(Exists(timers.filter(state__in=states))).annotate(timer_due_on=due).order_by("timer_due_on", "pk")
        )
