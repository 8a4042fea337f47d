"""Education QA API. Lists are selectors; every change is a POST action that only calls the service."""

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from regulator.permissions import role_permission
from regulator.roles import Role, has_role

from .. import selectors, services
from ..filters import (
    ApprovalRequestFilter,
    ConditionFilter,
    CourseChangeFilter,
    CourseConcernFilter,
    CourseFilter,
    CourseProviderFilter,
    EnquiryFilter,
    MonitoringReturnFilter,
)
from ..models import MonitoringCycle, MonitoringReturn
from . import serializers as s

Officer = role_permission(Role.EDUCATION_QA_OFFICER)
OfficerOrProvider = role_permission(Role.EDUCATION_QA_OFFICER, Role.EDUCATION_PROVIDER)
# Who may read the approved list: QA officers, registration officers deciding UK applications, and
# applicants choosing their course.
ApprovedListReaders = role_permission(Role.EDUCATION_QA_OFFICER, Role.REGISTRATION_OFFICER, Role.REGISTRANT)


class ServiceActions:
    lookup_value_converter = "int"  # routes as <int:pk> (the router runs with use_regex_path=False)
    """Run a service with the validated input of `input_class`, answer with the record serialized."""

    def run(self, input_class, service, *, status_code=status.HTTP_200_OK, out=None, **extra):
        body = input_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        result = service(actor=self.request.user, **{**body.validated_data, **extra})
        serializer = (out or self.get_serializer_class())(result, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)


def _events(**link):
    return Response(s.EducationEventSerializer(selectors.events_for(**link), many=True).data)


