"""Fitness to practise API, under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("concerns/", views.ConcernRaiseView.as_view(), name="api-ftp-concern-raise"),
    path("ftp/concerns/", views.ConcernListView.as_view(), name="api-ftp-concerns"),
    path("ftp/concerns/<int:pk>/", views.ConcernDetailView.as_view(), name="api-ftp-concern"),
    path(
        "ftp/concerns/<int:pk>/register-matches/",
        views.ConcernRegisterMatchesView.as_view(),
        name="api-ftp-concern-matches",
    ),
    path(
        "ftp/concerns/<int:pk>/identify-social-worker/",
        views.ConcernIdentifyView.as_view(),
        name="api-ftp-concern-identify",
    ),
    path("ftp/concerns/<int:pk>/close/", views.ConcernCloseView.as_view(), name="api-ftp-concern-close"),
    path("ftp/cases/", views.CaseListView.as_view(), name="api-ftp-cases"),
    path("ftp/cases/<int:pk>/", views.CaseDetailView.as_view(), name="api-ftp-case"),
    *[
        path(f"ftp/cases/<int:pk>/{slug}/", view.as_view(), name=f"api-ftp-case-{slug}")
        for slug, view in views.ACTION_VIEWS.items()
    ],
    path("ftp/letters/", views.LetterListView.as_view(), name="api-ftp-letters"),
]
