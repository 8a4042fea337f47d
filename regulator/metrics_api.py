"""GET /api/v1/metrics/ and /api/v1/metrics/{table}/: the board's monthly metric tables, from events."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .kpi_months import month_end
from .metrics import (
    METRIC_READER_ROLES,
    TABLE_SOURCES,
    Unit,
    may_read_register,
    readable_tables,
    register_breakdown,
    table_report,
)
from .periods import Period, PeriodError, parse_period
from .permissions import role_permission

REGISTER = "register"


class MetricRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the field, not DRF's Field.label
    group = serializers.CharField(help_text="The sub-heading the row sits under in the board's table, or empty.")
    unit = serializers.ChoiceField(choices=[u.value for u in Unit])
    values = serializers.ListField(
        child=serializers.FloatField(allow_null=True), help_text="One per month, oldest first; null for no value."
    )


class MetricTableSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    rows = MetricRowSerializer(many=True)


class CountSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # the field, not DRF's Field.label
    count = serializers.IntegerField()


class RegisterBreakdownSerializer(serializers.Serializer):
    as_at = serializers.DateField(help_text="The last day of the range: the register at its end.")
    route = CountSerializer(many=True)
    gender = CountSerializer(many=True)
    nationality = CountSerializer(many=True, help_text="The ten commonest nationalities.")


class MetricsSerializer(serializers.Serializer):
    months = serializers.ListField(child=serializers.DateField(), help_text="The first day of each month.")
    tables = MetricTableSerializer(many=True)
    register = RegisterBreakdownSerializer(required=False, help_text="Only for those who may read the register's.")


PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.STR, description="The first month, YYYY-MM (default: April of this year)."),
    OpenApiParameter("to", OpenApiTypes.STR, description="The last month, YYYY-MM (default: the current month)."),
]


def period_from(request) -> Period:
    try:
        return parse_period(request.query_params.get("from"), request.query_params.get("to"))
    except PeriodError as error:
        raise ValidationError({name: [reason] for name, reason in error.errors.items()}) from None


def breakdown_dict(period: Period) -> dict:
    as_at = period.months[-1]
    found = register_breakdown(as_at)
    return {
        "as_at": month_end(as_at).isoformat(),
        **{dimension: [{"label": label, "count": n} for label, n in rows] for dimension, rows in found.items()},
    }


class MetricListView(APIView):
    """Every metric table the caller may read (executives and administrators: all; each function's
    staff: its own), month by month over ?from=YYYY-MM&to=YYYY-MM (at most twelve months)."""

    permission_classes = [role_permission(*METRIC_READER_ROLES)]

    @extend_schema(parameters=PARAMETERS, responses=MetricsSerializer, operation_id="metrics_list")
    def get(self, request):
        period = period_from(request)
        body: dict = {
            "months": [m.isoformat() for m in period.months],
            "tables": [table_report(slug, period.months).as_dict() for slug in readable_tables(request.user)],
        }
        if may_read_register(request.user):
            body["register"] = breakdown_dict(period)
        return Response(body)


class MetricDetailView(APIView):
    """One metric table by its slug, or `register` for the register by route, gender and nationality."""

    permission_classes = [role_permission(*METRIC_READER_ROLES)]

    @extend_schema(parameters=PARAMETERS, responses=MetricTableSerializer, operation_id="metrics_retrieve")
    def get(self, request, table: str):
        slugs = {s.slug for s in TABLE_SOURCES}
        if table != REGISTER and table not in slugs:
            raise Http404
        allowed = may_read_register(request.user) if table == REGISTER else table in readable_tables(request.user)
        if not allowed:
            raise PermissionDenied("Your role does not allow you to read this table.")
        period = period_from(request)
        if table == REGISTER:
            return Response(breakdown_dict(period))
        return Response({"months": [m.isoformat() for m in period.months],
                         **table_report(table, period.months).as_dict()})
