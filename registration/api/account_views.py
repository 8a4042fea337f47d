"""The registrant's own account through the API: their record, CPD, renewal, applications and
appeals. Every queryset is filtered by the signed-in user, so another person's record is a 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from regulator.permissions import role_permission
from regulator.roles import Role

from .. import services
from ..account import my_record
from ..models import Appeal, Application, CPDRecord, RegisterEvent, Renewal
from ..selectors import registrant_for_user
from . import serializers as s

RegistrantOnly = role_permission(Role.REGISTRANT)


def _registrant(request):
    registrant = registrant_for_user(request.user)
    if registrant is None:
        raise Http404("You have no registrant record.")
    return registrant


class MyRecordView(APIView):
    """Your own record: register entry, renewal window, CPD against the rule, applications, letters."""

    permission_classes = [RegistrantOnly]

    @extend_schema(responses=s.MyRecordSerializer)
    def get(self, request):
        return Response(s.MyRecordSerializer(my_record(_registrant(request))).data)


class MyCPDViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your CPD records; POST records one."""

    lookup_value_converter = "int"

    permission_classes = [RegistrantOnly]
    serializer_class = s.CPDRecordSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CPDRecord.objects.none()
        return CPDRecord.objects.filter(registrant__user_id=self.request.user.pk)

    def perform_create(self, serializer):
        serializer.instance = services.cpd_record_add(
            registrant=_registrant(self.request), actor=self.request.user, **serializer.validated_data
        )


class MyRenewalView(generics.ListCreateAPIView):
    """Your renewals; POST renews for the next registration year (in the window, CPD rule met, fee paid)."""

    permission_classes = [RegistrantOnly]
    serializer_class = s.RenewalSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Renewal.objects.none()
        return (
            Renewal.objects.filter(entry__registrant__user_id=self.request.user.pk)
            .select_related("entry")
            .order_by("-id")
        )

    @extend_schema(request=s.RenewalRequestSerializer, responses={201: s.RenewalSerializer})
    def post(self, request):
        body = s.RenewalRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        renewal = services.renewal_submit(registrant=_registrant(request), actor=request.user, **body.validated_data)
        return Response(s.RenewalSerializer(renewal).data, status=status.HTTP_201_CREATED)


class MyApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Your applications: start one (a draft), save answers, upload documents, pay, submit, answer
    an information request, withdraw."""

    lookup_value_converter = "int"

    permission_classes = [RegistrantOnly]
    serializer_class = s.MyApplicationSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        return (
            Application.objects.filter(registrant__user_id=self.request.user.pk)
            .select_related("payment")
            .prefetch_related("events__actor", "documents")
            .order_by("-id")
        )

    def _mine(self) -> Application:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _fresh(self, application, code=status.HTTP_200_OK):
        return Response(s.MyApplicationSerializer(self.get_queryset().get(pk=application.pk)).data, status=code)

    @extend_schema(request=s.ApplicationStartSerializer, responses={201: s.MyApplicationSerializer})
    def create(self, request):
        body = s.ApplicationStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_start(
            registrant=_registrant(request), actor=request.user, **body.validated_data
        )
        return self._fresh(application, status.HTTP_201_CREATED)

    @extend_schema(request=s.ApplicationAnswersSerializer, responses=s.MyApplicationSerializer)
    def partial_update(self, request, pk=None):
        application = self._mine()
        body = s.ApplicationAnswersSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        answers = dict(body.validated_data)
        version = answers.pop("version", None)
        services.application_update_draft(application=application, actor=request.user, version=version, **answers)
        return self._fresh(application)

    @extend_schema(
        request={"multipart/form-data": s.DocumentUploadSerializer}, responses={201: s.MyApplicationSerializer}
    )
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        application = self._mine()
        body = s.DocumentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.application_document_add(
            application=application,
            actor=request.user,
            upload=body.validated_data["file"],
            kind=body.validated_data["kind"],
        )
        return self._fresh(application, status.HTTP_201_CREATED)

    @extend_schema(request=s.PaymentTokenSerializer, responses=s.MyApplicationSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        application = self._mine()
        body = s.PaymentTokenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payment = services.application_pay(
            application=application, actor=request.user, token=body.validated_data["payment_token"]
        )
        if payment.status != "succeeded":
            return Response({"payment": [payment.failure_reason]}, status=status.HTTP_400_BAD_REQUEST)
        return self._fresh(application)

    @extend_schema(request=s.VersionSerializer, responses=s.MyApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self._mine()
        body = s.VersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.application_submit(
            application=application, actor=request.user, version=body.validated_data.get("version")
        )
        return self._fresh(application)

    @extend_schema(request=s.ReasonSerializer, responses=s.MyApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="information")
    def information(self, request, pk=None):
        """Answer an officer's request for more information (records info_received: the clock runs again)."""
        application = self._mine()
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.application_record_information_received(
            application=application,
            actor=request.user,
            reason=body.validated_data.get("reason", ""),
            version=body.validated_data.get("version"),
        )
        return self._fresh(application)

    @extend_schema(request=s.ReasonSerializer, responses=s.MyApplicationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self._mine()
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.application_withdraw(
            application=application,
            actor=request.user,
            reason=body.validated_data.get("reason", ""),
            version=body.validated_data.get("version"),
        )
        return self._fresh(application)


class MyAppealView(generics.ListCreateAPIView):
    """Your appeals; POST lodges one against your refused application or your removal, in time."""

    permission_classes = [RegistrantOnly]
    serializer_class = s.AppealSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Appeal.objects.none()
        return Appeal.objects.filter(registrant__user_id=self.request.user.pk)

    @extend_schema(request=s.AppealLodgeSerializer, responses={201: s.AppealSerializer})
    def post(self, request):
        body = s.AppealLodgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        registrant = _registrant(request)
        data = body.validated_data
        application = removal = None
        if data.get("application"):
            application = get_object_or_404(Application, pk=data["application"], registrant=registrant)
        if data.get("removal_event"):
            removal = get_object_or_404(RegisterEvent, pk=data["removal_event"], entry__registrant=registrant)
        appeal = services.appeal_lodge(
            registrant=registrant,
            actor=request.user,
            grounds=data["grounds"],
            application=application,
            removal_event=removal,
        )
        return Response(s.AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)
