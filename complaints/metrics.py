"""Corporate complaints' monthly metric table for the board (the first seed's rows), from ComplaintEvent rows.

Received and closed are one GROUP BY (month, kind) query; the 20 working-day standard is measured by
complaints.deadlines over (stage start date, closed date) pairs counted in the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, DateField, OuterRef, Subquery

from regulator.metrics import Metric, MetricTable, Unit, Values, as_values, counts_by_month, date_window, share

from .deadlines import complaint_met_standard
from .models import ComplaintEvent

K = ComplaintEvent.Kind
STAGE_STARTS = (K.RECEIVED, K.ESCALATED)

METRICS: tuple[Metric, ...] = (
    Metric("complaints_received", "Complaints received", Unit.COUNT, "Complaints `received` dated in the month."),
    Metric("complaints_closed", "Complaints closed", Unit.COUNT, "Complaint `closed` events dated in the month."),
    Metric("met_standard_percentage", "Met 20-day service standard %", Unit.PERCENTAGE,
           "Of the complaint stages closed in the month, the share closed within 20 working days of the stage's "
           "start (`received`, or `escalated` for stage 2)."),
)


def complaints_months(months: Sequence[dt.date]) -> dict[str, Values]:
    first_day, after_last = date_window(months)
    in_range = ComplaintEvent.objects.filter(on__gte=first_day, on__lt=after_last)
    counted = counts_by_month(in_range.filter(kind__in=(K.RECEIVED, K.CLOSED)), "on", months, by="kind")
    zero = [0] * len(months)
    stage_start = (
        ComplaintEvent.objects.filter(complaint=OuterRef("complaint"), kind__in=STAGE_STARTS, at__lte=OuterRef("at"))
        .order_by("-at", "-id")
        .values("on")[:1]
    )
    pairs = (
        in_range.filter(kind=K.CLOSED)
        .annotate(started_on=Subquery(stage_start, output_field=DateField()))
        .values_list("started_on", "on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    met: dict[dt.date, int] = defaultdict(int)
    for started_on, closed_on, n in pairs:
        if started_on is not None and complaint_met_standard(started_on, closed_on):
            met[closed_on.replace(day=1)] += n
    closed = counted.get(K.CLOSED, zero)
    return {
        "complaints_received": as_values(counted.get(K.RECEIVED, zero)),
        "complaints_closed": as_values(closed),
        "met_standard_percentage": share(as_values([met[m] for m in months]), as_values(closed)),
    }


COMPLAINTS = MetricTable("complaints", "Corporate complaints", METRICS, complaints_months)
