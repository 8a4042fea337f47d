"""Fitness to practise pages."""

from django.urls import include, path

from . import views

patterns = [
    path("raise-a-concern/", views.concern_raise_page, name="concern-raise"),
    path("raise-a-concern/received/", views.concern_received_page, name="concern-received"),
    path("ftp/", views.CaseQueuePage.as_view(), name="cases"),
    path("ftp/concerns/", views.ConcernQueuePage.as_view(), name="concerns"),
    path("ftp/concerns/new/", views.StaffConcernPage.as_view(), name="concern-new"),
    path("ftp/concerns/<int:pk>/", views.ConcernPage.as_view(), name="concern"),
    path("ftp/cases/<int:pk>/", views.CasePage.as_view(), name="case"),
    path("ftp/cases/<int:pk>/<slug:slug>/", views.CaseActionPage.as_view(), name="case-action"),
    path("ftp/documents/<int:pk>/", views.DocumentDownload.as_view(), name="document"),
    path("ftp/letters/", views.LettersPage.as_view(), name="letters"),
]
urlpatterns = [path("", include((patterns, "fitness_to_practise")))]
