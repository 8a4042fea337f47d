"""Shared API endpoints: the KPI dashboard."""

from django.urls import path

from . import kpi_api, metrics_api

urlpatterns: list = [
    path("kpis/", kpi_api.KpiListView.as_view(), name="kpis"),
    path("kpis/<str:code>/", kpi_api.KpiDetailView.as_view(), name="kpi"),
    path("metrics/", metrics_api.MetricListView.as_view(), name="metrics"),
    path("metrics/<slug:table>/", metrics_api.MetricDetailView.as_view(), name="metric-table"),
]
