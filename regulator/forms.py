from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm


class GDSFormMixin:
    """Renders a Django form with the GOV.UK Design System (error summary, labels, hints)."""

    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # includes/form.html writes the <form> with the error summary
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(*self.fields.keys(), Button("submit", self.submit_label))


class SignInForm(GDSFormMixin, AuthenticationForm):
    submit_label = "Sign in"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username or email address"


class DateInput(forms.DateInput):
    """A browser date picker. <input type="date"> shows only an ISO value: en-gb's "30/06/2026" came
    back empty, so saving a form again wiped the date. Works without JavaScript (a text box in old
    browsers, where people type 2026-06-30)."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format)
