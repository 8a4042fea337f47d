"""Every app's pages and API hang here; each app owns its own urls.py and api/urls.py."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import dashboard_views, views

api_v1 = [
    path("", include("registration.api.urls")),
    path("", include("fitness_to_practise.api.urls")),
    path("", include("education_qa.api.urls")),
    path("", include("complaints.api.urls")),
    path("", include("regulator.api_urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("healthz/", views.healthz, name="healthz"),
    path("dashboard/", dashboard_views.DashboardView.as_view(), name="dashboard"),
    path("", include("registration.urls")),
    path("", include("fitness_to_practise.urls")),
    path("", include("education_qa.urls")),
    path("", include("complaints.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

handler404 = "regulator.views.not_found"
