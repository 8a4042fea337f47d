"""Complaints and information governance pages (namespace `complaints`)."""

from django.urls import include, path

from . import views

patterns = [
    path("complaints/", views.ComplaintQueue.as_view(), name="complaints"),
    path("complaints/new/", views.ComplaintCreateView.as_view(), name="complaint-new"),
    path("complaints/<int:pk>/", views.ComplaintPage.as_view(), name="complaint"),
    path("information-requests/", views.InformationRequestQueue.as_view(), name="requests"),
    path("information-requests/new/", views.InformationRequestCreateView.as_view(), name="request-new"),
    path("information-requests/<int:pk>/", views.InformationRequestPage.as_view(), name="request"),
    path(
        "information-requests/exports/<uuid:pk>/download/", views.ExportDownloadView.as_view(), name="export-download"
    ),
]

urlpatterns = [path("", include((patterns, "complaints")))]
