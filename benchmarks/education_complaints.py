"""Benchmark: education QA and complaints reads at several years' volume.

Builds, inside one transaction that is rolled back at the end (the database is left as it was):
2,000 courses with 20 status events each, 60,000 complaints and 30,000 information requests
over five years, with their events; then times the selectors the pages, API and figures use.

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/education_complaints.py
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regulator.settings.local")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from complaints.models import Complaint, ComplaintEvent, InformationRequest, InformationRequestEvent  # noqa: E402
from complaints.selectors import (  # noqa: E402
    complaints_list,
    complaints_monthly_figures,
    complaints_overdue,
    information_requests_monthly_figures,
    with_clock,
)
from education_qa.models import Course, CourseProvider, CourseStatus, EducationEvent  # noqa: E402
from education_qa.selectors import approved_courses_on, courses_list, education_monthly_figures  # noqa: E402

COURSES, EVENTS_PER_COURSE, COMPLAINTS, REQUESTS = 2_000, 20, 60_000, 30_000
START = dt.date(2016, 1, 1)
rng = random.Random(5)


class Rollback(Exception):
    pass


def timed(label, fn, runs=5):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    print(f"{label:<62} {statistics.median(times):8.1f} ms  (median of {runs})")
    return result


def build():
    now = timezone.now()
    provider = CourseProvider.objects.create(name="Benchmark University", town="Leeds", contact_email="b@example.org")
    courses = Course.objects.bulk_create(
        Course(
            provider=provider,
            name=f"Course {i}",
            qualification_level="undergraduate",
            mode="full_time",
            places=30,
            status=CourseStatus.APPROVED,
            approved_on=START,
        )
        for i in range(COURSES)
    )
    statuses = [CourseStatus.APPROVED, CourseStatus.APPROVED_WITH_CONDITIONS, CourseStatus.WITHDRAWN]
    EducationEvent.objects.bulk_create(
        (
            EducationEvent(
                kind="approved",
                on=START + dt.timedelta(days=90 * j + rng.randrange(60)),
                at=now,
                course=c,
                status_after=rng.choice(statuses),
            )
            for c in courses
            for j in range(EVENTS_PER_COURSE)
        ),
        batch_size=5000,
    )
    complaints = Complaint.objects.bulk_create(
        (
            Complaint(
                reference=f"B{i}",
                received_on=START + dt.timedelta(days=rng.randrange(1800)),
                complainant_name="x",
                category="fees",
                summary="x",
                status=rng.choice(["closed"] * 9 + ["assigned"]),
            )
            for i in range(COMPLAINTS)
        ),
        batch_size=5000,
    )
    ComplaintEvent.objects.bulk_create(
        (
            e
            for c in complaints
            for e in (
                ComplaintEvent(complaint=c, kind="received", stage=1, on=c.received_on, at=now),
                *(
                    [
                        ComplaintEvent(
                            complaint=c,
                            kind="closed",
                            stage=1,
                            at=now,
                            on=c.received_on + dt.timedelta(days=rng.randint(2, 40)),
                        )
                    ]
                    if c.status == "closed"
                    else []
                ),
            )
        ),
        batch_size=5000,
    )
    requests = InformationRequest.objects.bulk_create(
        (
            InformationRequest(
                kind=rng.choice(["foi", "sar"]),
                reference=f"BR{i}",
                requester_name="x",
                description="x",
                received_on=START + dt.timedelta(days=rng.randrange(1800)),
                status="closed",
            )
            for i in range(REQUESTS)
        ),
        batch_size=5000,
    )
    InformationRequestEvent.objects.bulk_create(
        (
            e
            for r in requests
            for e in (
                InformationRequestEvent(request=r, kind="received", on=r.received_on, at=now),
                InformationRequestEvent(
                    request=r, kind="closed", at=now, on=r.received_on + dt.timedelta(days=rng.randint(5, 45))
                ),
            )
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main():
    print(
        f"{connection.vendor}: {COURSES:,} courses x {EVENTS_PER_COURSE} events, {COMPLAINTS:,} complaints, "
        f"{REQUESTS:,} information requests"
    )
    try:
        with transaction.atomic():
            t = time.perf_counter()
            build()
            print(f"{'build (bulk, rolled back afterwards)':<62} {(time.perf_counter() - t):8.1f} s")
            on = dt.date(2019, 6, 30)
            timed("approved_courses_on(date).count()", lambda: approved_courses_on(on).count())
            timed("approved_courses_on(date): first 50 rows", lambda: list(approved_courses_on(on)[:50]))
            timed("courses queue: first 25 rows", lambda: list(courses_list()[:25]))
            timed(
                "education_monthly_figures: 12 months",
                lambda: education_monthly_figures(dt.date(2019, 4, 1), dt.date(2020, 3, 1)),
            )
            timed(
                "complaints queue: first 25 rows with clocks",
                lambda: [with_clock(c, dt.date(2021, 1, 1)) for c in complaints_list()[:25]],
            )
            timed(
                "complaints queue, overdue filter: count",
                lambda: complaints_overdue(complaints_list(), dt.date(2021, 1, 1)).count(),
            )
            timed(
                "complaints_monthly_figures: 12 months",
                lambda: complaints_monthly_figures(dt.date(2019, 4, 1), dt.date(2020, 3, 1)),
            )
            timed(
                "information_requests_monthly_figures: 12 months",
                lambda: information_requests_monthly_figures(dt.date(2019, 4, 1), dt.date(2020, 3, 1)),
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
