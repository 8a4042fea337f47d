"""FTP API: the public concern form, pre-triage, the case queue and case, one POST per action.

Views only parse, check access and call services (see ../actions.py for who may do what)."""

from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from fitness_to_practise.concern_limits import concern_limit_reached, concern_sent
from registration.api.serializers import PublicRegisterEntrySerializer
from registration.models import RegisterEntry
from registration.selectors import SearchError, parse_registration_number, parse_search, register_search
from regulator.permissions import role_permission
from regulator.roles import FTP_ROLES, Role

from .. import selectors, services
from ..actions import ACTIONS, Action
from ..filters import CaseQueueFilter, ConcernQueueFilter
from ..models import Concern, FitnessToPractiseCase, ReceivedVia
from ..pagination import IdFirstPagination
from .serializers import (
    ACTION_SERIALIZERS,
    CaseDetailSerializer,
    CaseListSerializer,
    CloseConcernSerializer,
    ConcernListSerializer,
    ConcernRaiseSerializer,
    ConcernReceiptSerializer,
    ConcernSerializer,
    FitnessToPractiseLetterSerializer,
    IdentifySocialWorkerSerializer,
    StaffConcernSerializer,
)

HANDLERS = role_permission(Role.FTP_CASE_HANDLER)
FTP_STAFF = role_permission(*FTP_ROLES)


def _concern_fields(data) -> dict:
    return {k: v for k, v in data.items() if k not in ("attachments",)}


