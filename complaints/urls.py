"""Complaints pages."""

app_name = "complaints"
urlpatterns: list = []
