"""Complaints and information governance API, under /api/v1/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(use_regex_path=False)  # path converters: <int:pk>, <uuid:pk>
router.register("complaints", views.ComplaintViewSet, basename="complaint")
router.register("information-requests", views.InformationRequestViewSet, basename="information-request")
router.register("subject-access-exports", views.SubjectAccessExportViewSet, basename="subject-access-export")

urlpatterns = [
    path("complaints/figures/", views.ComplaintFiguresView.as_view(), name="complaint-figures"),
    path(
        "information-requests/figures/",
        views.InformationRequestFiguresView.as_view(),
        name="information-request-figures",
    ),
    path("", include(router.urls)),
]
