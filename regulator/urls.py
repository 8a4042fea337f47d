"""Every app's pages and API hang here; each app owns its own urls.py and api/urls.py."""

from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import dashboard_views, health, ops_views, views
from .security import views as security_views

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
    path("healthz/", health.liveness, name="healthz"),
    path("readyz/", health.ReadinessView.as_view(), name="readyz"),
    path("sent-messages/", ops_views.SentMessagesView.as_view(), name="sent-messages"),
    path("accessibility/", views.information_page, {"page": "accessibility"}, name="accessibility"),
    path("privacy/", views.information_page, {"page": "privacy"}, name="privacy"),
    path("cookies/", views.information_page, {"page": "cookies"}, name="cookies"),
    path("contact/", views.information_page, {"page": "contact"}, name="contact"),
    path("two-factor/", security_views.TwoFactorVerifyView.as_view(), name="two-factor-verify"),
    path("two-factor/set-up/", security_views.TwoFactorSetUpView.as_view(), name="two-factor-set-up"),
    path("session/keep-alive/", security_views.session_keep_alive, name="session-keep-alive"),
    path("csp-report/", security_views.csp_report, name="csp-report"),
    path("security/locked-out/", security_views.LockedOutView.as_view(), name="security-locked-out"),
    path("security/api-tokens/", security_views.ApiTokenListView.as_view(), name="security-api-tokens"),
    path("security/api-tokens/new/", security_views.ApiTokenIssueView.as_view(), name="security-api-token-issue"),
    path(
        "security/api-tokens/<int:pk>/revoke/",
        security_views.ApiTokenRevokeView.as_view(),
        name="security-api-token-revoke",
    ),
    path("dashboard/", dashboard_views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/definitions/", dashboard_views.DefinitionsView.as_view(), name="dashboard-definitions"),
    path("dashboard/board-report.pdf", dashboard_views.DashboardPdfView.as_view(), name="dashboard-pdf"),
    path("dashboard/csv/<slug:table>/", dashboard_views.DashboardCsvView.as_view(), name="dashboard-csv"),
    path("", include("registration.urls")),
    path("", include("fitness_to_practise.urls")),
    path("", include("education_qa.urls")),
    path("", include("complaints.urls")),
    path("", include("interchange.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI (served from our static files) sets inline styles as it draws; its script stays a file.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
]

handler404 = "regulator.views.not_found"
handler500 = "regulator.views.server_error"
