"""Education and training's monthly metric table for the board (the first seed's rows), from EducationEvent rows.

Every row is a count of one kind of event by the month of its date: one GROUP BY (month, kind) query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from regulator.metrics import Metric, MetricTable, Unit, Values, as_values, counts_by_month, date_window

from .models import EducationEvent

K = EducationEvent.Kind
OUTCOMES = "Outcome of inspections"

# (row key, event kind, label, group)
ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("enquiries_received", K.ENQUIRY_RECEIVED, "Enquiries received", ""),
    ("concerns_received", K.CONCERN_RECEIVED, "Concerns received", ""),
    ("inspections_conducted", K.INSPECTION_CONDUCTED, "Inspections conducted", ""),
    ("approved", K.APPROVED, "Approved", OUTCOMES),
    ("approved_with_conditions", K.APPROVED_WITH_CONDITIONS, "Approved with conditions", OUTCOMES),
    ("not_approved", K.NOT_APPROVED, "Not approved", OUTCOMES),
    ("request_withdrawn", K.REQUEST_WITHDRAWN, "Request for approval withdrawn", OUTCOMES),
)

METRICS: tuple[Metric, ...] = tuple(
    Metric(key, label, Unit.COUNT,
           f"Education events `{kind}` dated in the month" + (" (an approval decision)." if group else "."), group)
    for key, kind, label, group in ROWS
)


def education_months(months: Sequence[dt.date]) -> dict[str, Values]:
    first_day, after_last = date_window(months)
    counted = counts_by_month(
        EducationEvent.objects.filter(kind__in=[kind for _, kind, _, _ in ROWS], on__gte=first_day, on__lt=after_last),
        "on", months, by="kind",
    )
    zero = [0] * len(months)
    return {key: as_values(counted.get(kind, zero)) for key, kind, _, _ in ROWS}


EDUCATION = MetricTable("education", "Education and training", METRICS, education_months)
