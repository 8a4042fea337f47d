"""Registration work pages: the registrant's account (sign up, record, CPD, renewal, documents)
and the officer's application queue and application page. They call the same services as the API."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.timezone import now as timezone_now
from django.views import View

from regulator import timers
from regulator.errors import DomainError
from regulator.models import User
from regulator.permissions import RoleRequiredMixin
from regulator.roles import Role, has_role

from . import services
from .account import my_record
from .filters import ApplicationQueueFilter
from .forms import (
    AnswerForm,
    AppealDecisionForm,
    AppealForm,
    AppealHearingForm,
    ApplicationAnswersForm,
    ApplyForm,
    CallsImportForm,
    CPDRecordForm,
    DocumentForm,
    EmailEnquiryForm,
    EmailsImportForm,
    GDSPasswordResetForm,
    GDSSetPasswordForm,
    MisuseOfTitleOpenForm,
    PayForm,
    ReasonForm,
    RecordActionForm,
    RenewalForm,
    SignUpForm,
    TemporaryRegisterAddForm,
    TemporaryRegisterRemoveForm,
)
from .models import ApplicationDocument, Renewal
from .selectors import (
    ApplicationQueue,
    application_course_check,
    application_with_clock,
    applications_for_queue,
    registrant_for_user,
)

QUEUE_PAGE_SIZE = 25


def gds_filter_form(form):
    """Give django-filter's widgets the GOV.UK classes (the filters are a plain GET form)."""
    from django import forms as django_forms

    for field in form.fields.values():
        widget = field.widget
        css = "govuk-select" if isinstance(widget, django_forms.Select) else "govuk-input"
        widget.attrs.setdefault("class", css)
    return form


def _error_into_form(form, error: DomainError | ValidationError):
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        name = getattr(error, "field", None)
        form.add_error(name if name in form.fields else None, getattr(error, "message", str(error)))


class SignUpView(View):
    """Create an account: the answer is "check your email" whether or not the address has an account
    (the email says which); the account is usable once the link in it is followed."""

    template = "registration/account/sign_up.html"

    def get(self, request):
        return render(request, self.template, {"form": SignUpForm()})

    def post(self, request):
        form = SignUpForm(request.POST)
        if form.is_valid():
            try:
                services.registrant_sign_up(**form.cleaned_data)
            except DomainError as error:
                _error_into_form(form, error)
            else:
                request.session["sign_up_email"] = form.cleaned_data["email"].strip().lower()
                return redirect("account:sign_up_sent")
        return render(request, self.template, {"form": form})


class SignUpSentView(View):
    def get(self, request):
        return render(
            request, "registration/account/sign_up_sent.html", {"email": request.session.get("sign_up_email", "")}
        )


class SignUpConfirmView(View):
    """The link in the confirmation email. Opening it shows a button; the account is confirmed by the
    POST, so a mail scanner that opens every link does not confirm it for the person."""

    template = "registration/account/sign_up_confirm.html"

    def _user(self, uidb64: str, token: str):
        from django.utils.http import urlsafe_base64_decode

        from regulator.models import User

        from .account_emails import sign_up_token

        try:
            pk = int(urlsafe_base64_decode(uidb64).decode())
        except (ValueError, TypeError, UnicodeDecodeError, OverflowError):
            return None
        user = User.objects.filter(pk=pk, is_active=False).first()
        return user if user is not None and sign_up_token.check_token(user, token) else None

    def get(self, request, uidb64: str, token: str):
        return render(request, self.template, {"valid": self._user(uidb64, token) is not None})

    def post(self, request, uidb64: str, token: str):
        user = self._user(uidb64, token)
        if user is None:
            return render(request, self.template, {"valid": False}, status=400)
        try:
            user = services.registrant_email_confirm(user=user)
        except DomainError:
            return render(request, self.template, {"valid": False}, status=409)
        login(request, user, backend="regulator.auth_backends.EmailOrUsernameBackend")
        request.session.pop("sign_up_email", None)
        messages.success(request, "Your account is ready.")
        return redirect("account:home")


class RegistrantMixin(RoleRequiredMixin):
    required_roles = (Role.REGISTRANT,)

    def registrant(self):
        registrant = registrant_for_user(self.request.user)
        if registrant is None:
            raise Http404("You have no registrant record.")
        return registrant