class CourseProviderViewSet(ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Course providers, with their courses counted."""

    permission_classes = [Officer]
    serializer_class = s.CourseProviderSerializer
    filterset_class = CourseProviderFilter

    def get_queryset(self):
        return selectors.providers_list()

    @extend_schema(request=s.ProviderCreateInput, responses={201: s.CourseProviderSerializer})
    def create(self, request):
        body = s.ProviderCreateInput(data=request.data)
        body.is_valid(raise_exception=True)
        provider = services.provider_create(actor=request.user, **body.validated_data)
        # Read back through the list's selector, so the answer carries the counts the schema promises.
        provider = self.get_queryset().get(pk=provider.pk)
        return Response(self.get_serializer(provider).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ProviderUserInput, responses=s.CourseProviderSerializer)
    @action(detail=True, methods=["post"], url_path="link-user")
    def link_user(self, request, pk=None):
        """Give a sign-in the education_provider role for this provider (its returns, and no other's)."""
        body = s.ProviderUserInput(data=request.data)
        body.is_valid(raise_exception=True)
        provider = self.get_object()
        services.provider_user_link(user=body.validated_data["user"], provider=provider, actor=request.user)
        return Response(self.get_serializer(provider).data)


class CourseViewSet(ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Courses and their approval status. Create proposes a new course (it then needs approval)."""

    permission_classes = [Officer]
    serializer_class = s.CourseSerializer
    filterset_class = CourseFilter

    def get_queryset(self):
        return selectors.courses_list()

    @extend_schema(request=s.CourseProposeInput, responses={201: s.CourseSerializer})
    def create(self, request):
        return self.run(s.CourseProposeInput, services.course_propose, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReasonInput, responses=s.CourseSerializer)
    @action(detail=True, methods=["post"], url_path="withdraw-approval")
    def withdraw_approval(self, request, pk=None):
        return self.run(s.ReasonInput, services.course_withdraw_approval, course=self.get_object())

    @extend_schema(request=s.ReasonInput, responses=s.CourseSerializer)
    @action(detail=True, methods=["post"], url_path="make-historic")
    def make_historic(self, request, pk=None):
        return self.run(s.ReasonInput, services.course_make_historic, course=self.get_object())

    @extend_schema(request=s.ApprovalRequestInput, responses={201: s.ApprovalRequestSerializer})
    @action(detail=True, methods=["post"], url_path="request-approval")
    def request_approval(self, request, pk=None):
        return self.run(
            s.ApprovalRequestInput,
            services.approval_request_receive,
            course=self.get_object(),
            out=s.ApprovalRequestSerializer,
            status_code=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.CourseChangeInput, responses={201: s.CourseChangeSerializer})
    @action(detail=True, methods=["post"], url_path="propose-change")
    def propose_change(self, request, pk=None):
        return self.run(
            s.CourseChangeInput,
            services.course_change_receive,
            course=self.get_object(),
            out=s.CourseChangeSerializer,
            status_code=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=s.EducationEventSerializer(many=True))
    # The history is answered whole, unpaginated: say so, or the schema promises a page object.
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        return _events(course=self.get_object())


class ApprovedCoursesView(ListAPIView):
    """Courses that were approved on a date: the list a UK graduate who qualified that day chooses from."""

    permission_classes = [ApprovedListReaders]
    serializer_class = s.ApprovedCourseSerializer
    filter_backends: list = []

    @extend_schema(parameters=[s.ApprovedOnQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = s.ApprovedOnQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.approved_courses_on(query.validated_data["date"]).order_by("provider__name", "name", "id")


class ApprovalRequestViewSet(ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Approval and reapproval requests: documentary review, inspection, outcome."""

    permission_classes = [Officer]
    serializer_class = s.ApprovalRequestSerializer
    filterset_class = ApprovalRequestFilter

    def get_queryset(self):
        return selectors.approval_requests_list().prefetch_related("inspection__team")

    @extend_schema(request=s.ReasonInput, responses=s.ApprovalRequestSerializer)
    @action(detail=True, methods=["post"], url_path="complete-documentary-review")
    def complete_documentary_review(self, request, pk=None):
        return self.run(
            s.ReasonInput, services.approval_request_complete_documentary_review, approval_request=self.get_object()
        )

    @extend_schema(request=s.InspectionScheduleInput, responses=s.ApprovalRequestSerializer)
    @action(detail=True, methods=["post"], url_path="schedule-inspection")
    def schedule_inspection(self, request, pk=None):
        body = s.InspectionScheduleInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["team"] = [(m["name"], m["role"]) for m in data["team"]]
        inspection = services.inspection_schedule(approval_request=self.get_object(), actor=request.user, **data)
        return Response(self.get_serializer(inspection.approval_request).data)

    @extend_schema(request=s.InspectionConductedInput, responses=s.ApprovalRequestSerializer)
    @action(detail=True, methods=["post"], url_path="record-inspection")
    def record_inspection(self, request, pk=None):
        return self.run(
            s.InspectionConductedInput, services.inspection_record_conducted, approval_request=self.get_object()
        )

    @extend_schema(request=s.DecideInput, responses=s.ApprovalRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        body = s.DecideInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["conditions"] = [(c["text"], c["due_on"]) for c in data.get("conditions", [])]
        result = services.approval_request_decide(approval_request=self.get_object(), actor=request.user, **data)
        return Response(self.get_serializer(result).data)

    @extend_schema(request=s.ReasonInput, responses=s.ApprovalRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self.run(s.ReasonInput, services.approval_request_withdraw, approval_request=self.get_object())

    @extend_schema(request=None, responses=s.EducationEventSerializer(many=True))
    # The history is answered whole, unpaginated: say so, or the schema promises a page object.
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        return _events(approval_request=self.get_object())


class ConditionViewSet(ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [Officer]
    serializer_class = s.ConditionSerializer
    filterset_class = ConditionFilter

    def get_queryset(self):
        return selectors.conditions_list()

    @extend_schema(request=s.ConditionDecideInput, responses=s.ConditionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self.run(s.ConditionDecideInput, services.condition_decide, condition=self.get_object())


class CourseChangeViewSet(ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [Officer]
    serializer_class = s.CourseChangeSerializer
    filterset_class = CourseChangeFilter

    def get_queryset(self):
        return selectors.course_changes_list()

    @extend_schema(request=s.ChangeDecideInput, responses=s.CourseChangeSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self.run(s.ChangeDecideInput, services.course_change_decide, change=self.get_object())


class MonitoringCycleViewSet(ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Annual monitoring cycles. Create opens a cycle: a return awaited from every approved course."""

    permission_classes = [Officer]
    serializer_class = s.MonitoringCycleSerializer
    filterset_fields = ["year"]

    def get_queryset(self):
        return MonitoringCycle.objects.annotate(
            returns_count=Count("returns"),
            returns_awaited=Count("returns", filter=Q(returns__status=MonitoringReturn.Status.AWAITED)),
        ).order_by("-year")

    @extend_schema(request=s.CycleOpenInput, responses={201: s.MonitoringCycleSerializer})
    def create(self, request):
        body = s.CycleOpenInput(data=request.data)
        body.is_valid(raise_exception=True)
        cycle = services.monitoring_cycle_open(actor=request.user, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=cycle.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: None})
    @action(detail=True, methods=["post"])
    def chase(self, request, pk=None):
        """Queue the chase: an email to every provider with returns outstanding in this cycle."""
        from django.db import transaction

        from regulator import outbox

        from ..tasks import chase_monitoring_returns

        cycle = self.get_object()
        with transaction.atomic():  # recorded before the answer: the broker being down loses nothing
            outbox.enqueue(chase_monitoring_returns, cycle_id=cycle.pk)
        return Response(status=status.HTTP_202_ACCEPTED)


class MonitoringReturnViewSet(
    ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Monitoring returns. Officers see all; a provider sees only its own courses' returns (others'
    are 404), and only a provider submits; only an officer reviews."""

    permission_classes = [OfficerOrProvider]
    serializer_class = s.MonitoringReturnSerializer
    filterset_class = MonitoringReturnFilter

    def get_queryset(self):
        user = self.request.user
        if has_role(user, Role.EDUCATION_QA_OFFICER):
            return selectors.monitoring_returns_list()
        provider = selectors.provider_for_user(user)
        if provider is None:
            return MonitoringReturn.objects.none()
        return selectors.monitoring_returns_list(provider=provider)

    @extend_schema(request=s.ReturnSubmitInput, responses=s.MonitoringReturnSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self.run(s.ReturnSubmitInput, services.monitoring_return_submit, monitoring_return=self.get_object())

    @extend_schema(request=s.ReturnReviewInput, responses=s.MonitoringReturnSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        if not has_role(request.user, Role.EDUCATION_QA_OFFICER):
            raise PermissionDenied("Only an education QA officer reviews a return.")
        return self.run(s.ReturnReviewInput, services.monitoring_return_review, monitoring_return=self.get_object())


class EnquiryViewSet(ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [Officer]
    serializer_class = s.EnquirySerializer
    filterset_class = EnquiryFilter

    def get_queryset(self):
        return selectors.enquiries_list()

    @extend_schema(request=s.EnquiryInput, responses={201: s.EnquirySerializer})
    def create(self, request):
        return self.run(s.EnquiryInput, services.enquiry_receive, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReasonInput, responses=s.EnquirySerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self.run(s.ReasonInput, services.enquiry_close, enquiry=self.get_object())


class CourseConcernViewSet(ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [Officer]
    serializer_class = s.CourseConcernSerializer
    filterset_class = CourseConcernFilter

    def get_queryset(self):
        return selectors.concerns_list()

    @extend_schema(request=s.ConcernInput, responses={201: s.CourseConcernSerializer})
    def create(self, request):
        return self.run(s.ConcernInput, services.concern_receive, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=s.ConcernCloseInput, responses=s.CourseConcernSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self.run(s.ConcernCloseInput, services.concern_close, concern=self.get_object())


class EducationFiguresView(APIView):
    """The board's monthly education rows, computed from the dated events."""

    permission_classes = [role_permission(Role.EDUCATION_QA_OFFICER, Role.EXECUTIVE)]

    @extend_schema(parameters=[s.MonthRangeQuery], responses=s.EducationFiguresSerializer(many=True))
    def get(self, request):
        query = s.MonthRangeQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.education_monthly_figures(query.validated_data["start"], query.validated_data["end"])
        return Response(s.EducationFiguresSerializer(rows, many=True).data)
