"""Builders for FTP tests: concerns raised and cases opened through the services, as staff would."""

import datetime as dt
from typing import Any

from django.utils import timezone

from fitness_to_practise import services
from fitness_to_practise.models import FitnessToPractiseCase, Hearing, Order, Sanction, State
from tests.factories import make_entry


def raise_concern(**fields):
    values = {
        "referrer_type": "public",
        "referrer_name": "Sam Referrer",
        "referrer_email": "sam@example.org",
        "what_happened": "The social worker did not visit the child as planned.",
        "social_worker_name": "Jane Doe",
        "social_worker_town": "Leeds",
    }
    values.update(fields)
    return services.concern_raise(**values)


def open_case(*, entry=None, origin="swe", at=None, actor=None, **concern_fields) -> FitnessToPractiseCase:
    """A concern about a registered social worker, identified at pre-triage: a case awaiting initial review."""
    entry = entry or make_entry()
    concern = raise_concern(received_at=at, **concern_fields)
    return services.concern_identify_social_worker(
        concern_id=concern.pk, version=concern.version, entry=entry, actor=actor, origin=origin, at=at
    )


def case_in_state(state: str, *, interim: str = "none", **kwargs) -> FitnessToPractiseCase:
    """A case put straight into a state (test set-up only), with what that state needs on the case."""
    case = open_case(**kwargs)
    fields: dict[str, Any] = {"state": state, "interim_order_state": interim}
    if state == State.DISPOSAL_OFFERED:
        fields.update(proposed_disposal=Sanction.WARNING, proposed_disposal_months=12)
    if interim == "need_identified":
        fields["interim_need_identified_at"] = timezone.now()
    FitnessToPractiseCase.objects.filter(pk=case.pk).update(**fields)
    if state == State.HEARING:
        Hearing.objects.create(
            case=case,
            kind=Hearing.Kind.SUBSTANTIVE,
            # Begun two days ago, so its outcome can be recorded today whatever today is.
            starts_on=timezone.localdate() - dt.timedelta(days=2),
            ends_on=timezone.localdate(),
            listed_at=timezone.now(),
        )
    if state == State.ORDER_MONITORING:
        today = timezone.localdate()
        Order.objects.create(
            case=case,
            entry=case.entry,
            kind=Order.Kind.CONDITIONS,
            made_by=Order.MadeBy.HEARING,
            made_at=timezone.now(),
            starts_on=today,
            ends_on=today + dt.timedelta(days=365),
            review_due_on=today + dt.timedelta(days=337),
        )
    if interim == "in_force":
        today = timezone.localdate()
        Order.objects.create(
            case=case,
            entry=case.entry,
            kind=Order.Kind.INTERIM_SUSPENSION,
            made_by=Order.MadeBy.INTERIM_ORDER_HEARING,
            made_at=timezone.now(),
            starts_on=today,
            ends_on=today + dt.timedelta(days=540),
            review_due_on=today + dt.timedelta(days=180),
        )
    case.refresh_from_db()
    return case
