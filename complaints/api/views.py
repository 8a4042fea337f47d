"""Complaints and information governance API: lists from selectors, changes as POST actions."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from regulator.permissions import role_permission
from regulator.roles import Role

from .. import selectors, services
from ..filters import ComplaintFilter, InformationRequestFilter, SubjectAccessExportFilter
from . import serializers as s

Officer = role_permission(Role.COMPLAINTS_OFFICER)


class ServiceActions:
    lookup_value_converter = "int"  # routes as <int:pk> (the router runs with use_regex_path=False)

    def run(self, input_class, service, *, status_code=status.HTTP_200_OK, reread=True, **extra):
        body = input_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        result = service(actor=self.request.user, **{**body.validated_data, **extra})
        if reread:  # read back through the selector, so the clock fields come from the events
            result = self.get_queryset().get(pk=result.pk)
        return Response(self.get_serializer(result).data, status=status_code)


class ComplaintViewSet(ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Corporate complaints about the regulator, each stage with its 20 working-day due date."""

    permission_classes = [Officer]
    serializer_class = s.ComplaintSerializer
    filterset_class = ComplaintFilter

    def get_queryset(self):
        return selectors.complaints_list()

    @extend_schema(request=s.ComplaintInput, responses={201: s.ComplaintSerializer})
    def create(self, request):
        return self.run(s.ComplaintInput, services.complaint_receive, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=s.AssignInput, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self.run(s.AssignInput, services.complaint_assign, complaint=self.get_object())

    @extend_schema(request=s.RespondInput, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        return self.run(s.RespondInput, services.complaint_respond, complaint=self.get_object())

    @extend_schema(request=s.CloseInput, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self.run(s.CloseInput, services.complaint_close, complaint=self.get_object())

    @extend_schema(request=s.EscalateInput, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        return self.run(s.EscalateInput, services.complaint_escalate, complaint=self.get_object())

    @extend_schema(request=None, responses=s.ComplaintEventSerializer(many=True))
    # The history is answered whole, unpaginated: say so, or the schema promises a page object.
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        return Response(s.ComplaintEventSerializer(selectors.complaint_events(self.get_object()), many=True).data)


class InformationRequestViewSet(
    ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """FOI and subject access requests with their statutory deadlines."""

    permission_classes = [Officer]
    serializer_class = s.InformationRequestSerializer
    filterset_class = InformationRequestFilter

    def get_queryset(self):
        return selectors.information_requests_list()

    @extend_schema(request=s.InformationRequestInput, responses={201: s.InformationRequestSerializer})
    def create(self, request):
        return self.run(
            s.InformationRequestInput, services.information_request_receive, status_code=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.ExtendInput, responses=s.InformationRequestSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self.run(s.ExtendInput, services.subject_access_request_extend, request=self.get_object())

    @extend_schema(request=s.RequestCloseInput, responses=s.InformationRequestSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self.run(s.RequestCloseInput, services.information_request_close, request=self.get_object())

    @extend_schema(request=None, responses={202: s.SubjectAccessExportSerializer})
    @action(detail=True, methods=["post"])
    def export(self, request, pk=None):
        """Queue the export of everything held about the request's registrant (a Celery job)."""
        export = services.subject_access_export_request(request=self.get_object(), actor=request.user)
        return Response(s.SubjectAccessExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=s.InformationRequestEventSerializer(many=True))
    # The history is answered whole, unpaginated: say so, or the schema promises a page object.
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        events = selectors.request_events(self.get_object())
        return Response(s.InformationRequestEventSerializer(events, many=True).data)


class SubjectAccessExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Subject access exports and their files (downloaded only by complaints officers; audited)."""

    permission_classes = [Officer]
    lookup_value_converter = "uuid"
    serializer_class = s.SubjectAccessExportSerializer
    filterset_class = SubjectAccessExportFilter

    def get_queryset(self):
        return selectors.exports_list()

    @extend_schema(request=None, responses={202: s.SubjectAccessExportSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Queue a failed or stuck export again (409 if it is ready or still being produced)."""
        export = services.subject_access_export_retry(export=self.get_object(), actor=request.user)
        return Response(s.SubjectAccessExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        export = self.get_object()
        file = services.subject_access_export_note_download(export=export, actor=request.user)
        return FileResponse(
            file,
            as_attachment=True,
            filename=f"subject-access-{export.request.reference}.json",
            content_type="application/json",
        )


class ComplaintFiguresView(APIView):
    """Complaints received and closed each month, and the percentage closed within 20 working days."""

    permission_classes = [role_permission(Role.COMPLAINTS_OFFICER, Role.EXECUTIVE)]

    @extend_schema(parameters=[s.MonthRangeQuery], responses=s.ComplaintFiguresSerializer(many=True))
    def get(self, request):
        query = s.MonthRangeQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.complaints_monthly_figures(query.validated_data["start"], query.validated_data["end"])
        return Response(s.ComplaintFiguresSerializer(rows, many=True).data)


class InformationRequestFiguresView(APIView):
    """FOI and subject access requests received and closed each month, and the percentage on time."""

    permission_classes = [role_permission(Role.COMPLAINTS_OFFICER, Role.EXECUTIVE)]

    @extend_schema(parameters=[s.MonthRangeQuery], responses=s.InformationRequestFiguresSerializer(many=True))
    def get(self, request):
        query = s.MonthRangeQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.information_requests_monthly_figures(
            query.validated_data["start"], query.validated_data["end"]
        )
        return Response(s.InformationRequestFiguresSerializer(rows, many=True).data)