class AccountView(RegistrantMixin, View):
    def get(self, request):
        return render(request, "registration/account/home.html", my_record(self.registrant()))


class CPDRecordCreateView(RegistrantMixin, View):
    template = "registration/account/cpd_form.html"

    def get(self, request):
        return render(request, self.template, {"form": CPDRecordForm()})

    def post(self, request):
        form = CPDRecordForm(request.POST)
        if form.is_valid():
            try:
                services.cpd_record_add(registrant=self.registrant(), actor=request.user, **form.cleaned_data)
            except (DomainError, ValidationError) as error:
                _error_into_form(form, error)
            else:
                messages.success(request, "Your CPD record is saved.")
                return redirect("account:home")
        return render(request, self.template, {"form": form})


class RenewView(RegistrantMixin, View):
    template = "registration/account/renew.html"

    def get(self, request):
        return render(request, self.template, {"form": RenewalForm(), **my_record(self.registrant())})

    def post(self, request):
        registrant = self.registrant()
        form = RenewalForm(request.POST)
        if form.is_valid():
            try:
                renewal = services.renewal_submit(registrant=registrant, actor=request.user, **form.cleaned_data)
            except (DomainError, ValidationError) as error:
                _error_into_form(form, error)
            else:
                return redirect("account:renewed", pk=renewal.pk)
        return render(request, self.template, {"form": form, **my_record(registrant)})


class RenewedView(RegistrantMixin, View):
    def get(self, request, pk):
        renewal = get_object_or_404(
            Renewal.objects.select_related("entry"), pk=pk, entry__registrant__user=request.user
        )
        return render(request, "registration/account/renewed.html", {"renewal": renewal})


class DocumentDownloadView(View):
    """Evidence is served only through here: to the applicant who uploaded it and to officers."""

    def get(self, request, pk):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        documents = ApplicationDocument.objects.select_related("application__registrant")
        if not has_role(request.user, Role.REGISTRATION_OFFICER):
            documents = documents.filter(application__registrant__user=request.user)
        document = get_object_or_404(documents, pk=pk)
        response = FileResponse(document.file.open("rb"), content_type=document.content_type)
        response["Content-Disposition"] = f'attachment; filename="{document.stored_name}"'
        return response


class OfficerMixin(RoleRequiredMixin):
    required_roles = (Role.REGISTRATION_OFFICER,)


