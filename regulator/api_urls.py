"""Shared API endpoints: the KPI dashboard."""

from django.urls import path

from . import kpi_api

urlpatterns: list = [
    path("kpis/", kpi_api.KpiListView.as_view(), name="kpis"),
    path("kpis/<str:code>/", kpi_api.KpiDetailView.as_view(), name="kpi"),
]
