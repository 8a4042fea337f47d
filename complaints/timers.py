"""Complaints' work items for the service-standard timers (regulator.timers): each complaint's
current stage, and each FOI or subject access request (extended or not)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from regulator.models import ServiceStandard
from regulator.roles import Role
from regulator.timers import Source, Spec

from . import deadlines, selectors
from .models import Complaint, InformationRequest

Code = ServiceStandard.Code
TEAM = str(Role.COMPLAINTS_OFFICER)


def complaint_specs(ids: list[int]) -> dict[int, list[Spec]]:
    """The current stage's clock: from the stage's start (received or escalated) to its closing."""
    rows: list[Any] = list(selectors.complaints_list().filter(pk__in=ids))
    return {
        c.pk: [
            Spec(
                clock=Code.COMPLAINT_STAGE,
                started_on=c.stage_started_on,
                reference=c.reference,
                team=TEAM,
                owner_id=c.assigned_to_id,
                stopped_on=c.stage_closed_on,
            )
        ]
        for c in rows
        if c.stage_started_on is not None
    }


def request_specs(ids: list[int]) -> dict[int, list[Spec]]:
    rows: list[Any] = list(selectors.information_requests_list().filter(pk__in=ids))
    return {
        r.pk: [
            Spec(
                clock=deadlines.information_request_code(r.kind),
                started_on=r.received_on,
                reference=r.reference,
                team=TEAM,
                stopped_on=r.closed_on,
                extended=r.extended,
            )
        ]
        for r in rows
    }


SOURCES = [
    Source(
        "complaints.complaint",
        "Complaint",
        complaint_specs,
        lambda: Complaint.objects.exclude(status=Complaint.Status.CLOSED),
        lambda pk: reverse("complaints:complaint", args=[pk]),
    ),
    Source(
        "complaints.information_request",
        "Information request",
        request_specs,
        lambda: InformationRequest.objects.filter(status=InformationRequest.Status.OPEN),
        lambda pk: reverse("complaints:request", args=[pk]),
    ),
]


HOOKS = [
    ("complaints.ComplaintEvent", "complaints.complaint", "complaint_id"),
    ("complaints.Complaint", "complaints.complaint", "pk"),
    ("complaints.InformationRequestEvent", "complaints.information_request", "request_id"),
    ("complaints.InformationRequest", "complaints.information_request", "pk"),
]