class ApplicationQueueView(OfficerMixin, View):
    def get(self, request):
        params = request.GET.copy()
        params.setdefault("status", "open")
        filterset = ApplicationQueueFilter(params, queryset=applications_for_queue(), request=request)
        gds_filter_form(filterset.form)
        overdue = {"true": True, "false": False}.get(request.GET.get("overdue", ""))
        sort = request.GET.get("sort", "timer" if request.GET.get("timer") else "received")
        queue = ApplicationQueue(filterset.qs, overdue=overdue, sort=sort)
        page = Paginator(queue, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        without_page = request.GET.copy()
        without_page.pop("page", None)
        officers = User.objects.filter(groups__name=Role.REGISTRATION_OFFICER, is_active=True).order_by("first_name")
        return render(
            request,
            "registration/officer/queue.html",
            {
                "filterset": filterset,
                "page_obj": page,
                "query_without_page": without_page.urlencode(),
                "officers": officers,
                "params": params,
            },
        )

    def post(self, request):
        """Bulk-assign the ticked applications: first a page that says what will happen, then on its
        confirmation the assignment; back to the queue with its filters either way."""
        filters = request.POST.get("filters", "")
        back = reverse("registration-work:queue") + (f"?{filters}" if filters else "")
        try:
            ids = sorted({int(i) for i in request.POST.getlist("applications")})
            officer = User.objects.get(
                pk=int(request.POST.get("officer", "0")), groups__name=Role.REGISTRATION_OFFICER, is_active=True
            )
        except (ValueError, User.DoesNotExist):
            messages.error(request, "Choose the applications and an officer to assign them to.")
            return redirect(back)
        if not ids:
            messages.error(request, "Choose at least one application.")
            return redirect(back)
        name = officer.get_full_name() or officer.get_username()
        if "confirmed" not in request.POST:
            chosen = applications_for_queue().filter(pk__in=ids).select_related("registrant", "assigned_to")
            return render(
                request,
                "registration/officer/bulk_assign_confirm.html",
                {"applications": chosen, "officer": officer, "officer_name": name, "filters": filters},
            )
        try:
            confirmed = int(request.POST.get("confirmed", ""))
            count = services.applications_bulk_assign(
                application_ids=ids, officer=officer, actor=request.user, confirmed=confirmed
            )
        except ValueError:
            messages.error(request, "Confirm the assignment on the page that lists the applications.")
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{count} application{'s are' if count != 1 else ' is'} now assigned to {name}.")
        return redirect(back)


DONE = {
    "approve": "approved",
    "refuse": "refused: the applicant can appeal",
    "request-information": "is waiting for the applicant: its clock is paused",
    "flag-for-investigation": "is flagged for investigation",
    "withdraw": "is withdrawn",
    "assign-to-me": "is assigned to you",
}
ACTIONS = {
    # action: (service, form label, button, needs a reason)
    "approve": (services.application_approve, None, "Approve", False),
    "refuse": (services.application_refuse, "Reasons for refusal", "Refuse", True),
    "request-information": (
        services.application_request_information,
        "What do you need from the applicant?",
        "Request information",
        True,
    ),
    "flag-for-investigation": (
        services.application_flag_for_investigation,
        "Why does it need investigation?",
        "Flag for investigation",
        True,
    ),
    "withdraw": (services.application_withdraw, "Why is it withdrawn?", "Mark as withdrawn", True),
    "assign-to-me": (services.application_assign, None, "Assign to me", False),
}


class ApplicationPageView(OfficerMixin, View):
    template = "registration/officer/application.html"

    def get(self, request, pk, forms=None):
        application = get_object_or_404(
            applications_for_queue().select_related(
                "registrant", "assigned_to", "payment", "approved_course__provider"
            ),
            pk=pk,
        )
        application = application_with_clock(application)
        events = [
            {
                "title": e.get_event_display(),
                "at": e.at,
                "actor": e.actor.get_full_name() if e.actor else "",
                "description": e.reason,
            }
            for e in application.events.select_related("actor").order_by("-at", "-id")
        ]
        forms = forms or {}
        action_forms = []
        for name, (_, label, button, needs_reason) in ACTIONS.items():
            if not needs_reason:
                continue
            form = forms.get(name) or ReasonForm(
                initial={"version": application.version}, label=label, submit=button, prefix=name
            )
            action_forms.append({"name": name, "button": button, "form": form})
        return render(
            request,
            self.template,
            {
                "application": application,
                "course_check": application_course_check(application),
                "events": events,
                "action_forms": action_forms,
                "version": application.version,
                "work_timers": timers.timers_for_item("registration.application", application.pk),
            },
        )

    def post(self, request, pk):
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404("No such action")
        application = get_object_or_404(applications_for_queue(), pk=pk)
        service, label, button, needs_reason = ACTIONS[action]
        kwargs = {"application": application, "actor": request.user}
        form = None
        if needs_reason:
            form = ReasonForm(request.POST, label=label, submit=button, prefix=action)
            if not form.is_valid():
                return self.get(request, pk, forms={action: form})
            version, reason = form.cleaned_data["version"], form.cleaned_data["reason"]
            kwargs["reasons" if action == "refuse" else "reason"] = reason
        else:
            try:
                version = int(request.POST.get("version", ""))
            except ValueError:
                version = -1
        kwargs["version"] = version
        if action == "assign-to-me":
            kwargs["officer"] = request.user
        try:
            service(**kwargs)
        except DomainError as error:
            messages.error(request, error.message)
            if form is not None:
                return self.get(request, pk, forms={action: form})
        else:
            done = DONE[action]
            if action == "approve":
                application.refresh_from_db(fields=["registration_number"])
                done += f": registration number {application.registration_number}"
            messages.success(request, f"Application {application.reference} {done}.")
        return redirect("registration-work:application", pk=pk)


class PasswordResetView(auth_views.PasswordResetView):
    """The form only queues the email (GDSPasswordResetForm.save); registration/account_emails.py sends it."""

    template_name = "registration/account/password_reset_form.html"
    form_class = GDSPasswordResetForm
    success_url = reverse_lazy("account:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/account/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/account/password_reset_confirm.html"
    form_class = GDSSetPasswordForm
    success_url = reverse_lazy("account:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/account/password_reset_complete.html"


class RenewalWindowView(OfficerMixin, View):
    """The end of the renewal window (queued, with the counts each run reported) and the temporary
    register's bulk add and remove."""

    template = "registration/officer/renewal_window.html"

    PREVIEW_ROWS = 25

    def get(self, request, add_form=None, remove_form=None, confirm_error=None, status=200):
        from .models import RenewalWindowClosure
        from .selectors import renewal_window_preview

        preview = renewal_window_preview()
        return render(
            request,
            self.template,
            {
                "closures": RenewalWindowClosure.objects.select_related("requested_by")[:20],
                "preview": preview,
                "preview_rows": list(preview.entries()[: self.PREVIEW_ROWS]) if preview.count else [],
                "confirm_error": confirm_error,
                "add_form": add_form or TemporaryRegisterAddForm(prefix="add"),
                "remove_form": remove_form or TemporaryRegisterRemoveForm(prefix="remove"),
            },
            status=status,
        )

    def post(self, request):
        from .checks import split_numbers

        action = request.POST.get("action")
        if action == "close-window":
            try:
                closure = services.renewal_window_closure_request(
                    actor=request.user, confirmation=request.POST.get("confirmation", "")
                )
            except DomainError as error:
                return self.get(request, confirm_error=error.message, status=error.status_code)
            messages.success(
                request,
                f"The removal of those who did not renew by {closure.registration_year_ends:%-d %B %Y} is queued. "
                "Its numbers appear below when it has run.",
            )
            return redirect("registration-work:renewal_window")
        form_class, prefix = (
            (TemporaryRegisterAddForm, "add") if action == "temporary-add" else (TemporaryRegisterRemoveForm, "remove")
        )
        form = form_class(request.POST, prefix=prefix)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["registration_numbers"] = split_numbers(data["registration_numbers"])
            try:
                if action == "temporary-add":
                    counts = services.temporary_register_add(actor=request.user, **data)
                    messages.success(request, f"{counts['added']} added; {counts['not_eligible']} not eligible.")
                else:
                    counts = services.temporary_register_remove(actor=request.user, **data)
                    messages.success(
                        request,
                        f"{counts['removed']} removed; "
                        f"{counts['not_on_temporary_register']} not on the temporary register.",
                    )
            except DomainError as error:
                _error_into_form(form, error)
            else:
                return redirect("registration-work:renewal_window")
        forms_ = {"add_form": form} if prefix == "add" else {"remove_form": form}
        return self.get(request, **forms_)


class RenewalWindowPreviewCSV(OfficerMixin, View):
    """Everyone the end-of-window removal would remove now, to check before confirming."""

    def get(self, request):
        import csv
        import itertools

        from django.http import StreamingHttpResponse

        from .selectors import renewal_window_preview

        preview = renewal_window_preview()

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())
        header = ["registration_number", "given_name", "family_name", "registered_on", "registered_until", "town"]
        rows = (
            [e.registration_number, e.registrant.given_name, e.registrant.family_name, e.status_changed_on,
             e.registered_until or "", e.town]
            for e in preview.entries().iterator(chunk_size=2000)
        )  # fmt: skip
        lines = (writer.writerow(row) for row in itertools.chain([header], rows))
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        name = f"not-renewed-{preview.window.year_ends:%Y-%m-%d}.csv"  # type: ignore[attr-defined]
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ApplyView(RegistrantMixin, View):
    template = "registration/account/apply.html"

    def get(self, request):
        return render(request, self.template, {"form": ApplyForm()})

    def post(self, request):
        form = ApplyForm(request.POST)
        if form.is_valid():
            try:
                application = services.application_start(
                    registrant=self.registrant(), actor=request.user, **form.cleaned_data
                )
            except DomainError as error:
                _error_into_form(form, error)
            else:
                return redirect("account:application", pk=application.pk)
        return render(request, self.template, {"form": form})


APPLICATION_STEPS = ("answers", "documents", "pay", "check")
ANSWER_PROBLEMS_EXCLUDED = {"documents", "payment"}


def application_tasks(application, problems: dict[str, str]) -> list[dict]:
    """The draft as a GOV.UK task list: each task, its status, and where it is done."""
    needs_document = application.kind == "new" and application.route != "uk"
    answer_problems = [p for f, p in problems.items() if f not in ANSWER_PROBLEMS_EXCLUDED]
    tasks = [
        {
            "step": "answers",
            "name": "Your details and declarations",
            "status": "Incomplete" if answer_problems else "Completed",
        },
        {
            "step": "documents",
            "name": "Upload documents",
            "status": ("Incomplete" if "documents" in problems else "Completed") if needs_document else "Optional",
        },
        {
            "step": "pay",
            "name": "Pay the application fee",
            "status": "Incomplete" if "payment" in problems else "Completed",
        },
    ]
    tasks.append(
        {
            "step": "check",
            "name": "Check your answers and send",
            "status": "Cannot start yet" if problems else "Not yet started",
        }
    )
    return tasks


class MyApplicationView(RegistrantMixin, View):
    """One of the registrant's own applications: answer, upload, pay, submit; answer an information
    request; appeal a refusal. Another person's application is a 404."""

    template = "registration/account/application.html"

    def application(self, pk):
        from .models import Application

        return get_object_or_404(
            Application.objects.select_related("payment").filter(registrant__user=self.request.user), pk=pk
        )

    def get(self, request, pk, **forms_):
        from .clocks import appeal_deadline
        from .services.applications import application_problems

        application = self.application(pk)
        context = {"application": application, "documents": application.documents.all()}
        if application.status == "draft":
            step = forms_.pop("step", None) or request.GET.get("step", "")
            problems = application_problems(application)
            context["step"] = step if step in APPLICATION_STEPS else ""
            context["tasks"] = application_tasks(application, problems)
            context.update(
                answers_form=forms_.get("answers_form")
                or ApplicationAnswersForm(
                    instance=application,
                    initial={"version": application.version},
                    route=application.route,
                    kind=application.kind,
                    prefix="answers",
                ),
                document_form=forms_.get("document_form") or DocumentForm(prefix="document"),
                pay_form=forms_.get("pay_form") or PayForm(prefix="pay"),
                problems=problems,
            )
        if application.status == "awaiting_applicant":
            context["request_event"] = application.events.filter(event="info_requested").order_by("-at").first()
            context["answer_form"] = forms_.get("answer_form") or AnswerForm(
                initial={"version": application.version}, prefix="answer"
            )
            context["document_form"] = forms_.get("document_form") or DocumentForm(prefix="document")
        if application.status == "refused" and not application.appeals.exists():
            from django.utils import timezone

            deadline = appeal_deadline(timezone.localtime(application.decided_at).date())
            if timezone.localdate() <= deadline:
                context["appeal_deadline"] = deadline
                context["appeal_form"] = forms_.get("appeal_form") or AppealForm(prefix="appeal")
        context["appeals"] = application.appeals.all()
        return render(request, self.template, context)

    def post(self, request, pk):
        application = self.application(pk)
        action = request.POST.get("action")
        handlers = {
            "answers": self._answers,
            "document": self._document,
            "pay": self._pay,
            "submit": self._submit,
            "answer": self._answer,
            "appeal": self._appeal,
        }
        if action not in handlers:
            raise Http404("No such action")
        return handlers[action](request, application)

    def _answers(self, request, application):
        form = ApplicationAnswersForm(
            request.POST, instance=application, route=application.route, kind=application.kind, prefix="answers"
        )
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                services.application_update_draft(
                    application=application, actor=request.user, version=form.cleaned_data["version"], **data
                )
            except (DomainError, ValidationError) as error:
                _error_into_form(form, error)
            else:
                messages.success(request, "Your answers are saved. You can come back to them at any time.")
                return redirect("account:application", pk=application.pk)
        return self.get(request, application.pk, answers_form=form, step="answers")

    def _document(self, request, application):
        form = DocumentForm(request.POST, request.FILES, prefix="document")
        if form.is_valid():
            try:
                services.application_document_add(
                    application=application,
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                )
            except DomainError as error:
                _error_into_form(form, error)
            else:
                messages.success(request, "The document is uploaded.")
                return redirect("account:application", pk=application.pk)
        return self.get(request, application.pk, document_form=form, step="documents")

    def _pay(self, request, application):
        form = PayForm(request.POST, prefix="pay")
        if form.is_valid():
            try:
                payment = services.application_pay(
                    application=application, actor=request.user, token=form.cleaned_data["payment_token"]
                )
            except DomainError as error:
                _error_into_form(form, error)
            else:
                if payment.status == "succeeded":
                    messages.success(request, "The fee is paid.")
                    return redirect("account:application", pk=application.pk)
                form.add_error("payment_token", payment.failure_reason)
        return self.get(request, application.pk, pay_form=form, step="pay")

    def _submit(self, request, application):
        try:
            services.application_submit(application=application, actor=request.user, version=None)
        except DomainError as error:
            if error.field == "approved_course":
                # A field error on the answers form, where the course is chosen (no redirect: it is shown now).
                form = ApplicationAnswersForm(
                    instance=application,
                    initial={"version": application.version},
                    route=application.route,
                    kind=application.kind,
                    prefix="answers",
                )
                form.cleaned_data = {}
                form.add_error("approved_course", error.message)
                return self.get(request, application.pk, answers_form=form, step="answers")
            messages.error(request, error.message)
        except ValidationError:
            messages.error(request, "Answer every question before you send the application.")
        else:
            messages.success(
                request, f"Application {application.reference} is sent. We aim to decide it within 10 working days."
            )
        return redirect("account:application", pk=application.pk)

    def _answer(self, request, application):
        form = AnswerForm(request.POST, prefix="answer")
        if form.is_valid():
            try:
                services.application_record_information_received(
                    application=application,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    version=form.cleaned_data["version"],
                )
            except DomainError as error:
                _error_into_form(form, error)
            else:
                messages.success(request, "Your answer is sent.")
                return redirect("account:application", pk=application.pk)
        return self.get(request, application.pk, answer_form=form)

    def _appeal(self, request, application):
        form = AppealForm(request.POST, prefix="appeal")
        if form.is_valid():
            try:
                appeal = services.appeal_lodge(
                    registrant=application.registrant,
                    actor=request.user,
                    grounds=form.cleaned_data["grounds"],
                    application=application,
                )
            except DomainError as error:
                _error_into_form(form, error)
            else:
                messages.success(request, f"Your appeal {appeal.reference} is lodged.")
                return redirect("account:application", pk=application.pk)
        return self.get(request, application.pk, appeal_form=form)


class AppealListView(OfficerMixin, View):
    def get(self, request):
        from .filters import AppealFilter
        from .models import Appeal

        filterset = AppealFilter(request.GET, queryset=Appeal.objects.select_related("registrant", "application"))
        gds_filter_form(filterset.form)
        page = Paginator(filterset.qs.order_by("-lodged_at", "-id"), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        return render(
            request,
            "registration/officer/appeals.html",
            {"filterset": filterset, "page_obj": page, "query_without_page": params.urlencode()},
        )


class AppealPageView(OfficerMixin, View):
    template = "registration/officer/appeal.html"

    def get(self, request, pk, **forms_):
        from .clocks import weeks_between
        from .models import Appeal

        appeal = get_object_or_404(Appeal.objects.select_related("registrant", "application", "removal_event"), pk=pk)
        from .models import RemovalReason

        detail = appeal.removal_event.detail if appeal.removal_event else ""
        # The register event keeps the code ("failure_to_renew"); the page says it in words.
        appeal.removal_reason_label = RemovalReason(detail).label if detail in RemovalReason.values else detail
        events = [
            {
                "title": e.get_event_display(),
                "at": e.at,
                "actor": e.actor.get_full_name() if e.actor else "",
                "description": e.reason,
            }
            for e in appeal.events.select_related("actor").order_by("-at", "-id")
        ]
        return render(
            request,
            self.template,
            {
                "appeal": appeal,
                "events": events,
                "weeks": weeks_between(appeal.lodged_at, appeal.concluded_at) if appeal.concluded_at else None,
                "hearing_form": forms_.get("hearing_form")
                or AppealHearingForm(initial={"version": appeal.version}, prefix="hearing"),
                "decision_form": forms_.get("decision_form")
                or AppealDecisionForm(initial={"version": appeal.version}, prefix="decision"),
            },
        )

    def post(self, request, pk):
        from .models import Appeal

        appeal = get_object_or_404(Appeal, pk=pk)
        if request.POST.get("action") == "hearing":
            form, key = AppealHearingForm(request.POST, prefix="hearing"), "hearing_form"
            call = lambda d: services.appeal_list_hearing(appeal=appeal, actor=request.user, **d)  # noqa: E731
        else:
            form, key = AppealDecisionForm(request.POST, prefix="decision"), "decision_form"
            call = lambda d: services.appeal_decide(appeal=appeal, actor=request.user, **d)  # noqa: E731
        if form.is_valid():
            try:
                call(form.cleaned_data)
            except DomainError as error:
                _error_into_form(form, error)
            else:
                messages.success(request, f"Appeal {appeal.reference} updated.")
                return redirect("registration-work:appeal", pk=pk)
        return self.get(request, pk, **{key: form})


class MisuseOfTitleView(OfficerMixin, View):
    template = "registration/officer/misuse_of_title.html"

    def get(self, request, open_form=None):
        from .clocks import working_days_between
        from .filters import MisuseOfTitleFilter
        from .models import MisuseOfTitleCase

        filterset = MisuseOfTitleFilter(request.GET, queryset=MisuseOfTitleCase.objects.select_related("assigned_to"))
        gds_filter_form(filterset.form)
        page = Paginator(filterset.qs.order_by("-opened_at", "-id"), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        for case in page:
            case.working_days = working_days_between(case.opened_at, case.completed_at) if case.completed_at else None
        params = request.GET.copy()
        params.pop("page", None)
        return render(
            request,
            self.template,
            {
                "filterset": filterset,
                "page_obj": page,
                "query_without_page": params.urlencode(),
                "open_form": open_form or MisuseOfTitleOpenForm(prefix="open"),
            },
        )

    def post(self, request):
        from .models import MisuseOfTitleCase

        action = request.POST.get("action")
        if action == "open":
            form = MisuseOfTitleOpenForm(request.POST, prefix="open")
            if not form.is_valid():
                return self.get(request, open_form=form)
            case = services.misuse_of_title_open(actor=request.user, **form.cleaned_data)
            messages.success(request, f"Case {case.reference} opened.")
            return redirect("registration-work:misuse_of_title")
        chosen = RecordActionForm(request.POST, field="case")
        if not chosen.is_valid():
            messages.error(request, "Reload the page and try again.")
            return redirect("registration-work:misuse_of_title")
        case = get_object_or_404(MisuseOfTitleCase, pk=chosen.cleaned_data["record"])
        version = chosen.cleaned_data["version"]
        try:
            if action == "start-work":
                services.misuse_of_title_start_work(case=case, actor=request.user, version=version)
            elif action == "complete":
                services.misuse_of_title_complete(
                    case=case, actor=request.user, version=version, outcome=request.POST.get("outcome", "")
                )
            else:
                raise Http404("No such action")
        except DomainError as error:
            messages.error(request, error.message)
        else:
            words = "work has started" if action == "start-work" else "is completed and its outcome recorded"
            messages.success(request, f"Misuse of title case {case.reference}: {words}.")
        return redirect("registration-work:misuse_of_title_case", pk=case.pk)


class MisuseOfTitleCaseView(OfficerMixin, View):
    """One misuse of title case: what was reported, its outcome, its timeline, and what can be done now
    (the actions post to the list's handler, the one place that calls the services)."""

    def get(self, request, pk):
        from .clocks import working_days_between
        from .models import MisuseOfTitleCase

        case = get_object_or_404(
            MisuseOfTitleCase.objects.select_related("assigned_to").prefetch_related("events__actor"), pk=pk
        )
        timeline = [
            {
                "title": event.get_event_display(),
                "at": event.at,
                "actor": (event.actor.get_full_name() or event.actor.username) if event.actor else "",
                "description": event.reason,
            }
            for event in sorted(case.events.all(), key=lambda e: (e.at, e.pk), reverse=True)
        ]
        working_days = working_days_between(case.opened_at, case.completed_at) if case.completed_at else None
        return render(
            request,
            "registration/officer/misuse_of_title_case.html",
            {"case": case, "timeline": timeline, "working_days": working_days},
        )


class ContactCentreView(OfficerMixin, View):
    """Calls (imported from the telephony system's calls.csv) and email enquiries."""

    template = "registration/officer/contact.html"

    def get(self, request, import_form=None, import_errors=None, email_form=None, emails_import_form=None):
        from django.db.models import Count, Q

        from .models import Call, EmailEnquiry

        since = timezone_now() - dt.timedelta(days=30)
        calls = Call.objects.filter(received_at__gte=since).aggregate(
            received=Count("id"),
            queued=Count("id", filter=~Q(outcome="hung_up_before_queue")),
            answered_in_5=Count("id", filter=Q(outcome="answered", queue_seconds__lte=300)),
        )
        calls["percent"] = round(100 * calls["answered_in_5"] / calls["queued"], 1) if calls["queued"] else None
        # Every email, paged and searchable (sender or subject), unanswered first: not only the latest 50.
        q = request.GET.get("q", "").strip()[:100]
        emails = EmailEnquiry.objects.select_related("responded_by").order_by("responded_at", "-received_at", "-id")
        if q:
            emails = emails.filter(Q(from_address__icontains=q) | Q(subject__icontains=q))
        enquiries = Paginator(emails, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        without_page = request.GET.copy()
        without_page.pop("page", None)
        return render(
            request,
            self.template,
            {
                "calls": calls,
                "enquiries": enquiries,
                "page_obj": enquiries,
                "query_without_page": without_page.urlencode(),
                "q": q,
                "import_form": import_form or CallsImportForm(prefix="calls"),
                "import_errors": import_errors or [],
                "email_form": email_form or EmailEnquiryForm(prefix="email"),
                "emails_import_form": emails_import_form or EmailsImportForm(prefix="emails"),
            },
        )

    def post(self, request):
        from .models import EmailEnquiry

        action = request.POST.get("action")
        if action in ("import-calls", "import-emails"):
            calls = action == "import-calls"
            form = (
                CallsImportForm(request.POST, request.FILES, prefix="calls")
                if calls
                else EmailsImportForm(request.POST, request.FILES, prefix="emails")
            )
            form_key = "import_form" if calls else "emails_import_form"
            if not form.is_valid():
                return self.get(request, **{form_key: form})
            try:
                text = form.cleaned_data["file"].read().decode("utf-8")
            except UnicodeDecodeError:
                form.add_error("file", "The file must be UTF-8 text")
                return self.get(request, **{form_key: form})
            importer = services.calls_import if calls else services.emails_import
            result = importer(text=text, actor=request.user)
            if not result.ok:
                form.add_error("file", f"Nothing was imported: {len(result.errors)} problem(s) listed below")
                return self.get(request, import_errors=result.errors, **{form_key: form})
            what = "calls" if calls else "emails"
            messages.success(request, f"{result.rows} rows read, {result.created} new {what} imported.")
        elif action == "record-email":
            form = EmailEnquiryForm(request.POST, prefix="email")
            if not form.is_valid():
                return self.get(request, email_form=form)
            try:
                services.email_enquiry_receive(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                _error_into_form(form, error)
                return self.get(request, email_form=form)
            messages.success(request, "Email recorded.")
        elif action == "answer-email":
            chosen = RecordActionForm(request.POST, field="enquiry")
            if not chosen.is_valid():
                messages.error(request, "Reload the page and try again.")
                return redirect("registration-work:contact")
            enquiry = get_object_or_404(EmailEnquiry, pk=chosen.cleaned_data["record"])
            try:
                services.email_enquiry_answer(
                    enquiry=enquiry, actor=request.user, version=chosen.cleaned_data["version"]
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Marked as answered.")
        else:
            raise Http404("No such action")
        return redirect("registration-work:contact")


class AppealRemovalView(RegistrantMixin, View):
    """Appeal against your own removal from the register, within the appeal period."""

    template = "registration/account/appeal_removal.html"

    def removal(self):
        from .models import RegisterEvent

        event = (
            RegisterEvent.objects.filter(entry__registrant__user=self.request.user, kind="removed")
            .order_by("-at", "-id")
            .first()
        )
        if event is None or event.entry.status != "removed":
            raise Http404("You have not been removed from the register.")
        return event

    def get(self, request, form=None):
        from .clocks import appeal_deadline

        event = self.removal()
        context = {"event": event, "deadline": appeal_deadline(event.on), "appeals": event.appeals.all()}
        context["form"] = form or AppealForm()
        return render(request, self.template, context)

    def post(self, request):
        event = self.removal()
        form = AppealForm(request.POST)
        if form.is_valid():
            try:
                appeal = services.appeal_lodge(
                    registrant=self.registrant(),
                    actor=request.user,
                    grounds=form.cleaned_data["grounds"],
                    removal_event=event,
                )
            except DomainError as error:
                _error_into_form(form, error)
            else:
                messages.success(request, f"Your appeal {appeal.reference} is lodged.")
                return redirect("account:home")
        return self.get(request, form=form)
