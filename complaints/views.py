"""Complaints and information governance pages: queues, item pages with timelines and changes, and
the access-checked download of subject access exports."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView

from regulator import timers
from regulator.errors import DomainError
from regulator.pages import Column, ItemPage, QueuePage, timeline_items
from regulator.permissions import RoleRequiredMixin
from regulator.roles import Role

from . import forms, selectors, services
from .filters import ComplaintFilter, InformationRequestFilter
from .models import Complaint, InformationRequest, SubjectAccessExport

OFFICER = (Role.COMPLAINTS_OFFICER,)


class ComplaintQueue(QueuePage):
    required_roles = OFFICER
    template_name = "complaints/complaint_queue.html"
    filterset_class = ComplaintFilter
    title = "Complaints"
    columns = (
        Column("Reference", ("reference",)),
        Column("Received", ("received_on",)),
        Column("Complainant", ("complainant_name",)),
        Column("About", ("category",)),
        Column("Stage", ("stage",)),
        Column("Status", ("status",)),
        Column("Assigned to", ("assigned_to__first_name", "assigned_to__last_name")),
        Column("Due", ("stage_started_on",)),  # 20 working days from the stage's start: the same order
    )

    def get_queryset(self):
        return selectors.complaints_list()

    def rows(self, page):
        today = timezone.localdate()
        return [selectors.with_clock(c, today) for c in page]


class ComplaintPage(ItemPage):
    required_roles = OFFICER
    template_name = "complaints/complaint.html"

    def get_object(self):
        return selectors.with_clock(
            get_object_or_404(selectors.complaints_list(), pk=self.kwargs["pk"]), timezone.localdate()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        c = kwargs["object"]
        context.update(heading=c.reference, caption=c.get_category_display(), back_url=reverse("complaints:complaints"))
        context["work_timers"] = timers.timers_for_item("complaints.complaint", c.pk)
        return context

    def timeline(self, obj):
        return timeline_items(
            selectors.complaint_events(obj), title=lambda e: f"{e.get_kind_display()} (stage {e.stage})"
        )

    def available_actions(self, c):
        S = Complaint.Status
        actions = {}
        if c.status in (S.RECEIVED, S.ASSIGNED):
            actions["assign"] = forms.AssignForm
        if c.status == S.ASSIGNED:
            actions["respond"] = forms.RespondForm
        if c.status == S.RESPONDED:
            actions["close"] = forms.CloseForm
        if c.stage == 1 and c.status in (S.RESPONDED, S.CLOSED):
            actions["escalate"] = forms.EscalateForm
        return actions

    def perform(self, name, c, data):
        user = self.request.user
        service = {
            "assign": services.complaint_assign,
            "respond": services.complaint_respond,
            "close": services.complaint_close,
            "escalate": services.complaint_escalate,
        }[name]
        service(complaint=c, actor=user, **data)
        return {
            "assign": "Complaint assigned",
            "respond": "Response recorded",
            "close": "Complaint closed",
            "escalate": "Complaint escalated to stage 2",
        }[name]


class _CreateView(RoleRequiredMixin, FormView):
    required_roles = OFFICER
    template_name = "complaints/form.html"

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        data["registrant"] = data.pop("registration_number")
        try:
            obj = self.create(data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=error.status_code)
        messages.success(self.request, f"{obj.reference} is recorded.")
        return redirect(self.next_url, pk=obj.pk)


class ComplaintCreateView(_CreateView):
    form_class = forms.ComplaintForm
    extra_context = {"heading": "Record a complaint about the regulator"}
    next_url = "complaints:complaint"

    def create(self, data):
        return services.complaint_receive(actor=self.request.user, **data)


class InformationRequestQueue(QueuePage):
    required_roles = OFFICER
    template_name = "complaints/request_queue.html"
    filterset_class = InformationRequestFilter
    title = "Information requests"
    columns = (
        Column("Reference", ("reference",)),
        Column("Received", ("received_on",)),
        Column("Requester", ("requester_name",)),
        Column("Status", ("status",)),
        Column("Due"),  # from the kind, the received date and any extension: not one column to sort by
    )

    def get_queryset(self):
        return selectors.information_requests_list()

    def rows(self, page):
        today = timezone.localdate()
        return [selectors.with_deadline(r, today) for r in page]


class InformationRequestCreateView(_CreateView):
    form_class = forms.InformationRequestForm
    extra_context = {"heading": "Record an FOI or subject access request"}
    next_url = "complaints:request"

    def create(self, data):
        return services.information_request_receive(actor=self.request.user, **data)


def _request_event_title(event) -> str:
    if event.kind == "extended" and event.detail.startswith("s."):
        return "Deadline extended by 20 working days (public interest test)"
    return event.get_kind_display()


def _request_event_detail(event) -> str:
    """The closing outcome and any exemptions, or the exemption considered, in words (never "withheld:s.40")."""
    from .foi import describe

    outcome, _, codes = event.detail.partition(":")
    if event.kind == "closed" and outcome in InformationRequest.Outcome.values:
        words = InformationRequest.Outcome(outcome).label
        return f"{words}. Exemptions: {describe(codes)}" if codes else words
    if event.kind == "extended" and event.detail.startswith("s."):
        return f"Exemption considered: {describe(event.detail)}"
    return event.detail


class InformationRequestPage(ItemPage):
    required_roles = OFFICER
    template_name = "complaints/request.html"

    def get_object(self):
        return selectors.with_deadline(
            get_object_or_404(selectors.information_requests_list(), pk=self.kwargs["pk"]), timezone.localdate()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        r = kwargs["object"]
        context.update(
            heading=r.reference,
            caption=r.get_kind_display(),
            back_url=reverse("complaints:requests"),
            exports=selectors.exports_list().filter(request=r),
            work_timers=timers.timers_for_item("complaints.information_request", r.pk),
        )
        return context

    def timeline(self, obj):
        return timeline_items(selectors.request_events(obj), title=_request_event_title, detail=_request_event_detail)

    def available_actions(self, r):
        if r.status != InformationRequest.Status.OPEN:
            return {}
        actions = {}
        if r.kind == InformationRequest.Kind.SAR and not r.extended:
            actions["extend"] = forms.ExtendForm
        if r.kind == InformationRequest.Kind.FOI and not r.extended:
            actions["public_interest"] = forms.PublicInterestExtendForm
        if r.kind == InformationRequest.Kind.SAR and r.registrant_id:
            actions["export"] = forms.ExportForm
        actions["close"] = forms.CloseRequestForm
        return actions

    def perform(self, name, r, data):
        user = self.request.user
        if name == "extend":
            services.subject_access_request_extend(request=r, actor=user, **data)
            return "The deadline is extended by two months (complex request)."
        if name == "public_interest":
            services.foi_public_interest_extend(request=r, actor=user, **data)
            return "The deadline is extended by 20 working days for the public interest test."
        if name == "export":
            services.subject_access_export_request(request=r, actor=user)
            return "The export is queued: it appears below when it is ready."
        services.information_request_close(request=r, actor=user, **data)
        return "The request is closed."


class ExportDownloadView(RoleRequiredMixin, View):
    """The only way to a subject access export file: complaints officers, audited."""

    required_roles = OFFICER

    def get(self, request, pk):
        export = get_object_or_404(
            SubjectAccessExport.objects.select_related("request"), pk=pk, status=SubjectAccessExport.Status.READY
        )
        file = services.subject_access_export_note_download(export=export, actor=request.user)
        return FileResponse(
            file,
            as_attachment=True,
            content_type="application/json",
            filename=f"subject-access-{export.request.reference}.json",
        )
