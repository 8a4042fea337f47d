"""Pages for signing in safely: the second factor (set up and give a code), the lockout answer, the
administrator's unlock page, the session keep-alive and the CSP violation reports."""

from __future__ import annotations

import json

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Sum
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from regulator.audit import audit_record
from regulator.permissions import RoleRequiredMixin
from regulator.roles import Role

from . import two_factor
from .forms import TwoFactorCodeForm
from .log import security_event

LOCKED_OUT_RETRY_AFTER = settings.AXES_COOLOFF_TIME * 60 * 60


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked account or address: the same words whether or not the account exists."""
    security_event(request, "signin.locked_out", user=False, status=429)
    response = render(request, "security/locked_out.html", status=429)
    response["Retry-After"] = str(LOCKED_OUT_RETRY_AFTER)
    return response


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or settings.LOGIN_REDIRECT_URL
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


class TwoFactorVerifyView(View):
    """The second step of signing in: a code from the app, or a recovery code."""

    template = "security/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        if not two_factor.has_two_factor(request.user):
            return redirect(f"{_set_up_url()}?next={_next(request)}")
        return render(request, self.template, {"form": TwoFactorCodeForm(), "next": _next(request)})

    def post(self, request):
        form = TwoFactorCodeForm(request.POST)
        if form.is_valid():
            device = two_factor.two_factor_check(request.user, form.cleaned_data["code"])
            if device is not None:
                two_factor.two_factor_verified_login(request, device)
                security_event(request, "two_factor.verified", device=type(device).__name__)
                audit_record(actor=request.user, action="user.signed_in", obj=request.user,
                             after={"second_factor": type(device).__name__})
                return redirect(_next(request))
            security_event(request, "two_factor.failed", status=200)
            form.add_error("code", "The code is not right. Check your app and try again, or use a recovery code.")
        return render(request, self.template, {"form": form, "next": _next(request)})


def _set_up_url() -> str:
    from django.urls import reverse

    return reverse("two-factor-set-up")


class TwoFactorSetUpView(View):
    """Scan the QR code (or type the key), give the first code: the device is confirmed and the
    recovery codes are shown, once."""

    template = "security/two_factor_set_up.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        if two_factor.has_two_factor(request.user) and not request.session.get("otp_device_id"):
            return redirect("two-factor-verify")  # already set up: give a code instead
        return super().dispatch(request, *args, **kwargs)

    def _context(self, request, form):
        device = two_factor.pending_totp_device(request.user)
        return {
            "form": form,
            "next": _next(request),
            "qr_code": two_factor.qr_code_svg(device),
            "secret": two_factor.secret_for_display(device),
            "device": device,
        }

    def get(self, request):
        return render(request, self.template, self._context(request, TwoFactorCodeForm()))

    def post(self, request):
        form = TwoFactorCodeForm(request.POST)
        if form.is_valid():
            device = two_factor.pending_totp_device(request.user)
            codes = two_factor.two_factor_enrol(request=request, device=device, token=form.cleaned_data["code"])
            if codes is not None:
                security_event(request, "two_factor.enrolled")
                return render(request, "security/recovery_codes.html", {"codes": codes, "next": _next(request)})
            security_event(request, "two_factor.failed", stage="set_up", status=200)
            form.add_error("code", "The code is not right. Check the time on your phone and try the next code.")
        return render(request, self.template, self._context(request, form))


@require_POST
@login_required
def session_keep_alive(request):
    """The timeout warning's "Stay signed in": the session middleware has moved the idle clock on."""
    return HttpResponse(status=204)


CSP_REPORT_MAX_BYTES = 8 * 1024


@csrf_exempt
@require_POST
def csp_report(request):
    """Browsers report what the Content Security Policy blocked; the security log records it (bounded)."""
    if len(request.body) > CSP_REPORT_MAX_BYTES:
        return HttpResponseBadRequest()
    try:
        report = json.loads(request.body or b"{}").get("csp-report", {})
    except (ValueError, AttributeError):
        return HttpResponseBadRequest()
    if not isinstance(report, dict):
        return HttpResponseBadRequest()
    security_event(
        request,
        "csp.violation",
        directive=report.get("violated-directive", report.get("effective-directive", "")),
        blocked=report.get("blocked-uri", ""),
        document=str(report.get("document-uri", "")).split("?")[0],
    )
    return HttpResponse(status=204)


