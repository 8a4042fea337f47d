"""Reads for education QA, done in the database: the approved list on a date, queues, monthly figures."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth

from .models import (
    APPROVED_STATUSES,
    OPEN_REQUEST_STATUSES,
    ApprovalRequest,
    Condition,
    Course,
    CourseConcern,
    CourseProvider,
    EducationEvent,
    Enquiry,
    MonitoringReturn,
    ProviderUser,
)

Kind = EducationEvent.Kind
INSPECTION_OUTCOMES = (Kind.APPROVED, Kind.APPROVED_WITH_CONDITIONS, Kind.NOT_APPROVED, Kind.REQUEST_WITHDRAWN)


def course_status_on(on: dt.date) -> Subquery:
    """The status a course had at the end of day `on`, from its dated status events."""
    latest = (
        EducationEvent.objects.filter(course=OuterRef("pk"), on__lte=on)
        .exclude(status_after="")
        .order_by("-on", "-at", "-id")
        .values("status_after")[:1]
    )
    return Subquery(latest)


def approved_courses_on(on: dt.date) -> QuerySet[Course]:
    """Courses that were approved (with or without conditions) on `on`: the list a UK graduate who
    qualified on that date chooses their course from. A course since withdrawn or made historic
    still counts for the dates it was approved."""
    return (
        Course.objects.annotate(status_then=course_status_on(on))
        .filter(status_then__in=APPROVED_STATUSES)
        .select_related("provider")
    )


def provider_for_user(user) -> CourseProvider | None:
    """The provider a signed-in provider user answers for (None for everyone else)."""
    if not getattr(user, "is_authenticated", False):
        return None
    link = ProviderUser.objects.select_related("provider").filter(user=user).first()
    return link.provider if link else None


def providers_list() -> QuerySet[CourseProvider]:
    return CourseProvider.objects.annotate(
        courses_count=Count("courses", distinct=True),
        approved_courses_count=Count("courses", filter=Q(courses__status__in=APPROVED_STATUSES), distinct=True),
    ).order_by("name")


REAPPROVAL_CYCLE_MONTHS = 60  # every approved course is reapproved within five years of its approval


def reapproval_overdue_q(today: dt.date) -> Q:
    """Approved courses whose reapproval fell due before today (approved more than the cycle ago)."""
    from regulator.working_days import add_calendar_months

    return Q(status__in=APPROVED_STATUSES, approved_on__lt=add_calendar_months(today, -REAPPROVAL_CYCLE_MONTHS))


def overdue_condition_q(today: dt.date, prefix: str = "") -> Q:
    """Conditions still open after their due date."""
    return Q(**{f"{prefix}status": Condition.Status.OPEN, f"{prefix}due_on__lt": today})


def courses_list(today: dt.date | None = None) -> QuerySet[Course]:
    """Courses with what the queue shows: provider, open and overdue conditions, open approval request."""
    from regulator.transitions import today as regulator_today

    today = today or regulator_today()
    return (
        Course.objects.select_related("provider")
        .annotate(
            open_conditions=Count("conditions", filter=Q(conditions__status=Condition.Status.OPEN), distinct=True),
            overdue_conditions=Count("conditions", filter=overdue_condition_q(today, "conditions__"), distinct=True),
            open_requests=Count(
                "approval_requests", filter=Q(approval_requests__status__in=OPEN_REQUEST_STATUSES), distinct=True
            ),
        )
        .order_by("provider__name", "name", "id")
    )


def approval_requests_list() -> QuerySet[ApprovalRequest]:
    return ApprovalRequest.objects.select_related("course__provider", "inspection").order_by("-received_on", "-id")


def conditions_list() -> QuerySet[Condition]:
    return Condition.objects.select_related("course__provider").order_by("due_on", "id")


def monitoring_returns_list(*, provider: CourseProvider | None = None) -> QuerySet[MonitoringReturn]:
    """Returns; for a provider user, only its own courses' returns."""
    qs = MonitoringReturn.objects.select_related("course__provider", "cycle")
    if provider is not None:
        qs = qs.filter(course__provider=provider)
    return qs.order_by("-cycle__year", "course__provider__name", "course__name", "id")


def enquiries_list() -> QuerySet[Enquiry]:
    return Enquiry.objects.select_related("course", "provider").order_by("-received_on", "-id")


def concerns_list() -> QuerySet[CourseConcern]:
    return CourseConcern.objects.select_related("course__provider").order_by("-received_on", "-id")


def events_for(**link) -> QuerySet[EducationEvent]:
    """The timeline of one record (course=..., approval_request=..., enquiry=...), oldest first."""
    return EducationEvent.objects.filter(**link).select_related("actor").order_by("at", "id")


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, m = [], first.replace(day=1)
    while m <= last:
        months.append(m)
        m = (m + dt.timedelta(days=32)).replace(day=1)
    return months


def education_monthly_figures(first: dt.date, last: dt.date) -> list[dict]:
    """The board's education rows for each month from `first` to `last` (month starts): enquiries
    and concerns received, inspections conducted, inspection outcomes, approved courses and
    providers at month end, monitoring returns received. One grouped query for the counts, and one
    per month for the month-end position."""
    months = _months(first, last)
    if not months:
        return []
    window = Q(on__gte=months[0], on__lte=_month_end(months[-1]))
    outcome = Q(kind__in=INSPECTION_OUTCOMES, approval_request__isnull=False)
    counts: dict[Any, Any] = {
        row["month"]: row
        for row in EducationEvent.objects.filter(window)
        .annotate(month=TruncMonth("on"))
        .values("month")
        .annotate(
            enquiries_received=Count("id", filter=Q(kind=Kind.ENQUIRY_RECEIVED)),
            concerns_received=Count("id", filter=Q(kind=Kind.CONCERN_RECEIVED)),
            inspections_conducted=Count("id", filter=Q(kind=Kind.INSPECTION_CONDUCTED)),
            outcome_approved=Count("id", filter=outcome & Q(kind=Kind.APPROVED)),
            outcome_approved_with_conditions=Count("id", filter=outcome & Q(kind=Kind.APPROVED_WITH_CONDITIONS)),
            outcome_not_approved=Count("id", filter=outcome & Q(kind=Kind.NOT_APPROVED)),
            outcome_request_withdrawn=Count("id", filter=outcome & Q(kind=Kind.REQUEST_WITHDRAWN)),
            monitoring_returns_received=Count("id", filter=Q(kind=Kind.MONITORING_RETURN_SUBMITTED)),
        )
    }
    rows = []
    for month in months:
        c = counts.get(month) or counts.get(dt.datetime.combine(month, dt.time()), {})
        position = approved_courses_on(_month_end(month)).aggregate(
            courses=Count("id", distinct=True), providers=Count("provider", distinct=True)
        )
        rows.append(
            {
                "month": month,
                "enquiries_received": c.get("enquiries_received", 0),
                "concerns_received": c.get("concerns_received", 0),
                "inspections_conducted": c.get("inspections_conducted", 0),
                "inspection_outcomes": {
                    "approved": c.get("outcome_approved", 0),
                    "approved_with_conditions": c.get("outcome_approved_with_conditions", 0),
                    "not_approved": c.get("outcome_not_approved", 0),
                    "request_withdrawn": c.get("outcome_request_withdrawn", 0),
                },
                "approved_courses_at_month_end": position["courses"],
                "approved_providers_at_month_end": position["providers"],
                "monitoring_returns_received": c.get("monitoring_returns_received", 0),
            }
        )
    return rows


def course_changes_list():
    from .models import CourseChange

    return CourseChange.objects.select_related("course__provider").order_by("-received_on", "-id")
