"""GET /api/v1/kpis/ and /api/v1/kpis/{code}/: the board's KPIs for a regulator year, from events."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .dashboard import READER_ROLES, current_year, kpi_report, readable_codes, year_reports
from .kpis import KPIS, Direction, Kind, Rag
from .permissions import role_permission


class KpiMonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month.")
    value = serializers.FloatField(allow_null=True, help_text="A percentage or a count; null for an empty month.")
    met = serializers.IntegerField(allow_null=True)
    population = serializers.IntegerField(allow_null=True)
    rag = serializers.ChoiceField(choices=[(r.value, r.name) for r in Rag], allow_null=True)


class KpiReportSerializer(serializers.Serializer):
    code = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.ChoiceField(choices=[k.value for k in Kind])
    aim = serializers.FloatField()
    aim_label = serializers.CharField()
    months = KpiMonthSerializer(many=True)
    year_to_date = serializers.FloatField(allow_null=True)
    year_to_date_rag = serializers.ChoiceField(choices=[(r.value, r.name) for r in Rag], allow_null=True)
    direction = serializers.ChoiceField(choices=[d.value for d in Direction], allow_null=True)
    direction_rag = serializers.ChoiceField(choices=[(r.value, r.name) for r in Rag], allow_null=True)


class KpiYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="The regulator's year, from 1 April of this calendar year.")
    kpis = KpiReportSerializer(many=True)


YEAR = OpenApiParameter(
    "year",
    OpenApiTypes.INT,
    description="The regulator's year starting 1 April of this calendar year (default: the current one).",
)
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(request) -> int:
    raw = request.query_params.get("year")
    if raw in (None, ""):
        return current_year()
    try:
        year = int(raw)
    except ValueError:
        raise ValidationError({"year": ["Give the year as a number, such as 2020."]}) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": [f"Give a year from {FIRST_YEAR} to {LAST_YEAR}."]})
    return year


class KpiListView(APIView):
    """Every KPI the caller may read (executives and administrators: all of them; registration
    officers: REG; FTP staff: TRI, INV, CE), month by month with RAG, year to date and direction."""

    permission_classes = [role_permission(*READER_ROLES)]

    @extend_schema(parameters=[YEAR], responses=KpiYearSerializer, operation_id="kpis_list")
    def get(self, request):
        year = _year(request)
        reports = year_reports(year, readable_codes(request.user))
        return Response({"year": year, "kpis": [r.as_dict() for r in reports]})


class KpiDetailView(APIView):
    """One KPI's year."""

    permission_classes = [role_permission(*READER_ROLES)]

    @extend_schema(parameters=[YEAR], responses=KpiReportSerializer, operation_id="kpis_retrieve")
    def get(self, request, code: str):
        code = code.upper()
        if code not in KPIS:
            raise Http404
        if code not in readable_codes(request.user):
            raise PermissionDenied("Your role does not allow you to read this KPI.")
        return Response(kpi_report(code, _year(request)).as_dict())
