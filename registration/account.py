"""The registrant's own record, read once for the account page and the API (constant queries).

`renewal_today` is the one answer to "what can I do about renewal today?": the account page, the
renewal page and the API read it, and it is worked out from the same window and registration year
(`registration.clocks`) that `renewal_submit` checks, so a page never offers what the service refuses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from . import clocks
from .models import Appeal, Application, ApplicationEvent, CPDRecord, EntryStatus, Letter
from .services.renewals import cpd_position


@dataclass(frozen=True)
class RenewalToday:
    """What the person can do about renewal today, in one plain sentence (and whether the form shows)."""

    can_renew: bool
    says: str
    window: clocks.RenewalWindow
    renewed: bool = False


def renewal_today(entry, *, today: dt.date, cpd: dict) -> RenewalToday:
    window = clocks.renewal_window(today)
    opens, closes = f"{window.opens:%-d %B %Y}", f"{window.closes:%-d %B %Y}"
    if entry is None:
        return RenewalToday(False, "You are not on the register, so there is nothing to renew.", window)
    if entry.status != EntryStatus.REGISTERED:
        return RenewalToday(
            False,
            "You were removed from the register, so you cannot renew. You can apply for restoration.",
            window,
        )
    if entry.registered_until and entry.registered_until >= window.next_year_ends:
        until = f"{entry.registered_until:%-d %B %Y}"
        return RenewalToday(False, f"You have renewed. You are registered until {until}.", window, renewed=True)
    if today < window.opens:
        return RenewalToday(False, f"You cannot renew yet. Renewal opens on {opens} and closes on {closes}.", window)
    if not cpd["meets_rule"]:
        return RenewalToday(
            False,
            f"Renewal is open until {closes}, but you need to record more CPD first: at least "
            f"{cpd['records_needed']} pieces dated in this registration year, {cpd['peer_reflection_needed']} "
            f"with peer reflection (you have {cpd['records']}, {cpd['with_peer_reflection']} with peer reflection).",
            window,
        )
    return RenewalToday(True, f"You can renew today. Renewal closes on {closes}.", window)


@dataclass(frozen=True)
class CPDYear:
    starts: dt.date
    ends: dt.date
    records: list
    with_peer_reflection: int
    current: bool


def cpd_by_registration_year(records, *, current_year_ends: dt.date) -> list[CPDYear]:
    """The person's CPD records grouped by the registration year they are dated in, latest first,
    each with its own counts (so older records are never shown beside "0 this year")."""
    years: dict[dt.date, list] = {}
    for record in records:
        years.setdefault(clocks.registration_year_ends(record.done_on), []).append(record)
    years.setdefault(current_year_ends, [])
    return [
        CPDYear(
            starts=clocks.registration_year_starts(ends),
            ends=ends,
            records=rows,
            with_peer_reflection=sum(1 for r in rows if r.peer_reflection),
            current=ends == current_year_ends,
        )
        for ends, rows in sorted(years.items(), reverse=True)
    ]


@dataclass(frozen=True)
class SentItem:
    """Anything sent to the person: a registration letter or a fitness to practise letter."""

    sent_on: dt.datetime
    subject: str
    body: str
    source: str


def everything_sent(registrant, *, limit: int = 100) -> list[SentItem]:
    """Registration and fitness to practise letters in one list, newest first (two queries)."""
    from fitness_to_practise.models import Letter as FTPLetter

    items = [
        SentItem(letter.sent_at or letter.created_at, letter.subject, letter.body, "Registration")
        for letter in Letter.objects.filter(registrant=registrant)[:limit]
    ]
    items += [
        SentItem(letter.sent_at, letter.subject, letter.body, f"Fitness to practise case {letter.case.reference}")
        for letter in FTPLetter.objects.filter(registrant=registrant).select_related("case")[:limit]
    ]
    return sorted(items, key=lambda item: item.sent_on, reverse=True)[:limit]


def my_record(registrant, *, today=None) -> dict:
    from .selectors import public_entries

    today = today or timezone.localdate()
    entry = public_entries().filter(registrant=registrant).first()
    window = clocks.renewal_window(today)
    cpd = cpd_position(registrant_id=registrant.pk, year_ends=window.year_ends)
    renewal = renewal_today(entry, today=today, cpd=cpd)
    applications = (
        Application.objects.filter(registrant=registrant)
        .select_related("payment")
        .prefetch_related(Prefetch("events", ApplicationEvent.objects.select_related("actor")), "documents")
        .order_by("-id")
    )
    cpd_records = list(CPDRecord.objects.filter(registrant=registrant).order_by("-done_on", "-id")[:200])
    return {
        "registrant": registrant,
        "given_name": registrant.given_name,
        "family_name": registrant.family_name,
        "email": registrant.email,
        "entry": entry,
        "renewal": renewal,
        "renewal_window": {
            "opens": window.opens,
            "closes": window.closes,
            "is_open": window.is_open(today),
            "renewed": renewal.renewed,
            "can_renew": renewal.can_renew,
            "says": renewal.says,
        },
        "cpd": {**cpd, "year_starts": clocks.registration_year_starts(window.year_ends), "year_ends": window.year_ends},
        "cpd_years": cpd_by_registration_year(cpd_records, current_year_ends=window.year_ends),
        "applications": list(applications),
        "appeals": list(Appeal.objects.filter(registrant=registrant).select_related("application")[:50]),
        "letters": list(Letter.objects.filter(registrant=registrant)[:50]),
        "sent": everything_sent(registrant),
        "cpd_records": cpd_records,
    }
