"""Fitness to practise's work items for the service-standard timers (regulator.timers): each open
case's stage clocks (fitness_to_practise.clocks, from its events) and each concern awaiting pre-triage."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.urls import reverse

from regulator.models import ServiceStandard
from regulator.roles import Role
from regulator.timers import Source, Spec
from regulator.working_days import local_date

from . import clocks
from .models import CaseEvent, Concern, FitnessToPractiseCase, InterimOrderState, State

Code = ServiceStandard.Code
CLOCKED_STATES = [State.TRIAGE_INITIAL_REVIEW, State.TRIAGE_DECISION, State.INVESTIGATION, State.CASE_EXAMINERS_INITIAL]
TEAMS: dict[str, str] = {
    Code.CASE_EXAMINER_INITIAL_DECISION: str(Role.CASE_EXAMINER),
    Code.INTERIM_ORDER_DECISION: str(Role.ADJUDICATIONS_OFFICER),
}


def case_specs(ids: list[int]) -> dict[int, list[Spec]]:
    """The latest pass of each clock of each case; a clock the case has left is stopped."""
    cases = {
        c.pk: c
        for c in FitnessToPractiseCase.objects.filter(pk__in=ids).only(
            "pk", "reference", "origin", "handler_id", "investigator_id"
        )
    }
    events = defaultdict(list)
    for event in CaseEvent.objects.filter(case_id__in=ids).only("case_id", "kind", "at").order_by("at", "id"):
        events[event.case_id].append(event)
    result = {}
    for pk, case in cases.items():
        latest = {}
        for clock in clocks.clocks_from_events(events.get(pk, []), origin=case.origin):
            latest[clock.code] = clock  # in time order: the latest pass wins
        owner = case.handler_id
        result[pk] = [
            Spec(
                clock=code,
                started_on=clock.started_on,
                reference=case.reference,
                team=TEAMS.get(code, str(Role.FTP_CASE_HANDLER)),
                owner_id=(case.investigator_id or owner) if code == Code.INVESTIGATION else owner,
                stopped_on=clock.stopped_on,
            )
            for code, clock in latest.items()
        ]
    return result


def concern_specs(ids: list[int]) -> dict[int, list[Spec]]:
    result = {}
    for concern in Concern.objects.filter(pk__in=ids).only("pk", "reference", "received_at", "status", "closed_at"):
        stopped = None
        if concern.status != Concern.Status.AWAITING_PRE_TRIAGE:
            stopped = local_date(concern.closed_at) if concern.closed_at else None
        if concern.status != Concern.Status.AWAITING_PRE_TRIAGE and stopped is None:
            continue  # joined a case: the case's clocks take over (its identification date is their start)
        result[concern.pk] = [
            Spec(
                clock=Code.PRE_TRIAGE,
                started_on=local_date(concern.received_at),
                reference=concern.reference,
                team=str(Role.FTP_CASE_HANDLER),
                stopped_on=stopped,
            )
        ]
    return result


SOURCES = [
    Source(
        "fitness_to_practise.case",
        "FTP case",
        case_specs,
        lambda: FitnessToPractiseCase.objects.filter(
            Q(state__in=CLOCKED_STATES) | Q(interim_order_state=InterimOrderState.NEED_IDENTIFIED)
        ),
        lambda pk: reverse("fitness_to_practise:case", args=[pk]),
    ),
    Source(
        "fitness_to_practise.concern",
        "Concern",
        concern_specs,
        lambda: Concern.objects.filter(status=Concern.Status.AWAITING_PRE_TRIAGE),
        lambda pk: reverse("fitness_to_practise:concern", args=[pk]),
    ),
]


HOOKS = [
    ("fitness_to_practise.CaseEvent", "fitness_to_practise.case", "case_id"),
    ("fitness_to_practise.FitnessToPractiseCase", "fitness_to_practise.case", "pk"),
    ("fitness_to_practise.Concern", "fitness_to_practise.concern", "pk"),
]
