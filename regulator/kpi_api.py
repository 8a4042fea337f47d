"""GET /api/v1/kpis/ and /api/v1/kpis/{code}/: the board's KPIs over a range of months, from events.

`?from=2020-04&to=2021-01` (any months, across regulator years) or `?year=2020` (April 2020 to
March 2021); by default the current regulator year. Months not yet begun are left out. Year to
date and the direction of travel are over the regulator year of the last month shown, from April.
"""

from __future__ import annotations

import datetime as dt
import re

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .dashboard import READER_ROLES, current_year, month_range, range_reports, readable_codes
from .kpi_months import first_of_month
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
    year_to_date_from = serializers.DateField(
        allow_null=True, help_text="The April that year to date and the direction of travel run from."
    )
    year_to_date_rag = serializers.ChoiceField(choices=[(r.value, r.name) for r in Rag], allow_null=True)
    direction = serializers.ChoiceField(choices=[d.value for d in Direction], allow_null=True)
    direction_rag = serializers.ChoiceField(choices=[(r.value, r.name) for r in Rag], allow_null=True)


class KpiRangeSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        help_text="The regulator year (from 1 April of this calendar year) of the last month asked for."
    )
    from_ = serializers.CharField(help_text="The first month, YYYY-MM.")
    to = serializers.CharField(help_text="The last month shown, YYYY-MM: the one asked for, or this month if sooner.")
    kpis = KpiReportSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


YEAR = OpenApiParameter(
    "year",
    OpenApiTypes.INT,
    description="The regulator's year starting 1 April of this calendar year (default: the current one).",
)
FROM = OpenApiParameter("from", OpenApiTypes.STR, description="The first month, YYYY-MM (with `to`).")
TO = OpenApiParameter("to", OpenApiTypes.STR, description="The last month, YYYY-MM (with `from`).")
BAD_RANGE = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="`from`, `to` or `year`, each with the reasons it was refused.",
)
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_MONTHS = 60
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _year(raw: str) -> int:
    try:
        year = int(raw)
    except ValueError:
        raise ValidationError({"year": ["Give the year as a number, such as 2020."]}) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": [f"Give a year from {FIRST_YEAR} to {LAST_YEAR}."]})
    return year


def _month(field: str, raw: str) -> dt.date:
    match = _MONTH.match(raw)
    if not match:
        raise ValidationError({field: ["Give a month as YYYY-MM, such as 2020-04."]})
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValidationError({field: ["The month must be from 01 to 12."]})
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({field: [f"Give a year from {FIRST_YEAR} to {LAST_YEAR}."]})
    return dt.date(year, month, 1)


def months_asked(params) -> tuple[dt.date, dt.date]:
    """(first month, last month) from ?from=&to= or ?year=, or 400 naming the field and the reason."""
    raw_from, raw_to, raw_year = (params.get(k) or None for k in ("from", "to", "year"))
    if raw_from is None and raw_to is None:
        year = current_year() if raw_year is None else _year(raw_year)
        return dt.date(year, 4, 1), dt.date(year + 1, 3, 1)
    if raw_year is not None:
        raise ValidationError({"year": ["Give either a year or from and to, not both."]})
    if raw_from is None:
        raise ValidationError({"from": ["Give the first month as well as the last, such as from=2020-04."]})
    if raw_to is None:
        raise ValidationError({"to": ["Give the last month as well as the first, such as to=2021-03."]})
    first, last = _month("from", raw_from), _month("to", raw_to)
    if last < first:
        raise ValidationError({"to": ["The last month must not be before the first."]})
    if len(month_range(first, last)) > MAX_MONTHS:
        raise ValidationError({"to": [f"Ask for at most {MAX_MONTHS} months at once."]})
    if first > first_of_month(timezone.localdate()):
        raise ValidationError({"from": ["That month has not begun: no KPI has a value for it yet."]})
    return first, last


class KpiListView(APIView):
    """Every KPI the caller may read (executives and administrators: all of them; registration
    officers: REG; FTP staff: TRI, INV, CE), month by month with RAG, year to date and direction."""

    permission_classes = [role_permission(*READER_ROLES)]

    @extend_schema(
        parameters=[FROM, TO, YEAR],
        responses={200: KpiRangeSerializer, 400: BAD_RANGE},
        operation_id="kpis_list",
    )
    def get(self, request):
        first, last = months_asked(request.query_params)
        reports = range_reports(first, last, readable_codes(request.user))
        last = min(last, first_of_month(timezone.localdate()))  # the months shown end with this one
        return Response(
            {
                "year": current_year(last),
                "from": f"{first:%Y-%m}",
                "to": f"{last:%Y-%m}",
                "kpis": [r.as_dict() for r in reports],
            }
        )


class KpiDetailView(APIView):
    """One KPI over the months asked for."""

    permission_classes = [role_permission(*READER_ROLES)]

    @extend_schema(
        parameters=[FROM, TO, YEAR],
        responses={200: KpiReportSerializer, 400: BAD_RANGE},
        operation_id="kpis_retrieve",
    )
    def get(self, request, code: str):
        code = code.upper()
        if code not in KPIS:
            raise Http404
        if code not in readable_codes(request.user):
            raise PermissionDenied("Your role does not allow you to read this KPI.")
        first, last = months_asked(request.query_params)
        return Response(range_reports(first, last, [code])[0].as_dict())
