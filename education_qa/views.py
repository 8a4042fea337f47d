"""Education QA pages: officers' queues and item pages (with their timelines and changes), and the
provider's own monitoring returns. Every change calls the same service as the API."""

from functools import partial

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from regulator.errors import DomainError
from regulator.pages import Column, ItemPage, QueuePage, timeline_items
from regulator.permissions import RoleRequiredMixin
from regulator.roles import Role
from regulator.transitions import today as regulator_today

from . import forms, selectors, services
from .filters import (
    ApprovalRequestFilter,
    CourseConcernFilter,
    CourseFilter,
    CourseProviderFilter,
    EnquiryFilter,
    MonitoringReturnFilter,
)
from .models import (
    APPROVED_STATUSES,
    OPEN_REQUEST_STATUSES,
    ApprovalRequest,
    Course,
    CourseStatus,
    Enquiry,
    InspectionTeamMember,
    MonitoringCycle,
    MonitoringReturn,
)

OFFICER = (Role.EDUCATION_QA_OFFICER,)
PROVIDER = (Role.EDUCATION_PROVIDER,)


class OfficerQueue(QueuePage):
    required_roles = OFFICER


class CourseQueue(OfficerQueue):
    template_name = "education_qa/course_queue.html"
    filterset_class = CourseFilter
    title = "Courses"
    columns = (
        Column("Course", ("name",)),
        Column("Provider", ("provider__name", "name")),
        Column("Level and mode", ("qualification_level", "mode")),
        Column("Places", ("places",), numeric=True),
        Column("Status", ("status",)),
        Column("Reapproval due", ("approved_on",)),  # due a fixed cycle after the approval: same order
        Column("Open conditions", ("open_conditions",), numeric=True),
    )

    def get_queryset(self):
        return selectors.courses_list()

    def rows(self, page):
        from regulator.transitions import today

        on = today()
        for course in page:
            course.reapproval_due_on = services.reapproval_due_on(course)
            course.reapproval_overdue = bool(course.reapproval_due_on and course.reapproval_due_on < on)
        return page


