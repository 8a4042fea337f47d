"""The registrant's own record, read once for the account page and the API (constant queries)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from . import clocks
from .models import Application, ApplicationEvent, CPDRecord, Letter, RegisterEntry
from .services.renewals import cpd_position


def my_record(registrant, *, today=None) -> dict:
    today = today or timezone.localdate()
    entry = RegisterEntry.objects.filter(registrant=registrant).first()
    window = clocks.renewal_window(today)
    renewed = bool(entry and entry.registered_until and entry.registered_until >= window.next_year_ends)
    applications = (
        Application.objects.filter(registrant=registrant)
        .select_related("payment")
        .prefetch_related(Prefetch("events", ApplicationEvent.objects.select_related("actor")), "documents")
        .order_by("-id")
    )
    return {
        "registrant": registrant,
        "given_name": registrant.given_name,
        "family_name": registrant.family_name,
        "email": registrant.email,
        "entry": entry,
        "renewal_window": {
            "opens": window.opens,
            "closes": window.closes,
            "is_open": window.is_open(today),
            "renewed": renewed,
        },
        "cpd": cpd_position(registrant_id=registrant.pk, year_ends=window.year_ends),
        "applications": list(applications),
        "letters": list(Letter.objects.filter(registrant=registrant)[:50]),
        "cpd_records": list(CPDRecord.objects.filter(registrant=registrant)[:50]),
    }
