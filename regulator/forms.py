import datetime as dt
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.utils.text import slugify

# Django's empty choice, which the Design System never shows; what a select says instead.
DJANGO_BLANK = "---------"
SELECT_PROMPT = "Select one"


class GDSFormMixin:
    """Renders a Django form with the GOV.UK Design System (error summary, labels, hints)."""

    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.DateField):
                self.fields[name] = govuk_date_field(field)  # one date input for every app's forms
            elif isinstance(field, forms.ModelChoiceField) and field.empty_label == DJANGO_BLANK:
                field.empty_label = SELECT_PROMPT
            elif isinstance(field, forms.ChoiceField) and not isinstance(field.widget, forms.RadioSelect):
                field.choices = [(v, SELECT_PROMPT if label == DJANGO_BLANK else label) for v, label in field.choices]
            field = self.fields[name]
            generic = forms.Field.default_error_messages["required"]
            if field.required and field.error_messages.get("required") == generic:
                field.error_messages["required"] = required_message(field)
        self.helper = FormHelper()
        self.helper.form_tag = False  # includes/form.html writes the <form> with the error summary
        self.helper.label_size = Size.SMALL
        # A button id of its own per form: two forms on one page must not both have id_submit.
        button_id = f"{slugify(self.prefix or type(self).__name__)}-submit"
        self.helper.layout = Layout(*self.fields.keys(), Button("submit", self.submit_label, css_id=button_id))


def required_message(field: forms.Field) -> str:
    """The Design System's message for a missing answer: "Enter your name", "Select who you are"."""
    label = str(field.label or "an answer").rstrip("?:. ")
    if isinstance(field, forms.BooleanField):
        return f"Select the box to confirm: {_lower_first(label)}"
    if isinstance(field, forms.ChoiceField):
        return f"Select {_lower_first(label)}"
    if isinstance(field, forms.FileField):
        return f"Choose {_lower_first(label)}"
    return f"Enter {_lower_first(label)}"


class SignInForm(GDSFormMixin, AuthenticationForm):
    submit_label = "Sign in"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username or email address"
        # AuthenticationForm sets max_length after the field is built, so only the HTML attribute knew it.
        self.fields["username"].validators.append(MaxLengthValidator(254))
        self.fields["password"].validators.append(MaxLengthValidator(256))


class GOVUKDateWidget(DateInputWidget):
    """The GOV.UK date input: day, month and year boxes (never the browser's date picker, which shows
    mm/dd/yyyy in some browsers). Also reads one ISO value (`name=2026-06-30`) when the three parts
    are absent, so scripts and tests can send a date in one field."""

    def value_from_datadict(self, data, files, name):
        if f"{name}_0" not in data and data.get(name):
            try:
                day = dt.date.fromisoformat(str(data.get(name)))
            except ValueError:
                return ["", "", str(data.get(name))]
            return [str(day.day), str(day.month), str(day.year)]
        return super().value_from_datadict(data, files, name)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


class GOVUKDateField(DateInputField):
    """A date a person types, as the GOV.UK Design System asks: three boxes, and its error messages
    ("Enter the date received", "Date received must include a month", "Date received must be a real
    date"). Every form that inherits GDSFormMixin gets this for each of its date fields."""

    widget = GOVUKDateWidget

    def __init__(self, *, label: Any = "Date", **kwargs):  # a str or a lazy translation
        kwargs.pop("input_formats", None)
        kwargs.pop("widget", None)
        kwargs.setdefault("require_all_fields", False)
        super().__init__(label=label, **kwargs)
        name = str(label).rstrip("?:. ")
        self.date_name = name
        self.error_messages["required"] = f"Enter {_lower_first(name)}"
        self.error_messages["incomplete"] = f"{name} must include a day, month and year"
        for part, field in zip(("day", "month", "year"), self.fields, strict=True):
            field.required = True
            field.error_messages["incomplete"] = f"{name} must include a {part}"
            field.validators = [RegexValidator(r"^\s*[0-9]+\s*$", f"{name} must be a real date")]

    def compress(self, data_list):
        day, month, year = (str(v).strip() if v else "" for v in data_list) if data_list else ("", "", "")
        if not (day and month and year):
            return None
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError as error:
            raise ValidationError(f"{self.date_name} must be a real date", code="invalid") from error


def govuk_date_field(field: forms.DateField) -> GOVUKDateField:
    """The GOV.UK date field standing in for a Django DateField (its label, help, validators kept)."""
    replacement = GOVUKDateField(
        label=field.label or "Date",
        required=field.required,
        help_text=field.help_text,
        initial=field.initial,
        disabled=field.disabled,
        validators=[v for v in field.validators if v not in forms.DateField.default_validators],
    )
    own_required = field.error_messages.get("required")
    if own_required and own_required != forms.Field.default_error_messages["required"]:
        replacement.error_messages["required"] = own_required
    return replacement
