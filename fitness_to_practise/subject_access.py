"""Subject access: every FTP record about one registrant (their cases, the concerns in them, events,
orders, hearings, evidence requests and letters), and nobody else's."""

from __future__ import annotations

from regulator.audit import snapshot

from .models import CaseEvent, Concern, EvidenceRequest, FitnessToPractiseCase, Hearing, Letter, Order


def export(registrant) -> dict[str, list[dict]]:
    cases = FitnessToPractiseCase.objects.filter(entry__registrant=registrant)
    return {
        "ftp_cases": [snapshot(c) for c in cases.order_by("id")],
        "ftp_concerns": [snapshot(c) for c in Concern.objects.filter(case__in=cases).order_by("id")],
        "ftp_case_events": [snapshot(e) for e in CaseEvent.objects.filter(case__in=cases).order_by("at", "id")],
        "ftp_orders": [snapshot(o) for o in Order.objects.filter(case__in=cases).order_by("id")],
        "ftp_hearings": [snapshot(h) for h in Hearing.objects.filter(case__in=cases).order_by("id")],
        "ftp_evidence_requests": [snapshot(r) for r in EvidenceRequest.objects.filter(case__in=cases).order_by("id")],
        "ftp_letters": [snapshot(x) for x in Letter.objects.filter(registrant=registrant).order_by("id")],
    }
