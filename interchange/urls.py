from django.urls import path

from . import views

app_name = "interchange"

urlpatterns = [
    path("history/imports/", views.ImportListView.as_view(), name="imports"),
    path("history/imports/<uuid:pk>/", views.ImportJobView.as_view(), name="job"),
    path("history/imports/<uuid:pk>/confirm/", views.ConfirmImportView.as_view(), name="confirm"),
]
