"""GOV.UK forms for the registrant's account and the officer's application page."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm

from regulator.forms import GDSFormMixin

from .models import CPDRecord


class SignUpForm(GDSFormMixin, forms.Form):
    submit_label = "Create account"
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    email = forms.EmailField(label="Email address", help_text="You will use this to sign in.")
    password = forms.CharField(label="Password", widget=forms.PasswordInput, help_text="At least 8 characters.")

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class DateInput(forms.DateInput):
    input_type = "date"


class CPDRecordForm(GDSFormMixin, forms.ModelForm):
    submit_label = "Save CPD record"

    class Meta:
        model = CPDRecord
        fields = [
            "kind",
            "done_on",
            "description",
            "learning",
            "impact",
            "peer_reflection",
            "peer_name",
            "peer_reflection_on",
        ]
        widgets = {
            "done_on": DateInput,
            "peer_reflection_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
            "learning": forms.Textarea(attrs={"rows": 3}),
            "impact": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"peer_reflection": "I reflected on this with a peer"}


PAYMENT_CHOICES = [("success", "Pay the fee (development provider: succeeds)"), ("fail", "Simulate a declined payment")]


class RenewalForm(GDSFormMixin, forms.Form):
    submit_label = "Renew and pay"
    declarations_confirmed = forms.BooleanField(
        label=(
            "I declare that my character and health are such that I can practise safely, "
            "and that the CPD I have recorded is true"
        ),
        required=False,
    )
    payment_token = forms.ChoiceField(
        label="Payment", choices=PAYMENT_CHOICES, widget=forms.RadioSelect, initial="success"
    )


class ReasonForm(GDSFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label="Reason", submit="Continue", **kwargs):
        self.submit_label = submit
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class GDSPasswordResetForm(GDSFormMixin, PasswordResetForm):
    submit_label = "Send the reset link"


class GDSSetPasswordForm(GDSFormMixin, SetPasswordForm):
    submit_label = "Change password"


class TemporaryRegisterAddForm(GDSFormMixin, forms.Form):
    submit_label = "Add to the temporary register"
    registration_numbers = forms.CharField(
        label="Registration numbers",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line, or separated by commas.",
    )
    until = forms.DateField(label="Temporary registration ends on", widget=DateInput)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class TemporaryRegisterRemoveForm(GDSFormMixin, forms.Form):
    submit_label = "Remove from the temporary register"
    registration_numbers = forms.CharField(
        label="Registration numbers",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line, or separated by commas.",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
