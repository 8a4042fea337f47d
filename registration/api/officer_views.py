"""The registration officer's API: the application queue and its actions, the end of the renewal
window, the temporary register, appeals, misuse of title, calls and emails. Officers only."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from regulator.models import User
from regulator.permissions import role_permission
from regulator.roles import Role

from .. import services
from ..filters import AppealFilter, ApplicationQueueFilter, CallFilter, EmailEnquiryFilter, MisuseOfTitleFilter
from ..models import Appeal, Call, EmailEnquiry, MisuseOfTitleCase, RenewalWindowClosure
from ..selectors import ApplicationQueue, application_with_clock, applications_for_queue
from . import serializers as s

OfficerOnly = role_permission(Role.REGISTRATION_OFFICER)
QUEUE_PARAMETERS = [
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Only overdue (true) or only in time (false)."),
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        enum=list(ApplicationQueue.SORTS),
        description="received (default), due, age, or timer (the kept timer's due date, with `timer`).",
    ),
]


def _officer(officer_id):
    if officer_id is None:
        return None
    officer = User.objects.filter(pk=officer_id, groups__name=Role.REGISTRATION_OFFICER, is_active=True).first()
    if officer is None:
        from regulator.errors import RuleViolation

        raise RuleViolation("Choose a registration officer.", field="officer")
    return officer


class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """The application queue: filter, sort by age or due date, and act on an application."""

    lookup_value_converter = "int"

    permission_classes = [OfficerOnly]
    filterset_class = ApplicationQueueFilter

    def get_queryset(self):
        queryset = applications_for_queue().select_related("registrant", "assigned_to")
        if self.action != "list":
            queryset = queryset.select_related("approved_course__provider").prefetch_related(
                "events__actor", "documents"
            )
        return queryset

    def get_serializer_class(self):
        return s.ApplicationDetailSerializer if self.action == "retrieve" else s.ApplicationQueueItemSerializer

    @extend_schema(parameters=QUEUE_PARAMETERS)
    def list(self, request, *args, **kwargs):
        overdue = request.query_params.get("overdue")
        queue = ApplicationQueue(
            self.filter_queryset(self.get_queryset()),
            overdue={"true": True, "false": False}.get(overdue),
            sort=request.query_params.get("sort", "timer" if request.query_params.get("timer") else "received"),
        )
        page = self.paginate_queryset(queue)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self):
        application = super().get_object()
        return application_with_clock(application)

    def _act(self, serializer_class, fn, extra):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        application = get_object_or_404(applications_for_queue(), pk=self.kwargs["pk"])
        fn(application=application, actor=self.request.user, **extra(body.validated_data))  # nosec B610
        fresh = application_with_clock(self.get_queryset().get(pk=application.pk))
        return Response(s.ApplicationDetailSerializer(fresh).data)

    @extend_schema(request=s.AssignSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._act(
            s.AssignSerializer,
            services.application_assign,
            extra=lambda d: {"officer": _officer(d["officer"]), "version": d.get("version")},
        )

    @extend_schema(request=s.BulkAssignSerializer, responses=s.BulkAssignResultSerializer)
    @action(detail=False, methods=["post"], url_path="bulk-assign")
    def bulk_assign(self, request):
        body = s.BulkAssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        count = services.applications_bulk_assign(
            application_ids=body.validated_data["applications"],
            officer=_officer(body.validated_data["officer"]),
            actor=request.user,
        )
        return Response({"assigned": count})

    @extend_schema(request=s.RequiredReasonSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="request-information")
    def request_information(self, request, pk=None):
        return self._act(
            s.RequiredReasonSerializer,
            services.application_request_information,
            extra=lambda d: {"reason": d["reason"], "version": d.get("version")},
        )

    @extend_schema(request=s.ReasonSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="record-information-received")
    def record_information_received(self, request, pk=None):
        return self._act(
            s.ReasonSerializer,
            services.application_record_information_received,
            extra=lambda d: {"reason": d.get("reason", ""), "version": d.get("version")},
        )

    @extend_schema(request=s.RequiredReasonSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="flag-for-investigation")
    def flag_for_investigation(self, request, pk=None):
        return self._act(
            s.RequiredReasonSerializer,
            services.application_flag_for_investigation,
            extra=lambda d: {"reason": d["reason"], "version": d.get("version")},
        )

    @extend_schema(request=s.VersionSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(
            s.VersionSerializer, services.application_approve, extra=lambda d: {"version": d.get("version")}
        )

    @extend_schema(request=s.RefuseSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._act(
            s.RefuseSerializer,
            services.application_refuse,
            extra=lambda d: {"reasons": d["reasons"], "version": d.get("version")},
        )

    @extend_schema(request=s.RequiredReasonSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(
            s.RequiredReasonSerializer,
            services.application_withdraw,
            extra=lambda d: {"reason": d["reason"], "version": d.get("version")},
        )


class RenewalWindowClosureViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """End of the renewal window: POST queues the removal of everyone who has not renewed; GET shows
    each run with the numbers it reported."""

    permission_classes = [OfficerOnly]
    serializer_class = s.RenewalWindowClosureSerializer
    lookup_value_converter = "int"
    queryset = RenewalWindowClosure.objects.all()

    @extend_schema(request=s.RenewalWindowConfirmSerializer, responses={202: s.RenewalWindowClosureSerializer})
    def create(self, request, *args, **kwargs):
        body = s.RenewalWindowConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        closure = services.renewal_window_closure_request(
            actor=request.user, confirmation=body.validated_data["confirmation"]
        )
        closure.refresh_from_db()
        return Response(self.get_serializer(closure).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: s.RenewalWindowPreviewSerializer})
    @action(detail=False, methods=["get"])
    def preview(self, request):
        """What a POST would do now: the window, how many would be removed, and the words that confirm it."""
        from ..selectors import renewal_window_preview

        preview = renewal_window_preview()
        return Response(
            {
                "window_opens": preview.window.opens,  # type: ignore[attr-defined]
                "window_closes": preview.window.closes,  # type: ignore[attr-defined]
                "to_remove": preview.count,
                "confirmation": preview.confirmation,
            }
        )


class TemporaryRegisterAddView(generics.GenericAPIView):
    """Add removed social workers to the temporary register in bulk, with a reason and an end date."""

    permission_classes = [OfficerOnly]
    serializer_class = s.TemporaryRegisterAddSerializer

    @extend_schema(responses=s.CountsSerializer)
    def post(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response({"counts": services.temporary_register_add(actor=request.user, **body.validated_data)})


class TemporaryRegisterRemoveView(generics.GenericAPIView):
    """End temporary registration in bulk, with a reason."""

    permission_classes = [OfficerOnly]
    serializer_class = s.TemporaryRegisterRemoveSerializer

    @extend_schema(responses=s.CountsSerializer)
    def post(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response({"counts": services.temporary_register_remove(actor=request.user, **body.validated_data)})


class AppealViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    permission_classes = [OfficerOnly]
    serializer_class = s.AppealSerializer
    filterset_class = AppealFilter
    queryset = Appeal.objects.all()

    @extend_schema(request=s.AppealHearingSerializer, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"], url_path="list-hearing")
    def list_hearing(self, request, pk=None):
        body = s.AppealHearingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appeal = services.appeal_list_hearing(
            appeal=self.get_object(),
            actor=request.user,
            hearing_on=body.validated_data["hearing_on"],
            version=body.validated_data.get("version"),
        )
        return Response(s.AppealSerializer(appeal).data)

    @extend_schema(request=s.AppealDecisionSerializer, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        body = s.AppealDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appeal = services.appeal_decide(appeal=self.get_object(), actor=request.user, **body.validated_data)
        return Response(s.AppealSerializer(appeal).data)


class MisuseOfTitleCaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [OfficerOnly]
    serializer_class = s.MisuseOfTitleCaseSerializer
    lookup_value_converter = "int"
    filterset_class = MisuseOfTitleFilter
    queryset = MisuseOfTitleCase.objects.all()

    def perform_create(self, serializer):
        serializer.instance = services.misuse_of_title_open(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=s.VersionSerializer, responses=s.MisuseOfTitleCaseSerializer)
    @action(detail=True, methods=["post"], url_path="start-work")
    def start_work(self, request, pk=None):
        body = s.VersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.misuse_of_title_start_work(case=self.get_object(), actor=request.user, **body.validated_data)
        return Response(s.MisuseOfTitleCaseSerializer(case).data)

    @extend_schema(request=s.OutcomeSerializer, responses=s.MisuseOfTitleCaseSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        body = s.OutcomeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.misuse_of_title_complete(case=self.get_object(), actor=request.user, **body.validated_data)
        return Response(s.MisuseOfTitleCaseSerializer(case).data)


# A refused import is either the import result with its row errors (`ok` false), or a field error (no file, not UTF-8).
_IMPORT_REFUSED = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="The import result with its row errors (`ok` false), or `file` with the reason it was not read.",
)


class CallViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    permission_classes = [OfficerOnly]
    serializer_class = s.CallSerializer
    filterset_class = CallFilter
    queryset = Call.objects.all()

    @extend_schema(
        request={"multipart/form-data": s.CallImportSerializer},
        responses={200: s.ImportResultSerializer, 400: _IMPORT_REFUSED},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_calls(self, request):
        return _import(request, services.calls_import, "calls.csv", s.CallImportSerializer)


def _import(request, importer, filename, serializer_class):
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    try:
        text = body.validated_data["file"].read().decode("utf-8")
    except UnicodeDecodeError:
        return Response({"file": ["The file must be UTF-8 text."]}, status=status.HTTP_400_BAD_REQUEST)
    result = importer(text=text, actor=request.user, filename=filename)
    data = {"ok": result.ok, "rows": result.rows, "created": result.created, "errors": result.errors}
    return Response(data, status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST)


class EmailEnquiryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [OfficerOnly]
    serializer_class = s.EmailEnquirySerializer
    lookup_value_converter = "int"
    filterset_class = EmailEnquiryFilter
    queryset = EmailEnquiry.objects.all()

    def perform_create(self, serializer):
        serializer.instance = services.email_enquiry_receive(actor=self.request.user, **serializer.validated_data)

    @extend_schema(
        request={"multipart/form-data": s.EmailImportSerializer},
        responses={200: s.ImportResultSerializer, 400: _IMPORT_REFUSED},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_emails(self, request):
        return _import(request, services.emails_import, "emails.csv", s.EmailImportSerializer)

    @extend_schema(request=s.VersionSerializer, responses=s.EmailEnquirySerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        body = s.VersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        enquiry = services.email_enquiry_answer(enquiry=self.get_object(), actor=request.user, **body.validated_data)
        return Response(s.EmailEnquirySerializer(enquiry).data)