class LockedOutView(RoleRequiredMixin, View):
    """The administrator's list of locked accounts and addresses (failures summed over the hour, as
    django-axes counts them), each with an unlock button."""

    required_roles = (Role.ADMINISTRATOR,)
    template = "security/locked_out_list.html"

    def get(self, request):
        since = timezone.now() - timezone.timedelta(hours=settings.AXES_COOLOFF_TIME)
        recent = AccessAttempt.objects.filter(attempt_time__gte=since)
        locked = []
        for kind, column in (("account", "username"), ("address", "ip_address")):
            rows = (
                recent.exclude(**{column: None}).values(column)
                .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
                .filter(failures__gte=settings.AXES_FAILURE_LIMIT).order_by("-last")[:100]
            )
            locked += [{"kind": kind, "value": row[column], "failures": row["failures"], "last": row["last"]}
                       for row in rows]
        return render(request, self.template, {"locked": locked, "limit": settings.AXES_FAILURE_LIMIT})

    def post(self, request):
        kind, value = request.POST.get("kind", ""), request.POST.get("value", "")[:254]
        if kind not in {"account", "address"} or not value:
            return HttpResponseBadRequest("Choose a locked account or address to unlock.")
        if kind == "account":
            axes_reset(username=value)
        else:
            axes_reset(ip=value)
        audit_record(actor=request.user, action="user.sign_in_unlocked", object_type="axes.lockout", object_id=kind,
                     after={kind: value})
        security_event(request, "signin.unlocked", kind=kind)
        messages.success(request, "Unlocked. Sign-in works again for it.")
        return redirect("security-locked-out")


class ApiTokenListView(RoleRequiredMixin, View):
    """The administrator's list of API tokens for other systems: who each acts as, its scope, when it
    expires and was last used; with the page to issue one and a revoke page for each."""

    required_roles = (Role.ADMINISTRATOR,)

    def get(self, request):
        from regulator.models import ApiToken

        tokens = ApiToken.objects.select_related("user").order_by("revoked_at", "-created_at")[:500]
        return render(request, "security/api_tokens.html", {"tokens": tokens, "now": timezone.now()})


class ApiTokenIssueView(RoleRequiredMixin, View):
    required_roles = (Role.ADMINISTRATOR,)
    template = "security/api_token_issue.html"

    def get(self, request):
        from .forms import ApiTokenIssueForm

        return render(request, self.template, {"form": ApiTokenIssueForm()})

    def post(self, request):
        from .forms import ApiTokenIssueForm
        from .tokens import api_token_issue

        form = ApiTokenIssueForm(request.POST)
        if not form.is_valid():
            return render(request, self.template, {"form": form}, status=400)
        token, secret = api_token_issue(
            user=form.cleaned_data["username"], name=form.cleaned_data["name"], scope=form.cleaned_data["scope"],
            actor=request.user, lifetime=timezone.timedelta(days=form.cleaned_data["lifetime_days"]),
        )
        security_event(request, "token.issued", token_id=token.pk, scope=token.scope)
        # The secret is shown on this answer only (no redirect that could show it again); it is not kept.
        return render(request, "security/api_token_issued.html", {"token": token, "secret": secret})


class ApiTokenRevokeView(RoleRequiredMixin, View):
    """Revoking cannot be undone: a page that names the token and asks why, then the POST."""

    required_roles = (Role.ADMINISTRATOR,)
    template = "security/api_token_revoke.html"

    def _token(self, pk: int):
        from django.shortcuts import get_object_or_404

        from regulator.models import ApiToken

        return get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)

    def get(self, request, pk: int):
        from .forms import ApiTokenRevokeForm

        return render(request, self.template, {"token": self._token(pk), "form": ApiTokenRevokeForm()})

    def post(self, request, pk: int):
        from .forms import ApiTokenRevokeForm
        from .tokens import api_token_revoke

        token, form = self._token(pk), ApiTokenRevokeForm(request.POST)
        if token.revoked_at is not None:
            return render(request, self.template, {"token": token, "form": form}, status=409)
        if not form.is_valid():
            return render(request, self.template, {"token": token, "form": form}, status=400)
        api_token_revoke(token=token, actor=request.user, reason=form.cleaned_data["reason"])
        security_event(request, "token.revoked", token_id=token.pk)
        messages.success(request, f"{token.name} ({token.prefix}…) is revoked: calls with it are refused from now on.")
        return redirect("security-api-tokens")
