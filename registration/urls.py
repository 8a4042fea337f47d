"""Registration pages: the public register (namespace `register`); the registrant's account and
the officers' queues are added beside it under their own namespaces."""

from django.urls import include, path

from . import views

register_patterns = [
    path("", views.register_search_page, name="search"),
    path("check/", views.register_check_page, name="check"),
    path("<str:number>/", views.register_entry_page, name="entry"),
]

urlpatterns = [
    path("register/", include((register_patterns, "register"))),
]
