"""Reads for complaints and information requests, done in the database; clocks from the events."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import TruncMonth

from .deadlines import complaint_due_on, complaint_met_standard, information_request_due_on, overdue_cutoff
from .models import Complaint, ComplaintEvent, InformationRequest, InformationRequestEvent, SubjectAccessExport

CE = ComplaintEvent.Kind
IE = InformationRequestEvent.Kind


def _stage_start(ref: str = "pk", on_ref: str | None = None) -> Subquery:
    qs = ComplaintEvent.objects.filter(complaint=OuterRef(ref), kind__in=[CE.RECEIVED, CE.ESCALATED])
    if on_ref:
        qs = qs.filter(on__lte=OuterRef(on_ref))
    return Subquery(qs.order_by("-on", "-id").values("on")[:1])


def complaints_list() -> QuerySet[Complaint]:
    """Complaints with the start of their current stage and its closing date (if closed), from events.
    The due date and breach follow from those without a query (see `with_clock`)."""
    closed = ComplaintEvent.objects.filter(complaint=OuterRef("pk"), kind=CE.CLOSED, stage=OuterRef("stage"))
    return (
        Complaint.objects.select_related("assigned_to")
        .annotate(stage_started_on=_stage_start(), stage_closed_on=Subquery(closed.order_by("-on").values("on")[:1]))
        .order_by(Case(When(status=Complaint.Status.CLOSED, then=1), default=0), "received_on", "id")
    )


def complaints_overdue(qs: QuerySet[Any], today: dt.date) -> QuerySet[Any]:
    """Open complaints whose current stage is past the 20 working-day standard today."""
    return qs.exclude(status=Complaint.Status.CLOSED).filter(stage_started_on__lt=overdue_cutoff(today))


def with_clock(complaint: Any, today: dt.date) -> Any:
    """Set due_on and in_breach on an annotated complaint (no query)."""
    complaint.due_on = complaint_due_on(complaint.stage_started_on)
    complaint.in_breach = (complaint.stage_closed_on or today) > complaint.due_on
    return complaint


def information_requests_list() -> QuerySet[InformationRequest]:
    extended = InformationRequestEvent.objects.filter(request=OuterRef("pk"), kind=IE.EXTENDED)
    return (
        InformationRequest.objects.select_related("registrant")
        .annotate(extended=Exists(extended))
        .order_by("received_on", "id")
    )


def with_deadline(request: Any, today: dt.date) -> Any:
    request.due_on = information_request_due_on(request.kind, request.received_on, request.extended)
    request.late = (request.closed_on or today) > request.due_on
    return request


def exports_list() -> QuerySet[SubjectAccessExport]:
    return SubjectAccessExport.objects.select_related("request", "registrant", "requested_by")


def complaint_events(complaint: Complaint):
    return complaint.events.select_related("actor").order_by("at", "id")


def request_events(request: InformationRequest):
    return request.events.select_related("actor").order_by("at", "id")


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, m = [], first.replace(day=1)
    while m <= last:
        months.append(m)
        m = (m + dt.timedelta(days=32)).replace(day=1)
    return months


def _window(months: list[dt.date]) -> Q:
    end = months[-1].replace(day=calendar.monthrange(months[-1].year, months[-1].month)[1])
    return Q(on__gte=months[0], on__lte=end)


def _month(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _percent(met: int, total: int) -> float | None:
    """A month with no population shows no value (kpis.md), not 0%."""
    return round(100 * met / total, 1) if total else None


def complaints_monthly_figures(first: dt.date, last: dt.date) -> list[dict]:
    """Complaints received and closed each month, and the percentage of closures within 20 working
    days of the start of the stage closed. Two queries: the counts, and the closures with their start."""
    months = _months(first, last)
    if not months:
        return []
    received = dict(
        ComplaintEvent.objects.filter(_window(months), kind=CE.RECEIVED)
        .annotate(month=TruncMonth("on"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    closures = (
        ComplaintEvent.objects.filter(_window(months), kind=CE.CLOSED)
        .annotate(month=TruncMonth("on"), started=_stage_start("complaint_id", on_ref="on"))
        .values_list("month", "started", "on")
    )
    closed: defaultdict[dt.date, int] = defaultdict(int)
    met: defaultdict[dt.date, int] = defaultdict(int)
    for month, started, on in closures:
        closed[_month(month)] += 1
        met[_month(month)] += complaint_met_standard(started, on)
    received = {_month(k): v for k, v in received.items()}
    return [
        {
            "month": m,
            "complaints_received": received.get(m, 0),
            "complaints_closed": closed[m],
            "closed_within_20_working_days": met[m],
            "percent_closed_within_20_working_days": _percent(met[m], closed[m]),
        }
        for m in months
    ]


def information_requests_monthly_figures(first: dt.date, last: dt.date) -> list[dict]:
    """FOI and subject access requests received and closed each month, and the percentage closed
    on time (by the statutory deadline, extended where the request was extended)."""
    months = _months(first, last)
    if not months:
        return []
    received: defaultdict[tuple, int] = defaultdict(int)
    for month, kind, n in (
        InformationRequestEvent.objects.filter(_window(months), kind=IE.RECEIVED)
        .annotate(month=TruncMonth("on"))
        .values("month", "request__kind")
        .annotate(n=Count("id"))
        .values_list("month", "request__kind", "n")
    ):
        received[(_month(month), kind)] = n
    extended = InformationRequestEvent.objects.filter(request=OuterRef("request_id"), kind=IE.EXTENDED)
    closed: defaultdict[tuple, int] = defaultdict(int)
    on_time: defaultdict[tuple, int] = defaultdict(int)
    for month, kind, received_on, closed_on, was_extended in (
        InformationRequestEvent.objects.filter(_window(months), kind=IE.CLOSED)
        .annotate(month=TruncMonth("on"), extended=Exists(extended))
        .values_list("month", "request__kind", "request__received_on", "on", "extended")
    ):
        key = (_month(month), kind)
        closed[key] += 1
        on_time[key] += closed_on <= information_request_due_on(kind, received_on, was_extended)
    rows = []
    for m in months:
        row: dict[str, Any] = {"month": m}
        for kind in ("foi", "sar"):
            key = (m, kind)
            row[f"{kind}_received"] = received[key]
            row[f"{kind}_closed"] = closed[key]
            row[f"{kind}_closed_on_time"] = on_time[key]
            row[f"{kind}_percent_on_time"] = _percent(on_time[key], closed[key])
        rows.append(row)
    return rows
