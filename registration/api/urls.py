from django.urls import path

from . import views

urlpatterns = [
    path("register/", views.PublicRegisterSearchView.as_view(), name="api-register-search"),
    path("register/check/", views.PublicRegisterCheckView.as_view(), name="api-register-check"),
    path("register/<str:number>/", views.PublicRegisterEntryView.as_view(), name="api-register-entry"),
]
