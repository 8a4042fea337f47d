"""Shared API endpoints (the KPI dashboard will live here)."""

urlpatterns: list = []
