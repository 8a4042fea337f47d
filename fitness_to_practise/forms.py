"""FTP forms: the public concern form, the staff concern form, and one form per case action
(built from actions.py, the same declaration the API uses)."""

from __future__ import annotations

from typing import Any

from django import forms

from regulator.forms import GDSFormMixin
from regulator.models import User

from .actions import Action, open_evidence_requests, open_hearings, reviewable_orders, started_hearings
from .date_bounds import CONCERN_RECEIVED
from .models import ReceivedVia, ReferrerType
from .services import MAX_ATTACHMENTS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ConcernForm(GDSFormMixin, forms.Form):
    """Raise a concern about a social worker. Everything typed here is shown back only escaped."""

    submit_label = "Send the concern"

    referrer_type = forms.ChoiceField(
        label="Who are you?",
        choices=ReferrerType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who you are"},
    )
    referrer_name = forms.CharField(label="Your name", max_length=200, error_messages={"required": "Enter your name"})
    referrer_email = forms.EmailField(label="Your email address", required=False, help_text="So we can reply to you")
    referrer_phone = forms.CharField(label="Your phone number", max_length=40, required=False)
    social_worker_name = forms.CharField(
        label="The social worker's name",
        max_length=200,
        error_messages={"required": "Enter the name of the social worker you are concerned about"},
    )
    social_worker_number = forms.CharField(
        label="Their registration number (if you know it)",
        max_length=20,
        required=False,
        help_text="For example, SW123456",
    )
    social_worker_town = forms.CharField(label="The town where they work", max_length=100, required=False)
    social_worker_employer = forms.CharField(label="Their employer", max_length=200, required=False)
    what_happened = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        help_text="Tell us what happened, when, and who was affected.",
        error_messages={"required": "Tell us what happened"},
    )
    attachments = MultipleFileField(
        label="Documents (optional)",
        required=False,
        help_text=f"Up to {MAX_ATTACHMENTS} files: PDF, JPG, PNG or Word (.docx), 5 MB each.",
    )


class StaffConcernForm(ConcernForm):
    submit_label = "Record the concern"

    received_via = forms.ChoiceField(
        label="Received by",
        choices=[(ReceivedVia.PHONE, "Phone"), (ReceivedVia.POST, "Post"), (ReceivedVia.EMAIL, "Email")],
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label="Date received",
        required=False,
        help_text="Leave empty for today. Within the last year, not in the future.",
        validators=[CONCERN_RECEIVED.validator()],
    )


class CloseConcernForm(GDSFormMixin, forms.Form):
    submit_label = "Close the concern"
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why is it closed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example: not on the register (consider a misuse of title case)",
    )


class IdentifyForm(GDSFormMixin, forms.Form):
    submit_label = "This is the social worker"
    version = forms.IntegerField(widget=forms.HiddenInput)
    registration_number = forms.CharField(widget=forms.HiddenInput)
    origin = forms.ChoiceField(
        label="Origin",
        choices=[("swe", "Social Work England"), ("hcpc", "Transferred from the HCPC")],
        widget=forms.RadioSelect,
        initial="swe",
    )
    join_case = forms.CharField(label="Join an open case (reference)", required=False, max_length=20)


def people_with_role(role) -> list[tuple[str, str]]:
    """Active people holding a role, by name (the username is the value the API also takes)."""
    users = User.objects.filter(is_active=True, groups__name=str(role)).order_by("first_name", "last_name", "username")
    return [(u.username, u.get_full_name() or u.username) for u in users.distinct()]


def _radio(choices, common) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(coerce=int, choices=choices, widget=forms.RadioSelect, **common)


def action_form_class(action: Action, case) -> type[forms.Form]:
    """A GOV.UK form for an action on a case, from its declared inputs; the records it can be taken on
    (hearings, orders, requests) are only those the rules allow (actions.py)."""
    attrs: dict[str, Any] = {"submit_label": action.label}
    if action.versioned:
        attrs["version"] = forms.IntegerField(widget=forms.HiddenInput)
    for item in action.inputs:
        common: dict[str, Any] = {"label": item.label, "required": item.required, "help_text": item.hint}
        field: forms.Field
        if item.kind == "text":
            field = forms.CharField(max_length=300, **common)
        elif item.kind == "person":
            field = forms.ChoiceField(choices=[("", "Choose someone"), *people_with_role(item.role)], **common)
        elif item.kind == "longtext":
            field = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common)
        elif item.kind == "int":
            field = forms.IntegerField(min_value=0, **common)
        elif item.kind == "date":
            field = forms.DateField(**common)
        elif item.kind == "bool":
            field = forms.BooleanField(label=item.label, required=False)
        elif item.kind == "choice":
            field = forms.ChoiceField(choices=item.choices, widget=forms.RadioSelect, **common)
        elif item.kind in ("hearing", "started_hearing"):
            hearings = open_hearings(case) if item.kind == "hearing" else started_hearings(case)
            field = _radio(
                [
                    (
                        h.pk,
                        f"{h.get_kind_display()}, {h.starts_on.day} {h.starts_on:%B %Y} to"
                        f" {h.ends_on.day} {h.ends_on:%B %Y} ({h.get_outcome_display().lower()})",
                    )
                    for h in hearings
                ],
                common,
            )
        elif item.kind == "order":
            field = _radio(
                [
                    (o.pk, f"{o.get_kind_display()} until {o.ends_on:%-d %B %Y}" if o.ends_on else o.get_kind_display())
                    for o in reviewable_orders(case)
                ],
                common,
            )
        elif item.kind == "evidence_request":
            field = _radio(
                [(r.pk, f"{r.requested_from}: {r.description[:60]}") for r in open_evidence_requests(case)], common
            )
        else:  # pragma: no cover - every kind is listed above
            raise ValueError(item.kind)
        attrs[item.name] = field
    return type(f"{action.slug.title().replace('-', '')}Form", (GDSFormMixin, forms.Form), attrs)
