"""GOV.UK forms for the education QA pages; each is one change, run by a service."""

from django import forms

from regulator.forms import GDSFormMixin
from regulator.pages import ActionForm

from .models import (
    ApprovalRequest,
    Condition,
    Course,
    CourseChange,
    CourseConcern,
    CourseProvider,
    Inspection,
    MonitoringReturn,
    QualificationLevel,
    StudyMode,
)


class OptionalDate(forms.DateField):
    def __init__(self, label="Date (leave blank for today)", **kwargs):
        super().__init__(label=label, required=False, **kwargs)


class ReasonForm(ActionForm):
    reason = forms.CharField(label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    on = OptionalDate()


class RequiredReasonForm(ReasonForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawApprovalForm(RequiredReasonForm):
    label = submit_label = "Withdraw approval"


class MakeHistoricForm(ReasonForm):
    label = submit_label = "Close to new students (historic)"


class RequestApprovalForm(ActionForm):
    label = submit_label = "Record a request for approval or reapproval"
    kind = forms.ChoiceField(choices=ApprovalRequest.Kind.choices, widget=forms.RadioSelect)
    received_on = OptionalDate(label="Received on (leave blank for today)")


class ProposeChangeForm(ActionForm):
    label = submit_label = "Record a proposed course change"
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    new_places = forms.IntegerField(min_value=1, required=False, label="New number of places (optional)")
    new_mode = forms.ChoiceField(choices=[("", "No change"), *StudyMode.choices], required=False, label="New mode")
    received_on = OptionalDate(label="Received on (leave blank for today)")


class DecideChangeForm(ReasonForm):
    label = submit_label = "Decide a course change after documentary review"
    change = forms.ModelChoiceField(queryset=CourseChange.objects.none())
    approve = forms.TypedChoiceField(
        choices=[("1", "Approve"), ("0", "Refuse")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        label="Decision",
    )

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        if course is not None:
            self.fields["change"].queryset = course.changes.filter(status=CourseChange.Status.RECEIVED)


class DocumentaryReviewForm(ReasonForm):
    label = submit_label = "Complete the documentary review"


class ScheduleInspectionForm(ActionForm):
    label = submit_label = "Schedule the inspection"
    mode = forms.ChoiceField(choices=Inspection.Mode.choices, widget=forms.RadioSelect)
    starts_on = forms.DateField()
    ends_on = forms.DateField()
    lead = forms.CharField(label="Lead inspector")
    officer = forms.CharField(label="Education QA officer", required=False)
    registrant_inspector = forms.CharField(label="Registrant inspector", required=False)
    lay_inspector = forms.CharField(label="Lay inspector", required=False)


class RecordInspectionForm(ActionForm):
    label = submit_label = "Record that the inspection took place"
    conducted_on = forms.DateField(label="Inspection completed on")


class DecideForm(ReasonForm):
    label = submit_label = "Record the outcome"
    outcome = forms.ChoiceField(
        choices=[c for c in ApprovalRequest.Outcome.choices if c[0] != ApprovalRequest.Outcome.REQUEST_WITHDRAWN],
        widget=forms.RadioSelect,
    )
    condition_1 = forms.CharField(label="Condition 1 (with conditions only)", required=False)
    condition_1_due = forms.DateField(label="Condition 1 due on", required=False)
    condition_2 = forms.CharField(label="Condition 2", required=False)
    condition_2_due = forms.DateField(label="Condition 2 due on", required=False)
    condition_3 = forms.CharField(label="Condition 3", required=False)
    condition_3_due = forms.DateField(label="Condition 3 due on", required=False)

    def clean(self):
        data = super().clean()
        for i in (1, 2, 3):
            if data.get(f"condition_{i}") and not data.get(f"condition_{i}_due"):
                self.add_error(f"condition_{i}_due", "Enter the date the condition is due")
        return data

    @staticmethod
    def conditions(data):
        return [(data[f"condition_{i}"], data[f"condition_{i}_due"]) for i in (1, 2, 3) if data.get(f"condition_{i}")]


class WithdrawRequestForm(ReasonForm):
    label = submit_label = "Record that the provider withdrew the request"


class DecideConditionForm(ReasonForm):
    label = submit_label = "Decide whether a condition was met"
    condition = forms.ModelChoiceField(queryset=Condition.objects.none())
    met = forms.TypedChoiceField(
        choices=[("1", "Met"), ("0", "Not met")], coerce=lambda v: v == "1", widget=forms.RadioSelect, label="Decision"
    )

    def __init__(self, *args, approval_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if approval_request is not None:
            self.fields["condition"].queryset = approval_request.conditions.filter(status=Condition.Status.OPEN)


class ReviewReturnForm(ReasonForm):
    label = submit_label = "Record the review"
    outcome = forms.ChoiceField(choices=MonitoringReturn.ReviewOutcome.choices, widget=forms.RadioSelect)


class SubmitReturnForm(ActionForm):
    label = submit_label = "Submit the return"
    students_enrolled = forms.IntegerField(min_value=0, label="Students enrolled this year")
    meets_standards = forms.TypedChoiceField(
        choices=[("1", "Yes"), ("0", "No")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        label="Does the course continue to meet the education and training standards?",
    )
    commentary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label="Commentary (required if a standard is not met)"
    )


class CloseEnquiryForm(ReasonForm):
    label = submit_label = "Close the enquiry"


class CloseConcernForm(ReasonForm):
    label = submit_label = "Close the concern"
    outcome = forms.ChoiceField(choices=CourseConcern.Outcome.choices, widget=forms.RadioSelect)


class OpenCycleForm(ActionForm):
    label = submit_label = "Open annual monitoring for a year"
    year = forms.IntegerField(min_value=2019, max_value=2100)
    due_on = forms.DateField(label="Returns due on")


class ChaseForm(ActionForm):
    label = submit_label = "Chase providers with returns outstanding"
    cycle = forms.IntegerField(widget=forms.HiddenInput)


class EnquiryForm(GDSFormMixin, forms.Form):
    submit_label = "Record the enquiry"
    enquirer = forms.CharField(max_length=200)
    enquirer_email = forms.EmailField(required=False)
    subject = forms.CharField(max_length=200)
    course = forms.ModelChoiceField(queryset=Course.objects.select_related("provider"), required=False)
    received_on = OptionalDate(label="Received on (leave blank for today)")


class ConcernForm(GDSFormMixin, forms.Form):
    submit_label = "Record the concern"
    course = forms.ModelChoiceField(queryset=Course.objects.select_related("provider"))
    raised_by = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    received_on = OptionalDate(label="Received on (leave blank for today)")


class ProviderForm(GDSFormMixin, forms.Form):
    submit_label = "Add the provider"
    name = forms.CharField(max_length=200)
    town = forms.CharField(max_length=100)
    contact_email = forms.EmailField(label="Quality contact email (for annual monitoring)")


class CourseProposeForm(GDSFormMixin, forms.Form):
    submit_label = "Record the proposed course"
    provider = forms.ModelChoiceField(queryset=CourseProvider.objects.all())
    name = forms.CharField(max_length=200)
    qualification_level = forms.ChoiceField(choices=QualificationLevel.choices)
    mode = forms.ChoiceField(choices=StudyMode.choices)
    places = forms.IntegerField(min_value=1)


class ChaseCycleForm(forms.Form):
    """The monitoring page's "chase" button: which cycle (by id)."""

    cycle = forms.IntegerField(min_value=1)