class CoursePage(ItemPage):
    required_roles = OFFICER
    template_name = "education_qa/course.html"

    def get_object(self):
        return get_object_or_404(selectors.courses_list(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        course = kwargs["object"]
        context.update(
            heading=course.name,
            caption=course.provider.name,
            back_url=reverse("education:courses"),
            reapproval_due_on=services.reapproval_due_on(course),
            reapproval_overdue=bool(
                services.reapproval_due_on(course) and services.reapproval_due_on(course) < regulator_today()
            ),
            today=regulator_today(),
            requests=course.approval_requests.all(),
            conditions=course.conditions.all(),
            changes=course.changes.all(),
        )
        return context

    def timeline(self, obj):
        return timeline_items(selectors.events_for(course=obj))

    def available_actions(self, course):
        actions = {}
        if course.open_requests == 0 and course.status != CourseStatus.HISTORIC:
            actions["request_approval"] = forms.RequestApprovalForm
        if course.status in APPROVED_STATUSES:
            actions["propose_change"] = forms.ProposeChangeForm
            actions["withdraw_approval"] = forms.WithdrawApprovalForm
        if course.changes.filter(status="received").exists():
            actions["decide_change"] = partial(forms.DecideChangeForm, course=course)
        if course.status in (*APPROVED_STATUSES, CourseStatus.WITHDRAWN):
            actions["make_historic"] = forms.MakeHistoricForm
        return actions

    def perform(self, name, course, data):
        user, version = self.request.user, data.pop("version", None)
        if name == "request_approval":
            services.approval_request_receive(course=course, actor=user, **data)
            return "The request for approval is recorded."
        if name == "propose_change":
            services.course_change_receive(course=course, actor=user, **data)
            return "The proposed change is recorded."
        if name == "decide_change":
            services.course_change_decide(actor=user, **data)
            return "The change is decided."
        if name == "withdraw_approval":
            services.course_withdraw_approval(course=course, actor=user, version=version, **data)
            return "The course's approval is withdrawn."
        services.course_make_historic(course=course, actor=user, version=version, **data)
        return "The course is now historic."


class ProviderQueue(OfficerQueue):
    template_name = "education_qa/provider_queue.html"
    filterset_class = CourseProviderFilter
    title = "Course providers"

    def get_queryset(self):
        return selectors.providers_list()


class CourseProposeView(RoleRequiredMixin, FormView):
    required_roles = OFFICER
    template_name = "education_qa/form.html"
    form_class = forms.CourseProposeForm
    extra_context = {"heading": "Record a proposed course"}

    def form_valid(self, form):
        try:
            course = services.course_propose(actor=self.request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=error.status_code)
        messages.success(self.request, "The course is recorded: it now needs a request for approval.")
        return redirect("education:course", pk=course.pk)


class ApprovalRequestQueue(OfficerQueue):
    template_name = "education_qa/approval_request_queue.html"
    filterset_class = ApprovalRequestFilter
    title = "Approval and reapproval requests"

    def get_queryset(self):
        return selectors.approval_requests_list()


class ApprovalRequestPage(ItemPage):
    required_roles = OFFICER
    template_name = "education_qa/approval_request.html"

    def get_object(self):
        return get_object_or_404(selectors.approval_requests_list(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        req = kwargs["object"]
        inspection = getattr(req, "inspection", None)
        context.update(
            heading=f"{req.get_kind_display()} of {req.course.name}",
            caption=req.course.provider.name,
            back_url=reverse("education:requests"),
            inspection=inspection,
            team=inspection.team.all() if inspection else [],
            conditions=req.conditions.all(),
        )
        return context

    def timeline(self, obj):
        return timeline_items(selectors.events_for(approval_request=obj))

    def available_actions(self, req):
        S = ApprovalRequest.Status
        step = {
            S.RECEIVED: {"documentary_review": forms.DocumentaryReviewForm},
            S.DOCUMENTARY_REVIEW_COMPLETE: {"schedule_inspection": forms.ScheduleInspectionForm},
            S.INSPECTION_SCHEDULED: {"record_inspection": forms.RecordInspectionForm},
            S.INSPECTED: {"decide": forms.DecideForm},
        }.get(req.status, {})
        actions = dict(step)
        if req.status in OPEN_REQUEST_STATUSES:
            actions["withdraw"] = forms.WithdrawRequestForm
        if req.conditions.filter(status="open").exists():
            actions["decide_condition"] = partial(forms.DecideConditionForm, approval_request=req)
        return actions

    def perform(self, name, req, data):
        user, version = self.request.user, data.pop("version", None)
        if name == "documentary_review":
            services.approval_request_complete_documentary_review(
                approval_request=req, actor=user, version=version, **data
            )
            return "The documentary review is complete."
        if name == "schedule_inspection":
            R = InspectionTeamMember.Role
            team = [
                (data[key], role)
                for key, role in (
                    ("lead", R.LEAD),
                    ("officer", R.EDUCATION_QA_OFFICER),
                    ("registrant_inspector", R.REGISTRANT_INSPECTOR),
                    ("lay_inspector", R.LAY_INSPECTOR),
                )
                if data.get(key)
            ]
            services.inspection_schedule(
                approval_request=req,
                actor=user,
                version=version,
                mode=data["mode"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                team=team,
            )
            return "The inspection is scheduled."
        if name == "record_inspection":
            services.inspection_record_conducted(approval_request=req, actor=user, version=version, **data)
            return "The inspection is recorded."
        if name == "decide":
            services.approval_request_decide(
                approval_request=req,
                actor=user,
                version=version,
                outcome=data["outcome"],
                conditions=forms.DecideForm.conditions(data),
                on=data.get("on"),
                reason=data.get("reason", ""),
            )
            return "Outcome recorded: the course's status is updated."
        if name == "decide_condition":
            services.condition_decide(actor=user, **data)
            return "The decision on the condition is recorded."
        services.approval_request_withdraw(approval_request=req, actor=user, version=version, **data)
        return "The request is withdrawn."


class EnquiryQueue(OfficerQueue):
    template_name = "education_qa/enquiry_queue.html"
    filterset_class = EnquiryFilter
    title = "Enquiries"

    def get_queryset(self):
        return selectors.enquiries_list()


class ConcernQueue(OfficerQueue):
    template_name = "education_qa/concern_queue.html"
    filterset_class = CourseConcernFilter
    title = "Concerns about courses"

    def get_queryset(self):
        return selectors.concerns_list()


class EnquiryPage(ItemPage):
    required_roles = OFFICER
    template_name = "education_qa/enquiry.html"

    def get_object(self):
        return get_object_or_404(selectors.enquiries_list(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(heading=kwargs["object"].subject, caption="Enquiry", back_url=reverse("education:enquiries"))
        return context

    def timeline(self, obj):
        return timeline_items(selectors.events_for(enquiry=obj))

    def available_actions(self, obj):
        return {"close": forms.CloseEnquiryForm} if obj.status == Enquiry.Status.OPEN else {}

    def perform(self, name, obj, data):
        services.enquiry_close(enquiry=obj, actor=self.request.user, **data)
        return "The enquiry is closed."


class ConcernPage(ItemPage):
    required_roles = OFFICER
    template_name = "education_qa/concern.html"

    def get_object(self):
        return get_object_or_404(selectors.concerns_list(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        concern = kwargs["object"]
        context.update(
            heading=f"Concern about {concern.course.name}",
            caption=concern.course.provider.name,
            back_url=reverse("education:concerns"),
        )
        return context

    def timeline(self, obj):
        return timeline_items(selectors.events_for(concern=obj))

    def available_actions(self, obj):
        return {"close": forms.CloseConcernForm} if obj.status == "open" else {}

    def perform(self, name, obj, data):
        services.concern_close(concern=obj, actor=self.request.user, **data)
        return "The concern is closed."


class _CreateView(RoleRequiredMixin, FormView):
    required_roles = OFFICER
    template_name = "education_qa/form.html"

    def form_valid(self, form):
        try:
            self.create(form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=error.status_code)
        messages.success(self.request, self.done)
        return redirect(self.next_url)


class ProviderCreateView(_CreateView):
    form_class = forms.ProviderForm
    extra_context = {"heading": "Add a course provider"}
    done, next_url = "Provider added", "education:providers"

    def create(self, data):
        services.provider_create(actor=self.request.user, **data)


class EnquiryCreateView(_CreateView):
    form_class = forms.EnquiryForm
    extra_context = {"heading": "Record an enquiry"}
    done, next_url = "Enquiry recorded", "education:enquiries"

    def create(self, data):
        services.enquiry_receive(actor=self.request.user, **data)


class ConcernCreateView(_CreateView):
    form_class = forms.ConcernForm
    extra_context = {"heading": "Record a concern about a course"}
    done, next_url = "Concern recorded", "education:concerns"

    def create(self, data):
        services.concern_receive(actor=self.request.user, **data)


class MonitoringQueue(OfficerQueue):
    """Officers: every return, with the cycle's actions (open a year, chase the missing)."""

    template_name = "education_qa/monitoring_queue.html"
    filterset_class = MonitoringReturnFilter
    title = "Annual monitoring returns"

    def get_queryset(self):
        return selectors.monitoring_returns_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycles = MonitoringCycle.objects.annotate(
            awaited=Count("returns", filter=Q(returns__status=MonitoringReturn.Status.AWAITED)),
            total=Count("returns"),
        ).order_by("-year")
        context["cycles"] = cycles
        context["open_form"] = kwargs.get("open_form") or forms.OpenCycleForm(name="open_cycle")
        return context

    def post(self, request, *args, **kwargs):
        if "chase-cycle" in request.POST:
            chosen = forms.ChaseCycleForm({"cycle": request.POST["chase-cycle"]})
            if not chosen.is_valid():
                raise Http404("No such monitoring cycle")
            cycle = get_object_or_404(MonitoringCycle, pk=chosen.cleaned_data["cycle"])
            chased = services.monitoring_returns_chase(cycle=cycle, actor=request.user)
            messages.success(
                request, f"{chased} provider{'s were' if chased != 1 else ' was'} sent a reminder by email."
            )
            return redirect("education:monitoring")
        form = forms.OpenCycleForm(request.POST, name="open_cycle")
        if form.is_valid():
            try:
                cycle = services.monitoring_cycle_open(
                    actor=request.user, year=form.cleaned_data["year"], due_on=form.cleaned_data["due_on"]
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                return self.render_to_response(self.get_context_data(open_form=form), status=error.status_code)
            messages.success(request, f"The {cycle} cycle is open: {cycle.returns.count()} returns are awaited.")
            return redirect("education:monitoring")
        return self.render_to_response(self.get_context_data(open_form=form), status=400)


class ReturnPage(ItemPage):
    """A return: the officer reviews it; the provider (its own courses only) submits it."""

    template_name = "education_qa/return.html"
    required_roles = OFFICER

    def queryset(self):
        return selectors.monitoring_returns_list()

    def get_object(self):
        return get_object_or_404(self.queryset(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ret = kwargs["object"]
        context.update(
            heading=ret.course.name, caption=f"{ret.cycle} · {ret.course.provider.name}", back_url=self.back_url()
        )
        return context

    def back_url(self):
        return reverse("education:monitoring")

    def timeline(self, obj):
        return timeline_items(selectors.events_for(monitoring_return=obj))

    def available_actions(self, obj):
        return {"review": forms.ReviewReturnForm} if obj.status == MonitoringReturn.Status.SUBMITTED else {}

    def perform(self, name, obj, data):
        services.monitoring_return_review(monitoring_return=obj, actor=self.request.user, **data)
        return "The review of the return is recorded."


class ProviderReturnQueue(QueuePage):
    required_roles = PROVIDER
    template_name = "education_qa/provider_returns.html"
    filterset_class = MonitoringReturnFilter
    title = "Your annual monitoring returns"

    def get_queryset(self):
        provider = selectors.provider_for_user(self.request.user)
        if provider is None:
            return MonitoringReturn.objects.none()
        return selectors.monitoring_returns_list(provider=provider)


class ProviderReturnPage(ReturnPage):
    required_roles = PROVIDER

    def queryset(self):
        provider = selectors.provider_for_user(self.request.user)
        if provider is None:
            raise Http404("No provider")
        return selectors.monitoring_returns_list(provider=provider)

    def back_url(self):
        return reverse("provider:returns")

    def available_actions(self, obj):
        return {"submit": forms.SubmitReturnForm} if obj.status == MonitoringReturn.Status.AWAITED else {}

    def perform(self, name, obj, data):
        services.monitoring_return_submit(
            monitoring_return=obj, actor=self.request.user, on=timezone.localdate(), **data
        )
        return "Return submitted. Thank you."


class ProviderCourseQueue(QueuePage):
    """A provider's own courses, their approval and reapproval, and conditions (decision 0304: another
    provider's courses are never listed, and their pages are 404)."""

    required_roles = PROVIDER
    template_name = "education_qa/provider_courses.html"
    filterset_class = CourseFilter
    title = "Your courses"

    def get_queryset(self):
        provider = selectors.provider_for_user(self.request.user)
        if provider is None:
            return Course.objects.none()
        return selectors.courses_list().filter(provider=provider)

    def rows(self, page):
        on = regulator_today()
        for course in page:
            course.reapproval_due_on = services.reapproval_due_on(course)
            course.reapproval_overdue = bool(course.reapproval_due_on and course.reapproval_due_on < on)
        return page


class ProviderCoursePage(RoleRequiredMixin, TemplateView):
    """One of the provider's own courses: its approvals (requests and outcomes) and conditions, read only."""

    required_roles = PROVIDER
    template_name = "education_qa/provider_course.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        provider = selectors.provider_for_user(self.request.user)
        if provider is None:
            raise Http404("No provider")
        course = get_object_or_404(selectors.courses_list().filter(provider=provider), pk=kwargs["pk"])
        due = services.reapproval_due_on(course)
        context.update(
            course=course,
            reapproval_due_on=due,
            reapproval_overdue=bool(due and due < regulator_today()),
            today=regulator_today(),
            requests=course.approval_requests.order_by("-received_on", "-id"),
            conditions=course.conditions.all(),
        )
        return context
