"""Reads of fitness to practise, done in the database in a constant number of queries."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from regulator.roles import Role, has_role

from .models import CaseEvent, Concern, FitnessToPractiseCase, Letter, Order, State

# Who sees which cases: handlers and adjudications officers every case; case examiners only the
# cases that have been referred to case examiners (ever: they see them through to the outcome).
ALL_CASES_ROLES = (Role.FTP_CASE_HANDLER, Role.ADJUDICATIONS_OFFICER)


CASE_EXAMINER_STATES = [
    State.CASE_EXAMINERS_INITIAL,
    State.CASE_EXAMINERS_DECISION,
    State.DISPOSAL_OFFERED,
    State.HEARING,
    State.ORDER_MONITORING,
]


def _referred_to_case_examiners():
    return Exists(
        CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEvent.Kind.REFERRED_TO_CASE_EXAMINERS).only("id")
    )


def cases_visible_to(user) -> QuerySet[FitnessToPractiseCase]:
    cases = FitnessToPractiseCase.objects.all()
    if has_role(user, *ALL_CASES_ROLES):
        return cases
    if has_role(user, Role.CASE_EXAMINER):
        # Open cases are with (or past) the case examiners by their state, an indexed test; only a
        # closed case needs its events read to know whether it ever reached them.
        return cases.filter(
            Q(state__in=CASE_EXAMINER_STATES) | Q(Q(state=State.CLOSED) & _referred_to_case_examiners())
        )
    return cases.none()


QUEUE_FIELDS = [
    "reference",
    "origin",
    "state",
    "interim_order_state",
    "risk_level",
    "opened_at",
    "stage_started_at",
    "interim_need_identified_at",
    "external_firm",
    "version",
    "entry__registration_number",
    "entry__registrant__given_name",
    "entry__registrant__family_name",
    "handler__username",
    "handler__first_name",
    "handler__last_name",
]


def case_queue(user) -> QuerySet[FitnessToPractiseCase]:
    """The cases a user may see, with what a queue row shows, in one query (filters in filters.py)."""
    return (
        cases_visible_to(user)
        .select_related("entry__registrant", "handler")
        .only(*QUEUE_FIELDS)
        .order_by("stage_started_at", "id")
    )


def case_detail(user, case_id: int) -> FitnessToPractiseCase:
    """One case with everything its page shows, in a constant number of queries; 404 if not visible."""
    events = CaseEvent.objects.select_related("actor").order_by("at", "id")
    queryset = (
        cases_visible_to(user)
        .select_related("entry__registrant", "handler", "investigator")
        .prefetch_related(
            Prefetch("events", queryset=events, to_attr="timeline"),
            Prefetch("concerns", queryset=Concern.objects.prefetch_related("attachments")),
            "orders",
            "hearings",
            "evidence_requests",
            "documents",
        )
    )
    return get_object_or_404(queryset, pk=case_id)


def concern_queue() -> QuerySet[Concern]:
    return Concern.objects.filter(status=Concern.Status.AWAITING_PRE_TRIAGE).annotate(
        attachment_count=Count("attachments")
    )


def concern_detail(concern_id: int) -> Concern:
    return get_object_or_404(
        Concern.objects.select_related("case", "entered_by").prefetch_related("attachments"), pk=concern_id
    )


def open_cases_for_entry(entry) -> QuerySet[FitnessToPractiseCase]:
    return FitnessToPractiseCase.objects.filter(entry=entry).exclude(state="closed").order_by("opened_at")


def letters_for(user) -> QuerySet[Letter]:
    """A registrant's own FTP letters; nobody else's."""
    registrant = getattr(user, "registrant", None) if user.is_authenticated else None
    if registrant is None:
        return Letter.objects.none()
    return (
        Letter.objects.filter(registrant=registrant)
        .select_related("case")
        .only("sent_at", "subject", "body", "case__reference")
    )


def stage_counts(user) -> dict[str, int]:
    """How many open cases are at each state, for the queue's side navigation (one query)."""
    rows = cases_visible_to(user).exclude(state="closed").values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}


def orders_in_force_for_case(case, today) -> QuerySet[Order]:
    return Order.objects.in_force(today).filter(case=case)


def document_visible_to(user, attachment) -> bool:
    if attachment.case_id:
        return cases_visible_to(user).filter(pk=attachment.case_id).exists()
    return has_role(user, Role.FTP_CASE_HANDLER)
