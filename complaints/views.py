"""Complaints and information governance pages: queues, item pages with timelines and changes, and
the access-checked download of subject access exports."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView

from regulator.errors import DomainError
from regulator.pages import ItemPage, QueuePage, timeline_items
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
        messages.success(self.request, f"{obj.reference} recorded")
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
        )
        return context

    def timeline(self, obj):
        return timeline_items(selectors.request_events(obj))

    def available_actions(self, r):
        if r.status != InformationRequest.Status.OPEN:
            return {}
        actions = {}
        if r.kind == InformationRequest.Kind.SAR and not r.extended:
            actions["extend"] = forms.ExtendForm
        if r.kind == InformationRequest.Kind.SAR and r.registrant_id:
            actions["export"] = forms.ExportForm
        actions["close"] = forms.CloseRequestForm
        return actions

    def perform(self, name, r, data):
        user = self.request.user
        if name == "extend":
            services.subject_access_request_extend(request=r, actor=user, **data)
            return "Deadline extended by two months"
        if name == "export":
            services.subject_access_export_request(request=r, actor=user)
            return "Export queued: it appears below when ready"
        services.information_request_close(request=r, actor=user, **data)
        return "Request closed"


class ExportDownloadView(RoleRequiredMixin, View):
    """The only way to a subject access export file: complaints officers, audited."""

    required_roles = OFFICER

    def get(self, request, pk):
        export = get_object_or_404(
            SubjectAccessExport.objects.select_related("request"), pk=pk, status=SubjectAccessExport.Status.READY
        )
        path = services.subject_access_export_note_download(export=export, actor=request.user)
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            content_type="application/json",
            filename=f"subject-access-{export.request.reference}.json",
        )
