"""GOV.UK forms for the registrant's account and the officer's application page."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm

from regulator.forms import GDSFormMixin

from .models import CPDRecord


class SignUpForm(GDSFormMixin, forms.Form):
    submit_label = "Create account"
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    email = forms.EmailField(label="Email address", help_text="You will use this to sign in.")
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput,
        max_length=256,
        help_text="At least 12 characters. Not a common password, and not like your name or email address.",
    )
    registration_number = forms.CharField(
        label="Registration number (if you are already registered)",
        required=False,
        max_length=20,
        help_text="For example SW123456. Leave it empty if you are applying to join the register.",
    )
    date_of_birth = forms.DateField(label="Date of birth (if you gave a registration number)", required=False)

    def clean(self):
        """The password rules, with the similarity check given the person being signed up (their name and
        email address), as it is given the user everywhere else."""
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            from regulator.models import User

            email = cleaned.get("email") or ""
            person = User(
                username=email,
                email=email,
                first_name=cleaned.get("given_name", ""),
                last_name=cleaned.get("family_name", ""),
            )
            try:
                password_validation.validate_password(password, user=person)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


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
            "description": forms.Textarea(attrs={"rows": 3}),
            "learning": forms.Textarea(attrs={"rows": 3}),
            "impact": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"peer_reflection": "I reflected on this with a peer"}


PAYMENT_CHOICES = [("success", "Pay the fee (development provider: succeeds)"), ("fail", "Simulate a declined payment")]


class PaymentTokenMixin:
    """The development payment provider's choice (succeed or simulate a decline) is offered only where
    settings say so (REGISTRATION_PAYMENT_SIMULATION: development settings); elsewhere it is a hidden
    field and the payer never sees the provider's controls."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.REGISTRATION_PAYMENT_SIMULATION:
            field = self.fields["payment_token"]
            field.widget = forms.HiddenInput()
            field.initial = "success"


class RenewalForm(PaymentTokenMixin, GDSFormMixin, forms.Form):
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


class RecordActionForm(VersionForm):
    """A queue row's button: which record it acts on (by id) and the version the officer read."""

    record = forms.IntegerField(min_value=1)

    def __init__(self, data, *, field: str):
        # The row names its record under its own field (`case`, `enquiry`); read it as `record`.
        super().__init__({"record": data.get(field, ""), "version": data.get("version", "")})


class GDSPasswordResetForm(GDSFormMixin, PasswordResetForm):
    submit_label = "Send the reset link"

    def save(self, *args, **kwargs):
        """Queue the reset email for this address, known or not: the worker looks the address up and sends
        the link if an account may reset (registration/account_emails.py). The page does the same work
        for every address, so neither its answer nor its timing says which have accounts."""
        from regulator import outbox

        from . import tasks

        outbox.enqueue(tasks.send_account_email, kind="password_reset", email=self.cleaned_data["email"])


class GDSSetPasswordForm(GDSFormMixin, SetPasswordForm):
    submit_label = "Change password"


