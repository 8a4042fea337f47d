from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .forms import SignInForm


def home(request):
    return render(request, "regulator/home.html")


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class SignInView(auth_views.LoginView):
    template_name = "regulator/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass
