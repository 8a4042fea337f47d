from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ..checks import CheckError, check_numbers, rows_as_csv
from ..pagination import RegisterSearchPagination
from ..selectors import SearchError, parse_registration_number, parse_search, register_entry_public, register_search
from .serializers import (
    PublicRegisterEntrySerializer,
    RegisterCheckResultSerializer,
    RegisterCheckSerializer,
    RegisterSearchQuerySerializer,
)


class PublicRegisterSearchView(generics.ListAPIView):
    """Search the public register by name, registration number or town (best match first)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # public and cacheable: no session, no CSRF
    serializer_class = PublicRegisterEntrySerializer
    filter_backends: list = []
    pagination_class = RegisterSearchPagination
    renderer_classes = [JSONRenderer]

    @extend_schema(parameters=[RegisterSearchQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = RegisterSearchQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        try:
            parsed = parse_search(query.validated_data.get("q", ""), query.validated_data.get("town", ""))
        except SearchError as error:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({error.field: [error.message]}) from error
        return register_search(parsed)


class PublicRegisterEntryView(generics.RetrieveAPIView):
    """One entry on the public register, by registration number."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublicRegisterEntrySerializer

    def get_object(self):
        number = parse_registration_number(self.kwargs["number"])
        entry = register_entry_public(number) if number else None
        if entry is None:
            raise Http404("No entry on the register has that number.")
        return entry


class PublicRegisterCheckView(APIView):
    """Employers: check up to 100 registration numbers at once; `?download=csv` for a CSV file."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=RegisterCheckSerializer,
        # Both answers a 200 can be, so a client (and the fuzzer) knows to expect the CSV.
        responses={
            (200, "application/json"): RegisterCheckResultSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
        },
        parameters=[OpenApiParameter("download", str, enum=["csv"], required=False, description="csv for a CSV file")],
    )
    def post(self, request):
        body = RegisterCheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            rows = check_numbers(body.validated_data["numbers"])
        except CheckError as error:
            return Response({"numbers": [str(error)]}, status=status.HTTP_400_BAD_REQUEST)
        if request.query_params.get("download") == "csv":
            response = HttpResponse(rows_as_csv(rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="register-check.csv"'
            return response
        return Response(RegisterCheckResultSerializer(rows, many=True).data)
