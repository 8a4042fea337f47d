"""FTP pages: the public concern form, pre-triage, the queues, the case and its actions, letters.

Views parse, check access and call the same services (and actions.py) as the API."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_http_methods

from registration.models import RegisterEntry
from registration.selectors import SearchError, parse_registration_number, parse_search, register_search
from regulator import timers
from regulator.errors import DomainError
from regulator.permissions import RoleRequiredMixin
from regulator.roles import FTP_ROLES, Role

from . import selectors, services
from .actions import ACTIONS_BY_SLUG, DONE, actions_for
from .api.views import concern_matches
from .clocks import clocks_from_events, running_clocks
from .concern_limits import concern_limit_reached, concern_sent
from .filters import CaseQueueFilter
from .forms import CloseConcernForm, ConcernForm, IdentifyForm, StaffConcernForm, action_form_class
from .models import Attachment, FitnessToPractiseCase, ReceivedVia, Stage, State
from .pagination import IdFirstPaginator
from .timeline import timeline_items

QUEUE_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def _page(request, queryset, per_page=QUEUE_PAGE_SIZE, paginator_class=Paginator):
    try:
        per_page = max(1, min(int(request.GET.get("page_size", per_page)), MAX_PAGE_SIZE))
    except ValueError:
        per_page = QUEUE_PAGE_SIZE
    paginator = paginator_class(queryset, per_page)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def _add_errors(form, error: DomainError):
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- Raising a concern ---


@require_http_methods(["GET", "POST"])
def concern_raise_page(request):
    """The public form: no account. Sent concerns are limited per sender and address
    (fitness_to_practise.concern_limits); size and type limited uploads."""
    if request.method == "POST":
        form = ConcernForm(request.POST, request.FILES)
        if concern_limit_reached(request, request.POST):
            # Keep what was typed (files cannot be kept by a browser) and say how else to reach us.
            return render(
                request, "fitness_to_practise/concern_raise.html", {"form": form, "limited": True}, status=429
            )
        if form.is_valid():
            data = dict(form.cleaned_data)
            attachments = data.pop("attachments", [])
            try:
                concern = services.concern_raise(**data, attachments=attachments, received_via=ReceivedVia.ONLINE)
            except DomainError as error:
                _add_errors(form, error)
            else:
                concern_sent(request, request.POST)
                request.session["ftp_concern_reference"] = concern.reference
                return redirect("fitness_to_practise:concern-received")
    else:
        form = ConcernForm()
    return render(request, "fitness_to_practise/concern_raise.html", {"form": form})


def concern_received_page(request):
    reference = request.session.pop("ftp_concern_reference", None)
    if not reference:
        return redirect("fitness_to_practise:concern-raise")
    return render(request, "fitness_to_practise/concern_received.html", {"reference": reference})


class HandlerPage(RoleRequiredMixin, View):
    required_roles = (Role.FTP_CASE_HANDLER,)


class FTPPage(RoleRequiredMixin, View):
    required_roles = tuple(FTP_ROLES)


class StaffConcernPage(HandlerPage):
    template = "fitness_to_practise/concern_staff.html"

    def get(self, request):
        return render(request, self.template, {"form": StaffConcernForm()})

    def post(self, request):
        form = StaffConcernForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            attachments = data.pop("attachments", [])
            try:
                concern = services.concern_raise(**data, attachments=attachments, actor=request.user)
            except DomainError as error:
                _add_errors(form, error)
            else:
                messages.success(request, f"Concern {concern.reference} recorded.")
                return redirect("fitness_to_practise:concern", pk=concern.pk)
        return render(request, self.template, {"form": form})


# --- Pre-triage ---


class ConcernQueuePage(HandlerPage):
    def get(self, request):
        page, query = _page(request, selectors.concern_queue().order_by("received_at", "id"))
        return render(
            request,
            "fitness_to_practise/concern_queue.html",
            {"page_obj": page, "query_without_page": query, "today": timezone.localdate()},
        )


class ConcernPage(HandlerPage):
    template = "fitness_to_practise/concern.html"

    def _context(self, request, concern, **extra):
        q = request.GET.get("q")
        town = request.GET.get("town", "")
        search_error = None
        if q is not None:
            try:
                matches = register_search(parse_search(q, town))[:20]
            except SearchError as error:
                matches, search_error = [], error
        else:
            matches = concern_matches(concern)[:20]
        open_cases = {}
        entries = list(matches)
        for case in FitnessToPractiseCase.objects.filter(entry__in=entries).exclude(state=State.CLOSED):
            open_cases.setdefault(case.entry_id, []).append(case)
        for entry in entries:
            entry.open_ftp_cases = open_cases.get(entry.pk, [])
        return {
            "concern": concern,
            "matches": entries,
            "search_error": search_error,
            "q": q if q is not None else concern.social_worker_number or concern.social_worker_name,
            "town": town if q is not None else concern.social_worker_town,
            "close_form": extra.get("close_form") or CloseConcernForm(initial={"version": concern.version}),
            "identify_error": extra.get("identify_error"),
        }

    def get(self, request, pk):
        concern = selectors.concern_detail(pk)
        return render(request, self.template, self._context(request, concern))

    def post(self, request, pk):
        concern = selectors.concern_detail(pk)
        if "close" in request.POST:
            form = CloseConcernForm(request.POST)
            if form.is_valid():
                try:
                    services.concern_close_not_registered(
                        concern_id=pk,
                        version=form.cleaned_data["version"],
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except DomainError as error:
                    _add_errors(form, error)
                else:
                    messages.success(request, f"Concern {concern.reference} closed.")
                    return redirect("fitness_to_practise:concerns")
            return render(request, self.template, self._context(request, concern, close_form=form), status=400)
        form = IdentifyForm(request.POST)
        problem = "Choose the social worker."
        if form.is_valid():
            number = parse_registration_number(form.cleaned_data["registration_number"])
            entry = RegisterEntry.objects.filter(registration_number=number).first() if number else None
            join = None
            if form.cleaned_data.get("join_case"):
                join = FitnessToPractiseCase.objects.filter(reference=form.cleaned_data["join_case"]).first()
            if entry is not None:
                try:
                    case = services.concern_identify_social_worker(
                        concern_id=pk,
                        version=form.cleaned_data["version"],
                        entry=entry,
                        actor=request.user,
                        join_case=join,
                        origin=form.cleaned_data["origin"],
                    )
                except DomainError as err:
                    problem = err.message
                else:
                    messages.success(request, f"Social worker identified: case {case.reference}.")
                    return redirect("fitness_to_practise:case", pk=case.pk)
        return render(request, self.template, self._context(request, concern, identify_error=problem), status=400)


# --- Queues and cases ---


SORTABLE = [("reference", "Case"), ("stage_started", "At this stage since"), ("risk", "Risk")]


def _state_counts(user):
    counts = selectors.stage_counts(user)
    return [(value, label, counts.get(value, 0)) for value, label in State.choices if value != State.CLOSED]


class CaseQueuePage(FTPPage):
    def get(self, request):
        cases = selectors.case_queue(request.user)
        if request.GET.get("stage") != Stage.CLOSED and not request.GET.getlist("state"):
            cases = cases.exclude(state=State.CLOSED)
        filters = CaseQueueFilter(request.GET or None, queryset=cases, request=request)
        results = filters.qs if filters.is_bound else cases
        page, query = _page(request, results, paginator_class=IdFirstPaginator)
        today = timezone.localdate()
        rows = [(case, running_clocks(case, today=today)) for case in page.object_list]
        params = request.GET.copy()
        params.pop("ordering", None)
        params.pop("page", None)
        current = request.GET.get("ordering", "")
        columns = []
        for key, label in SORTABLE:
            direction = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
            target = f"-{key}" if current == key else key
            columns.append({"label": label, "url": f"?{params.urlencode()}&ordering={target}", "aria_sort": direction})
        return render(
            request,
            "fitness_to_practise/case_queue.html",
            {
                "filter": filters,
                "page_obj": page,
                "rows": rows,
                "query_without_page": query,
                "columns": columns,
                "state_counts": _state_counts(request.user),
                "can_assign": ACTIONS_BY_SLUG["assign"].can(request.user),
            },
        )


class CasePage(FTPPage):
    def get(self, request, pk):
        case = selectors.case_detail(request.user, pk)
        today = timezone.localdate()
        timeline = timeline_items(case.timeline)
        return render(
            request,
            "fitness_to_practise/case.html",
            {
                "case": case,
                "timeline": timeline,
                "clocks": clocks_from_events(case.timeline, origin=case.origin, today=today),
                "work_timers": timers.timers_for_item("fitness_to_practise.case", case.pk),
                "actions": actions_for(request.user, case),
                "orders_in_force": [
                    o for o in case.orders.all() if o.starts_on <= today and (o.ends_on is None or o.ends_on > today)
                ],
                "today": today,
            },
        )


class CaseActionPage(FTPPage):
    template = "fitness_to_practise/case_action.html"

    def _setup(self, request, pk, slug):
        action = ACTIONS_BY_SLUG.get(slug)
        if action is None:
            raise Http404("No such action")
        case = selectors.case_detail(request.user, pk)
        if not action.can(request.user):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return action, case, action_form_class(action, case)

    def get(self, request, pk, slug):
        action, case, form_class = self._setup(request, pk, slug)
        if not action.applies_to(case):
            # Offered only when it can apply (a stale link, a second tab): say why, on the case.
            messages.error(request, f"{action.label} cannot be done on case {case.reference} now.")
            return redirect("fitness_to_practise:case", pk=pk)
        form = form_class(initial={"version": case.version})
        return render(request, self.template, {"case": case, "action": action, "form": form})

    def post(self, request, pk, slug):
        action, case, form_class = self._setup(request, pk, slug)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    action.call(case, request.user, form.cleaned_data)
            except DomainError as error:
                _add_errors(form, error)
                return render(
                    request, self.template, {"case": case, "action": action, "form": form}, status=error.status_code
                )
            messages.success(request, DONE[action.slug])
            next_url = request.POST.get("next", "")
            queue = reverse("fitness_to_practise:cases")
            if next_url == queue or next_url.startswith(f"{queue}?"):
                return redirect(next_url)  # back to the queue with its filters (only that page)
            return redirect("fitness_to_practise:case", pk=pk)
        return render(request, self.template, {"case": case, "action": action, "form": form}, status=400)


class DocumentDownload(FTPPage):
    """Documents live under MEDIA_ROOT (outside the web root): served only here, to who may see the case."""

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment, pk=pk)
        if not selectors.document_visible_to(request.user, attachment):
            raise Http404("No such document")
        response = FileResponse(
            attachment.file.open("rb"),
            content_type=attachment.content_type,
            as_attachment=True,
            filename=attachment.original_name,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class LettersPage(RoleRequiredMixin, View):
    required_roles = (Role.REGISTRANT,)

    def get(self, request):
        # One list of everything sent to the person lives on their account (registration.account.everything_sent).
        return redirect(reverse("account:home") + "#letters")
