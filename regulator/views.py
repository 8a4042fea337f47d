from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults

from .forms import SignInForm
from .roles import Role, has_role


def home(request):
    return render(request, "regulator/home.html")


class SignInView(auth_views.LoginView):
    template_name = "regulator/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """A registrant lands on their account, where what they can do is; staff on the home page
        with their work. A safe `next` still wins (LoginView.get_success_url)."""
        if has_role(self.request.user, Role.REGISTRANT):
            return reverse("account:home")
        return super().get_default_redirect_url()


def information_page(request, page: str):
    """The service's own pages linked from every footer: accessibility, privacy, cookies, contact."""
    return render(request, f"regulator/info/{page}.html")


class SignOutView(auth_views.LogoutView):
    pass


def server_error(request):
    """A lost database connection is a 503 with a retry message wherever it happened (a middleware loading
    the session or the user, say); anything else is the GOV.UK "Sorry, there is a problem"."""
    import sys

    from django.db import InterfaceError, OperationalError

    from .security.middleware import database_unavailable

    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Sorry, there is a problem with the service."}, status=500)
    return defaults.server_error(request)


def not_found(request, exception=None):
    """The API answers an unknown or malformed address (e.g. /api/v1/cases/abc/) in JSON, as it does every other
    refusal; pages keep the GOV.UK "Page not found"."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
