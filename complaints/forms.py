"""GOV.UK forms for the complaints and information request pages; each change runs one service."""

from django import forms

from registration.models import Registrant
from regulator.forms import GDSFormMixin
from regulator.models import User
from regulator.pages import ActionForm
from regulator.roles import Role

from .foi import EXEMPTION_CHOICES, QUALIFIED_CHOICES
from .models import ComplaintCategory, InformationRequest


def optional_date(label="Date (leave blank for today)"):
    return forms.DateField(label=label, required=False)


class AssignForm(ActionForm):
    label = submit_label = "Assign to a complaints officer"
    officer = forms.ModelChoiceField(queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.filter(groups__name=Role.COMPLAINTS_OFFICER, is_active=True)


class RespondForm(ActionForm):
    label = submit_label = "Record the response sent"
    response = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Summary of the response")
    on = optional_date("Sent on (leave blank for today)")


class CloseForm(ActionForm):
    label = submit_label = "Close the complaint"
    reason = forms.CharField(required=False, label="Note", widget=forms.Textarea(attrs={"rows": 2}))
    on = optional_date("Closed on (leave blank for today)")


class EscalateForm(ActionForm):
    label = submit_label = "Escalate to stage 2"
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why the complainant asks for a review")
    on = optional_date("Escalated on (leave blank for today)")


class ComplaintForm(GDSFormMixin, forms.Form):
    submit_label = "Record the complaint"
    complainant_name = forms.CharField(max_length=200)
    complainant_email = forms.EmailField(required=False)
    registration_number = forms.CharField(required=False, label="Registration number (if on the register)")
    category = forms.ChoiceField(choices=ComplaintCategory.choices)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    received_on = optional_date("Received on (leave blank for today)")

    def clean_registration_number(self):
        return _registrant_from_number(self.cleaned_data.get("registration_number", ""))


class ExtendForm(ActionForm):
    label = submit_label = "Extend by two months (complex request)"
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why the request is complex")
    on = optional_date()


class PublicInterestExtendForm(ActionForm):
    label = submit_label = "Extend by 20 working days (public interest test)"
    exemption = forms.ChoiceField(
        choices=QUALIFIED_CHOICES, widget=forms.RadioSelect, label="Exemption being considered"
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Why the public interest test needs more time"
    )
    on = optional_date()


class CloseRequestForm(ActionForm):
    label = submit_label = "Close the request"
    outcome = forms.ChoiceField(choices=InformationRequest.Outcome.choices, widget=forms.RadioSelect)
    exemptions = forms.MultipleChoiceField(
        choices=EXEMPTION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Exemptions relied on (FOI, when information is withheld)",
    )
    reason = forms.CharField(required=False, label="Note", widget=forms.Textarea(attrs={"rows": 2}))
    on = optional_date("Closed on (leave blank for today)")


class ExportForm(ActionForm):
    label = submit_label = "Produce the subject access export"


class InformationRequestForm(GDSFormMixin, forms.Form):
    submit_label = "Record the request"
    kind = forms.ChoiceField(choices=InformationRequest.Kind.choices, widget=forms.RadioSelect)
    requester_name = forms.CharField(max_length=200)
    requester_email = forms.EmailField(required=False)
    registration_number = forms.CharField(required=False, label="Registration number (subject access only)")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    received_on = optional_date("Received on (leave blank for today)")

    def clean_registration_number(self):
        return _registrant_from_number(self.cleaned_data.get("registration_number", ""))


def _registrant_from_number(number: str):
    from registration.selectors import parse_registration_number

    if not number.strip():
        return None
    parsed = parse_registration_number(number)
    registrant = Registrant.objects.filter(register_entry__registration_number=parsed).first() if parsed else None
    if registrant is None:
        raise forms.ValidationError("No one on the register has that number")
    return registrant