class ConcernRaiseView(APIView):
    """Raise a concern about a social worker (anyone, no account). Rate limited per address; returns
    only the reference."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request=ConcernRaiseSerializer,
        responses={201: ConcernReceiptSerializer, 429: OpenApiResponse(description="Too many concerns")},
    )
    def post(self, request):
        if concern_limit_reached(request._request, request.data):
            contact = settings.REGULATOR_CONTACT
            return Response(
                {
                    "detail": "Too many concerns have been sent from this address in the last hour. Try again "
                    f"later, or call {contact['phone']} or email {contact['email']}."
                },
                status=429,
            )
        body = ConcernRaiseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        concern = services.concern_raise(
            **_concern_fields(body.validated_data),
            attachments=body.validated_data.get("attachments", []),
            received_via=ReceivedVia.API,
        )
        concern_sent(request._request, request.data)
        return Response(ConcernReceiptSerializer(concern).data, status=status.HTTP_201_CREATED)


class ConcernListView(generics.ListCreateAPIView):
    """Pre-triage: concerns (awaiting pre-triage by default); case handlers enter phone and post concerns."""

    permission_classes = [HANDLERS]
    filterset_class = ConcernQueueFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        concerns = Concern.objects.all().order_by("received_at", "id")
        if "status" not in self.request.query_params:
            concerns = concerns.filter(status=Concern.Status.AWAITING_PRE_TRIAGE)
        return concerns

    def get_serializer_class(self):
        return StaffConcernSerializer if self.request.method == "POST" else ConcernListSerializer

    @extend_schema(request=StaffConcernSerializer, responses={201: ConcernSerializer})
    def post(self, request, *args, **kwargs):
        body = StaffConcernSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        concern = services.concern_raise(
            **_concern_fields(body.validated_data),
            attachments=body.validated_data.get("attachments", []),
            actor=request.user,
        )
        return Response(ConcernSerializer(selectors.concern_detail(concern.pk)).data, status=status.HTTP_201_CREATED)


class ConcernDetailView(generics.RetrieveAPIView):
    permission_classes = [HANDLERS]
    serializer_class = ConcernSerializer
    queryset = Concern.objects.select_related("case").prefetch_related("attachments")


class ConcernRegisterMatchesView(generics.ListAPIView):
    """Pre-triage: register entries that may be the social worker named in the concern (by number,
    then name and town), best first."""

    permission_classes = [HANDLERS]
    serializer_class = PublicRegisterEntrySerializer
    filter_backends: list = []

    def get_queryset(self):
        concern = get_object_or_404(Concern, pk=self.kwargs["pk"])
        return concern_matches(concern)


def concern_matches(concern: Concern):
    number = parse_registration_number(concern.social_worker_number)
    if number:
        return register_search(parse_search(number))
    for town in (concern.social_worker_town, ""):
        try:
            found = register_search(parse_search((concern.social_worker_name or "")[:100], town[:100]))
        except SearchError:
            continue
        if town == "" or found.exists():
            return found
    return RegisterEntry.objects.none()


class ConcernIdentifyView(APIView):
    """Pre-triage: the concern is about this registered social worker; opens (or joins) their case."""

    permission_classes = [HANDLERS]

    @extend_schema(request=IdentifySocialWorkerSerializer, responses={200: CaseDetailSerializer})
    def post(self, request, pk):
        body = IdentifySocialWorkerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        number = parse_registration_number(data["registration_number"])
        entry = RegisterEntry.objects.filter(registration_number=number).first() if number else None
        if entry is None:
            raise ValidationError({"registration_number": ["No entry on the register has that number."]})
        join = None
        if data.get("join_case"):
            join = FitnessToPractiseCase.objects.filter(reference=data["join_case"]).first()
            if join is None:
                raise ValidationError({"join_case": ["There is no case with that reference."]})
        get_object_or_404(Concern, pk=pk)
        case = services.concern_identify_social_worker(
            concern_id=pk,
            version=data["version"],
            entry=entry,
            actor=request.user,
            join_case=join,
            origin=data["origin"],
            reason=data.get("reason", ""),
        )
        return Response(
            CaseDetailSerializer(selectors.case_detail(request.user, case.pk), context={"request": request}).data
        )


class ConcernCloseView(APIView):
    """Pre-triage: close a concern that is not about a registered social worker, with the reason."""

    permission_classes = [HANDLERS]

    @extend_schema(request=CloseConcernSerializer, responses={200: ConcernSerializer})
    def post(self, request, pk):
        body = CloseConcernSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        get_object_or_404(Concern, pk=pk)
        concern = services.concern_close_not_registered(
            concern_id=pk,
            version=body.validated_data["version"],
            actor=request.user,
            reason=body.validated_data["reason"],
        )
        return Response(ConcernSerializer(selectors.concern_detail(concern.pk)).data)


class CaseListView(generics.ListAPIView):
    """The FTP queue: filter by stage, state, origin, risk, overdue, assigned and age; sort with `ordering`."""

    permission_classes = [FTP_STAFF]
    serializer_class = CaseListSerializer
    pagination_class = IdFirstPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseQueueFilter

    def get_queryset(self):
        return selectors.case_queue(self.request.user)


class CaseDetailView(generics.RetrieveAPIView):
    """A case: parties, concerns, documents, orders, hearings, evidence, clocks and every event."""

    permission_classes = [FTP_STAFF]
    serializer_class = CaseDetailSerializer

    def get_object(self):
        return selectors.case_detail(self.request.user, self.kwargs["pk"])


def _action_view(action: Action) -> type[APIView]:
    request_serializer = ACTION_SERIALIZERS[action.slug]

    class CaseActionView(APIView):
        permission_classes = [role_permission(*action.roles)]

        @extend_schema(
            operation_id=f"ftp_cases_{action.slug.replace('-', '_')}",
            summary=action.label,
            request=request_serializer,
            responses={200: CaseDetailSerializer, 409: OpenApiResponse(description="Not allowed now, or stale")},
        )
        def post(self, request, pk):
            case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
            body = request_serializer(data=request.data)
            body.is_valid(raise_exception=True)
            if not action.can(request.user):
                raise PermissionDenied()
            with transaction.atomic():
                action.call(case, request.user, body.validated_data)
            fresh = selectors.case_detail(request.user, pk)
            return Response(CaseDetailSerializer(fresh, context={"request": request}).data)

    CaseActionView.__name__ = "".join(p.title() for p in action.slug.split("-")) + "View"
    CaseActionView.__qualname__ = CaseActionView.__name__
    CaseActionView.__doc__ = f"{action.label} (roles: {', '.join(r.label for r in action.roles)})."
    return CaseActionView


ACTION_VIEWS = {action.slug: _action_view(action) for action in ACTIONS}


class LetterListView(generics.ListAPIView):
    """A registrant's own fitness to practise letters (nobody else's)."""

    permission_classes = [role_permission(Role.REGISTRANT)]
    serializer_class = FitnessToPractiseLetterSerializer

    def get_queryset(self):
        return selectors.letters_for(self.request.user)
