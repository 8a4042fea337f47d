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


class ApiTokenIssueForm(GDSFormMixin, forms.Form):
    submit_label = "Issue the token"
    username = forms.CharField(
        label="Account the token acts as",
        max_length=150,
        help_text="The username of the system's own account. The token can do what that account's roles allow.",
    )
    name = forms.CharField(label="Which system uses it", max_length=100,
                           help_text="For example, Finance reconciliation.")
    scope = forms.ChoiceField(label="What it may do", widget=forms.RadioSelect, choices=())
    lifetime_days = forms.IntegerField(label="Days until it expires", min_value=1, max_value=365, initial=90,
                                       help_text="At most 365. Issue a new token before this one expires.")

    def __init__(self, *args, **kwargs):
        from regulator.models import ApiToken

        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = ApiToken.Scope.choices

    def clean_username(self):
        from regulator.models import User

        user = User.objects.filter(username=self.cleaned_data["username"].strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError("Enter the username of an active account")
        return user


class ApiTokenRevokeForm(GDSFormMixin, forms.Form):
    submit_label = "Revoke the token"
    reason = forms.CharField(label="Why it is revoked", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="For example, the system is retired, or the secret may have leaked.")
