"""Filter pieces every queue shares."""

import django_filters
from django import forms

YES_NO_ANY = [("", "Any"), ("true", "Yes"), ("false", "No")]


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter whose empty choice reads "Any" (Django's NullBooleanSelect says "Unknown")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=YES_NO_ANY))
        super().__init__(*args, **kwargs)
