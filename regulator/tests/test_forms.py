"""The GOV.UK date input every app's forms use, with the Design System's error messages; and the
form basics the accessibility checks asked for (unique button ids, no "---------")."""

import datetime as dt

import pytest
from django import forms

from regulator.forms import GDSFormMixin, GOVUKDateField


class ReceivedForm(GDSFormMixin, forms.Form):
    received_on = forms.DateField(label="Date received")
    outcome = forms.ChoiceField(label="Outcome", choices=[("", "---------"), ("a", "Approved")])


class OptionalForm(GDSFormMixin, forms.Form):
    reviewed_on = forms.DateField(label="Date reviewed", required=False)


def test_every_date_field_of_a_gds_form_is_the_govuk_date_input_with_day_month_and_year_boxes():
    form = ReceivedForm(initial={"received_on": dt.date(2026, 6, 30)})
    assert isinstance(form.fields["received_on"], GOVUKDateField)
    html = form.as_div()
    for part, value in (("0", "30"), ("1", "6"), ("2", "2026")):
        assert f'name="received_on_{part}"' in html and f'value="{value}"' in html
    assert 'type="date"' not in html


def test_a_date_typed_as_day_month_and_year_is_read():
    form = ReceivedForm({"received_on_0": "5", "received_on_1": "11", "received_on_2": "2026", "outcome": "a"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["received_on"] == dt.date(2026, 11, 5)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter date received"),
        ("5", "", "2026", "Date received must include a month"),
        ("", "11", "2026", "Date received must include a day"),
        ("31", "2", "2026", "Date received must be a real date"),
        ("x", "2", "2026", "Date received must be a real date"),
        ("1", "2", "26", "Year must include 4 numbers"),
    ],
)
def test_a_date_that_is_missing_or_not_real_gets_the_design_systems_message(day, month, year, message):
    form = ReceivedForm({"received_on_0": day, "received_on_1": month, "received_on_2": year, "outcome": "a"})
    assert not form.is_valid()
    assert message in form.errors["received_on"]


def test_an_optional_date_left_empty_is_none():
    form = OptionalForm({"reviewed_on_0": "", "reviewed_on_1": "", "reviewed_on_2": ""})
    assert form.is_valid() and form.cleaned_data["reviewed_on"] is None


def test_one_iso_value_is_still_read_for_scripts():
    form = OptionalForm({"reviewed_on": "2026-06-30"})
    assert form.is_valid() and form.cleaned_data["reviewed_on"] == dt.date(2026, 6, 30)


def test_selects_never_show_django_dashes_and_missing_answers_say_what_is_missing():
    form = ReceivedForm({})
    assert "---------" not in form.as_div()
    assert not form.is_valid()
    assert form.errors["outcome"] == ["Select outcome"]


def test_each_form_has_its_own_submit_button_id():
    assert ReceivedForm().helper.layout.fields[-1].id != OptionalForm().helper.layout.fields[-1].id
