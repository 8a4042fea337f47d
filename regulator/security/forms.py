from django import forms

from regulator.forms import GDSFormMixin


class TwoFactorCodeForm(GDSFormMixin, forms.Form):
    submit_label = "Continue"
    code = forms.CharField(
        label="Security code",
        max_length=32,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )
