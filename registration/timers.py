"""Registration's work items for the service-standard timers (regulator.timers): applications,
emails, misuse-of-title cases and appeals. Each `specs` reads its items' clocks in a few queries."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse

from regulator.models import ServiceStandard
from regulator.roles import Role
from regulator.timers import Source, Spec
from regulator.working_days import local_date

from . import clocks
from .models import Appeal, Application, ApplicationEvent, ApplicationStatus, EmailEnquiry, MisuseOfTitleCase

Code = ServiceStandard.Code
TEAM = str(Role.REGISTRATION_OFFICER)
OPEN = [ApplicationStatus.RECEIVED, ApplicationStatus.AWAITING_APPLICANT]


def application_specs(ids: list[int]) -> dict[int, list[Spec]]:
    """Each application's clock (registration.clocks): from receipt, pauses awaiting the applicant
    excluded, stopped at the decision or withdrawal."""
    apps = {a.pk: a for a in Application.objects.filter(pk__in=ids).only("pk", "reference", "kind", "assigned_to_id")}
    events = defaultdict(list)
    for application_id, name, at in ApplicationEvent.objects.filter(
        application_id__in=ids, event__in=["received", "info_requested", "info_received", *clocks.STOPPING_EVENTS]
    ).values_list("application_id", "event", "at"):
        events[application_id].append((name, at))
    result = {}
    for pk, app in apps.items():
        clock = clocks.application_clock(events.get(pk, ()), kind=app.kind)
        if clock.received_on is None:
            continue
        result[pk] = [
            Spec(
                clock=clocks.standard_code(app.kind),
                started_on=clock.received_on,
                reference=app.reference,
                team=TEAM,
                owner_id=app.assigned_to_id,
                stopped_on=clock.stopped_on,
                paused_working_days=clock.closed_paused_working_days,
                paused_since=clock.paused_since,
            )
        ]
    return result


def email_specs(ids: list[int]) -> dict[int, list[Spec]]:
    return {
        e.pk: [
            Spec(
                clock=Code.EMAIL,
                started_on=local_date(e.received_at),
                reference=f"Email {e.pk}",
                team=TEAM,
                owner_id=e.responded_by_id,
                stopped_on=local_date(e.responded_at) if e.responded_at else None,
            )
        ]
        for e in EmailEnquiry.objects.filter(pk__in=ids)
    }


def misuse_specs(ids: list[int]) -> dict[int, list[Spec]]:
    return {
        c.pk: [
            Spec(
                clock=Code.MISUSE_OF_TITLE,
                started_on=local_date(c.opened_at),
                reference=c.reference,
                team=TEAM,
                owner_id=c.assigned_to_id,
                stopped_on=local_date(c.completed_at) if c.completed_at else None,
            )
        ]
        for c in MisuseOfTitleCase.objects.filter(pk__in=ids)
    }


def appeal_specs(ids: list[int]) -> dict[int, list[Spec]]:
    return {
        a.pk: [
            Spec(
                clock=Code.APPEAL,
                started_on=local_date(a.lodged_at),
                reference=a.reference,
                team=TEAM,
                stopped_on=local_date(a.concluded_at) if a.concluded_at else None,
            )
        ]
        for a in Appeal.objects.filter(pk__in=ids)
    }


SOURCES = [
    Source(
        "registration.application",
        "Application",
        application_specs,
        lambda: Application.objects.filter(status__in=OPEN),
        lambda pk: reverse("registration-work:application", args=[pk]),
    ),
    Source("registration.email", "Email", email_specs, lambda: EmailEnquiry.objects.filter(responded_at__isnull=True)),
    Source(
        "registration.misuse_of_title",
        "Misuse of title case",
        misuse_specs,
        lambda: MisuseOfTitleCase.objects.exclude(status=MisuseOfTitleCase.Status.COMPLETED),
    ),
    Source(
        "registration.appeal",
        "Appeal",
        appeal_specs,
        lambda: Appeal.objects.filter(status__in=[Appeal.Status.LODGED, Appeal.Status.HEARING_LISTED]),
    ),
]


# (event or item model, kind, the attribute holding the item's id): a save of one queues a refresh.
HOOKS = [
    ("registration.ApplicationEvent", "registration.application", "application_id"),
    ("registration.EmailEnquiry", "registration.email", "pk"),
    ("registration.MisuseOfTitleCase", "registration.misuse_of_title", "pk"),
    ("registration.Appeal", "registration.appeal", "pk"),
]