class TemporaryRegisterAddForm(GDSFormMixin, forms.Form):
    submit_label = "Add to the temporary register"
    registration_numbers = forms.CharField(
        label="Registration numbers",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line, or separated by commas.",
    )
    until = forms.DateField(label="Temporary registration ends on")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class TemporaryRegisterRemoveForm(GDSFormMixin, forms.Form):
    submit_label = "Remove from the temporary register"
    registration_numbers = forms.CharField(
        label="Registration numbers",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line, or separated by commas.",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class ApplyForm(GDSFormMixin, forms.Form):
    submit_label = "Start application"
    kind = forms.ChoiceField(
        label="What are you applying for?",
        choices=[("new", "To join the register"), ("restoration", "To be restored to the register")],
        widget=forms.RadioSelect,
    )
    route = forms.ChoiceField(
        label="Where did you qualify as a social worker?",
        choices=[
            ("uk", "In the UK"),
            ("overseas", "Outside the UK and the EEA"),
            ("eea", "In the EEA"),
            ("swiss", "In Switzerland (mutual recognition)"),
        ],
        widget=forms.RadioSelect,
    )


class ApplicationAnswersForm(GDSFormMixin, forms.ModelForm):
    """The route's questions; fields that do not apply to the route are dropped in __init__."""

    submit_label = "Save and come back later"
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        from .models import Application

        model = Application
        fields = [
            "town",
            "qualification",
            "awarding_institution",
            "course",
            "qualified_on",
            "approved_course",
            "english_language_evidence",
            "registered_elsewhere",
            "declared_matters",
            "character_declaration",
            "health_declaration",
        ]
        widgets = {
            "english_language_evidence": forms.Textarea(attrs={"rows": 2}),
            "declared_matters": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "character_declaration": "I declare I have no conviction, caution or finding I have not told you about",
            "health_declaration": "I declare my health does not affect my ability to practise safely",
            "course": "Course you completed",
            "approved_course": "Approved course you completed",
        }

    def __init__(self, *args, route: str, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Every route drops the free-text course: UK graduates choose an approved course; the others
        # describe their qualification (the column stays for UK applications transferred from history).
        drop = {"course"}
        if route == "uk":
            drop |= {"english_language_evidence", "registered_elsewhere"}
        else:
            drop.add("approved_course")
            if route != "swiss":
                drop.add("registered_elsewhere")
        if kind == "restoration":
            drop |= {"qualification", "awarding_institution", "approved_course", "qualified_on"}
            drop.add("english_language_evidence")
        for name in drop:
            self.fields.pop(name, None)
        for field in self.fields.values():
            field.required = False
        if "approved_course" in self.fields:
            self._offer_approved_courses(self.instance.qualified_on)
        from crispy_forms_gds.layout import Button, Layout

        self.helper.layout = Layout(*self.fields.keys(), Button("submit", self.submit_label))

    def _offer_approved_courses(self, qualified_on) -> None:
        """The courses approved on the saved qualification date, grouped by provider (a plain select:
        no JavaScript). Any course is accepted here so that one not approved on a newly entered date
        gets the service's clear reason rather than "select a valid choice"."""
        from education_qa.models import Course
        from education_qa.selectors import approved_courses_on

        field = self.fields["approved_course"]
        assert isinstance(field, forms.ModelChoiceField)  # the model's ForeignKey
        field.queryset = Course.objects.all()
        if qualified_on is None:
            field.choices = [("", "Enter the date you qualified and save your answers first")]
            field.help_text = (
                "Enter the date you qualified and save your answers: we then list the courses "
                "that were approved on that date."
            )
            return
        groups: dict[str, list[tuple[int, str]]] = {}
        for course in approved_courses_on(qualified_on).order_by("provider__name", "name", "id"):
            label = f"{course.name} ({course.get_mode_display()})"
            groups.setdefault(course.provider.name, []).append((course.pk, label))
        field.choices = [("", "Choose your course"), *groups.items()]
        field.help_text = (
            f"Courses approved on {qualified_on.day} {qualified_on:%B %Y}, the date you qualified, "
            "grouped by provider. If you change the date, save your answers to see its list."
        )


class DocumentForm(GDSFormMixin, forms.Form):
    submit_label = "Upload"
    kind = forms.ChoiceField(label="What is the document?", choices=[])
    file = forms.FileField(label="File (PDF, PNG or JPG)")

    def __init__(self, *args, **kwargs):
        from .models import ApplicationDocument

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ApplicationDocument.Kind.choices


class PayForm(PaymentTokenMixin, GDSFormMixin, forms.Form):
    submit_label = "Pay the fee"
    payment_token = forms.ChoiceField(
        label="Payment", choices=PAYMENT_CHOICES, widget=forms.RadioSelect, initial="success"
    )


class AnswerForm(GDSFormMixin, forms.Form):
    submit_label = "Send my answer"
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Your answer", widget=forms.Textarea(attrs={"rows": 4}))


class AppealForm(GDSFormMixin, forms.Form):
    submit_label = "Lodge appeal"
    grounds = forms.CharField(label="Why do you think the decision is wrong?", widget=forms.Textarea(attrs={"rows": 5}))


class AppealHearingForm(GDSFormMixin, forms.Form):
    submit_label = "List the hearing"
    version = forms.IntegerField(widget=forms.HiddenInput)
    hearing_on = forms.DateField(label="Hearing date")


class AppealDecisionForm(GDSFormMixin, forms.Form):
    submit_label = "Record the outcome"
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(choices=[("upheld", "Upheld"), ("rejected", "Rejected")], widget=forms.RadioSelect)
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class MisuseOfTitleOpenForm(GDSFormMixin, forms.Form):
    submit_label = "Open case"
    subject_name = forms.CharField(label="Name of the person using the title", max_length=200)
    details = forms.CharField(label="How the title is being used", widget=forms.Textarea(attrs={"rows": 3}))


class CallsImportForm(GDSFormMixin, forms.Form):
    submit_label = "Import calls"
    file = forms.FileField(label="calls.csv from the telephony system")


class EmailsImportForm(GDSFormMixin, forms.Form):
    submit_label = "Import emails"
    file = forms.FileField(label="emails.csv (received_at, responded_at)")


class EmailEnquiryForm(GDSFormMixin, forms.Form):
    submit_label = "Record email"
    received_at = forms.DateTimeField(label="Received (YYYY-MM-DD HH:MM)")
    from_address = forms.EmailField(required=False)
    subject = forms.CharField(max_length=200, required=False)
