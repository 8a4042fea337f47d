"""Demo education QA: about 81 course providers and 276 courses (as the regulator has), transferred
from the HCPC as approved in bulk, then a year of work through the services: approval requests at
every stage with inspections and conditions, course changes, enquiries and concerns in the board's
monthly proportions, and the 2020 annual monitoring cycle mostly returned and reviewed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from regulator.demo import DemoContext, demo_user
from regulator.roles import Role

from . import services
from .models import (
    ApprovalRequest,
    Condition,
    Course,
    CourseProvider,
    CourseStatus,
    EducationEvent,
    InspectionTeamMember,
    QualificationLevel,
    StudyMode,
)

PROVIDERS = 81
COURSES = 276
TRANSFER_DAY = dt.date(2019, 12, 2)  # the day the regulator took over from the HCPC
TOWNS = [
    "London",
    "Birmingham",
    "Manchester",
    "Leeds",
    "Sheffield",
    "Bristol",
    "Liverpool",
    "Newcastle",
    "Nottingham",
    "Leicester",
    "Coventry",
    "Bradford",
    "Hull",
    "Plymouth",
    "Derby",
    "Southampton",
    "Portsmouth",
    "Reading",
    "Northampton",
    "Luton",
    "Sunderland",
    "Norwich",
    "Brighton",
    "Bournemouth",
    "Oxford",
    "Cambridge",
    "York",
    "Exeter",
    "Preston",
    "Lincoln",
    "Chester",
    "Canterbury",
    "Worcester",
    "Winchester",
    "Lancaster",
    "Durham",
]
KINDS = ["University of {t}", "{t} University", "{t} College", "{t} Metropolitan University"]
COURSE_NAMES = {
    QualificationLevel.UNDERGRADUATE: "BA (Hons) Social Work",
    QualificationLevel.POSTGRADUATE: "MA Social Work",
    QualificationLevel.POSTGRADUATE_DIPLOMA: "PG Dip Social Work",
    QualificationLevel.APPRENTICESHIP: "Social Work Degree Apprenticeship",
}
# Enquiries and concerns received each month, April 2020 to January 2021 (the board's table).
ENQUIRIES = [53, 29, 36, 26, 21, 44, 39, 56, 16, 38]
CONCERNS = [3, 3, 2, 2, 2, 1, 0, 1, 0, 8]
TEAM = [
    ("Dr Hannah Lead", InspectionTeamMember.Role.LEAD),
    ("Sam Quality", InspectionTeamMember.Role.EDUCATION_QA_OFFICER),
    ("Priya Practitioner", InspectionTeamMember.Role.REGISTRANT_INSPECTOR),
]


def _months():
    return [dt.date(2020 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(10)]


@transaction.atomic
def _providers_and_courses(context: DemoContext) -> list[Course]:
    rng = context.rng
    names: list[str] = []
    n = 0
    while len(names) < PROVIDERS:
        town, kind = TOWNS[n % len(TOWNS)], KINDS[(n // len(TOWNS)) % len(KINDS)]
        names.append(kind.format(t=town))
        n += 1
    providers = CourseProvider.objects.bulk_create(
        [
            CourseProvider(
                name=name,
                town=name.split(" ")[-1] if name.startswith("University of") else name.split(" ")[0],
                contact_email=f"quality@{name.lower().replace(' ', '-')}.example.ac.uk",
            )
            for name in names
        ]
    )
    levels = list(COURSE_NAMES)
    courses: list[Course] = []
    seen: set[tuple] = set()
    while len(courses) < COURSES:
        provider = providers[len(courses) % PROVIDERS] if len(courses) < PROVIDERS else rng.choice(providers)
        level = rng.choices(levels, weights=[50, 30, 5, 15])[0]
        mode = (
            StudyMode.WORK_BASED
            if level == QualificationLevel.APPRENTICESHIP
            else rng.choices([StudyMode.FULL_TIME, StudyMode.PART_TIME, StudyMode.FAST_TRACK], weights=[75, 20, 5])[0]
        )
        if (provider.pk, level, mode) in seen:
            continue
        seen.add((provider.pk, level, mode))
        approved_on = dt.date(rng.randint(2013, 2019), 9, 1)
        courses.append(
            Course(
                provider=provider,
                name=COURSE_NAMES[level],
                qualification_level=level,
                mode=mode,
                places=rng.choice([20, 25, 30, 40, 45, 60, 80]),
                status=CourseStatus.APPROVED,
                approved_on=approved_on,
                first_approved_on=approved_on,
                origin="hcpc",
            )
        )
    courses = Course.objects.bulk_create(courses)
    now = timezone.now()
    EducationEvent.objects.bulk_create(
        [
            EducationEvent(
                kind=EducationEvent.Kind.COURSE_IMPORTED,
                on=c.approved_on or TRANSFER_DAY,
                at=now,
                course=c,
                provider_id=c.provider_id,
                status_after=CourseStatus.APPROVED,
                detail="approved by the HCPC",
            )
            for c in courses
        ]
    )
    return courses


def _approvals(context: DemoContext, officer, courses: list[Course]) -> None:
    """The year's regulatory decisions (the board's outcome rows) and work in progress."""
    rng = context.rng
    S = ApprovalRequest.Status

    def new_course(name, on):
        return services.course_propose(
            provider=rng.choice(courses).provider,
            name=name,
            qualification_level=QualificationLevel.POSTGRADUATE,
            mode=StudyMode.FULL_TIME,
            places=25,
            actor=officer,
            on=on,
        )

    def take(course, received, upto, *, outcome="approved", conditions=(), inspected=None, decided=None):
        req = services.approval_request_receive(course=course, kind="approval", actor=officer, received_on=received)
        if upto == S.RECEIVED:
            return req
        if upto == S.WITHDRAWN:
            return services.approval_request_withdraw(
                approval_request=req, actor=officer, on=received + dt.timedelta(days=20), reason="Provider withdrew"
            )
        req = services.approval_request_complete_documentary_review(
            approval_request=req, actor=officer, on=received + dt.timedelta(days=14)
        )
        if upto == S.DOCUMENTARY_REVIEW_COMPLETE:
            return req
        inspected = inspected or received + dt.timedelta(days=40)
        services.inspection_schedule(
            approval_request=req,
            mode=rng.choice(["remote", "on_site"]),
            starts_on=inspected - dt.timedelta(days=1),
            ends_on=inspected,
            team=TEAM,
            actor=officer,
        )
        req.refresh_from_db()
        if upto == S.INSPECTION_SCHEDULED:
            return req
        req = services.inspection_record_conducted(approval_request=req, conducted_on=inspected, actor=officer)
        if upto == S.INSPECTED:
            return req
        return services.approval_request_decide(
            approval_request=req,
            outcome=outcome,
            conditions=conditions,
            actor=officer,
            on=decided or inspected + dt.timedelta(days=10),
        )

    # Decisions in the board's months (inspections May to August 2020; outcomes as reported).
    take(
        new_course("MA Social Work (Step Up)", dt.date(2020, 3, 2)),
        dt.date(2020, 3, 2),
        S.DECIDED,
        outcome="approved_with_conditions",
        inspected=dt.date(2020, 3, 30),
        decided=dt.date(2020, 4, 20),
        conditions=[("Confirm practice placement capacity for 2020 intake", dt.date(2020, 9, 30))],
    )
    take(
        new_course("BA Social Work (Blended)", dt.date(2020, 3, 9)),
        dt.date(2020, 3, 9),
        S.DECIDED,
        outcome="approved_with_conditions",
        inspected=dt.date(2020, 4, 1),
        decided=dt.date(2020, 4, 24),
        conditions=[("Appoint a programme lead registered with the regulator", dt.date(2020, 10, 30))],
    )
    take(new_course("MSc Social Work", dt.date(2020, 5, 1)), dt.date(2020, 5, 1), S.WITHDRAWN)
    for inspected in (
        dt.date(2020, 5, 20),
        dt.date(2020, 6, 10),
        dt.date(2020, 6, 24),
        dt.date(2020, 7, 8),
        dt.date(2020, 7, 22),
        dt.date(2020, 8, 12),
    ):
        course = new_course(f"PG Dip Social Work {inspected:%B}", inspected - dt.timedelta(days=60))
        outcome, decided = "approved", dt.date(2020, 10, 12)
        conditions: list[tuple[str, dt.date]] = []
        if inspected.month == 7:
            outcome, decided = "approved_with_conditions", dt.date(2020, 11, 16 + inspected.day % 5)
            conditions = [("Strengthen service-user involvement in admissions", dt.date(2021, 3, 31))]
        elif inspected.month == 8:
            outcome, decided = "not_approved", dt.date(2020, 11, 23)
        elif inspected.month == 6:
            outcome, decided = "approved_with_conditions", dt.date(2020, 12, 7 + inspected.day % 3)
            conditions = [("Publish the revised curriculum map", dt.date(2021, 4, 30))]
        take(
            course,
            inspected - dt.timedelta(days=50),
            S.DECIDED,
            outcome=outcome,
            conditions=conditions,
            inspected=inspected,
            decided=decided,
        )
    # Conditions met and not met; an approval withdrawn after inspection (Q3).
    for condition in Condition.objects.filter(due_on__lt=dt.date(2021, 1, 1)):
        services.condition_decide(condition=condition, met=True, actor=officer, on=condition.due_on)
    withdrawn = courses[-1]
    services.course_withdraw_approval(
        course=withdrawn,
        actor=officer,
        on=dt.date(2020, 12, 14),
        reason="Following inspection, the course no longer meets the standards",
    )
    # Work in progress at every stage.
    for stage in (S.RECEIVED, S.DOCUMENTARY_REVIEW_COMPLETE, S.INSPECTION_SCHEDULED, S.INSPECTED):
        take(new_course(f"MA Social Work ({stage.label})", dt.date(2021, 1, 4)), dt.date(2021, 1, 4), stage)
    # Two changes approved after documentary review (Q3) and one awaiting a decision.
    for day, places in ((dt.date(2020, 10, 5), 60), (dt.date(2020, 11, 9), 45)):
        change = services.course_change_receive(
            course=courses[10 + day.month],
            description="Increase the annual intake",
            new_places=places,
            actor=officer,
            received_on=day,
        )
        services.course_change_decide(change=change, approve=True, actor=officer, on=day + dt.timedelta(days=21))
    services.course_change_receive(
        course=courses[3],
        description="Add a part-time route",
        new_mode=StudyMode.PART_TIME,
        actor=officer,
        received_on=dt.date(2021, 1, 11),
    )


def _enquiries_and_concerns(context: DemoContext, officer, courses: list[Course]) -> None:
    rng = context.rng
    subjects = [
        "Is this course approved?",
        "Recognition of a qualification",
        "Placement arrangements during Covid-19",
        "Changes to assessment",
        "Annual monitoring return",
        "Approval process for a new course",
    ]
    for month, enquiries, concerns in zip(_months(), ENQUIRIES, CONCERNS, strict=True):
        days = 28
        for _ in range(enquiries):
            received = month + dt.timedelta(days=rng.randrange(days))
            e = services.enquiry_receive(
                enquirer=rng.choice(["A student", "A course provider", "An employer", "A member of the public"]),
                subject=rng.choice(subjects),
                actor=officer,
                received_on=received,
                course=rng.choice(courses) if rng.random() < 0.4 else None,
            )
            services.enquiry_close(enquiry=e, actor=officer, on=received + dt.timedelta(days=rng.randint(0, 10)))
        for _ in range(concerns):
            received = month + dt.timedelta(days=rng.randrange(days))
            c = services.concern_receive(
                course=rng.choice(courses),
                raised_by="A student",
                actor=officer,
                summary="Placements cancelled at short notice",
                received_on=received,
            )
            if received < dt.date(2021, 1, 1):
                services.concern_close(
                    concern=c,
                    outcome=rng.choice(["no_action", "advice"]),
                    actor=officer,
                    on=received + dt.timedelta(days=rng.randint(5, 30)),
                )


def _monitoring(context: DemoContext, officer, provider_user) -> None:
    rng = context.rng
    cycle = services.monitoring_cycle_open(
        year=2020, due_on=dt.date(2020, 12, 18), actor=officer, opened_on=dt.date(2020, 10, 1)
    )
    from .models import MonitoringReturn, ProviderUser

    # Each provider's returns are submitted by a sign-in of that provider (demo contacts, no password).
    links = {link.provider_id: link.user for link in ProviderUser.objects.select_related("user")}
    returns = list(cycle.returns.select_related("course"))
    for i, ret in enumerate(returns):
        if ret.course.provider_id == provider_user.provider_link.provider_id and i % 2 == 0:
            continue  # leave the demo provider something to submit
        user = links.get(ret.course.provider_id)
        if user is None or rng.random() < 0.04:
            continue  # a few still outstanding, to chase
        submitted = dt.date(2020, 10, 12) + dt.timedelta(days=rng.randrange(80))
        services.monitoring_return_submit(
            monitoring_return=ret, actor=user, students_enrolled=rng.randint(15, 80), meets_standards=True, on=submitted
        )
        if rng.random() < 0.6:
            services.monitoring_return_review(
                monitoring_return=MonitoringReturn.objects.get(pk=ret.pk),
                outcome="standards_met",
                actor=officer,
                on=submitted + dt.timedelta(days=rng.randint(5, 30)),
            )


@transaction.atomic  # one commit for the whole seed: fast, and all or nothing
def seed(context: DemoContext) -> None:
    if CourseProvider.objects.exists():
        context.stdout.write("Education QA: providers exist already, demo data left as it is.")
        return
    officer = demo_user(
        context,
        username="education.officer",
        role=Role.EDUCATION_QA_OFFICER,
        first_name="Philippa",
        last_name="Quality",
    )
    courses = _providers_and_courses(context)
    provider_user = demo_user(
        context,
        username="provider",
        role=Role.EDUCATION_PROVIDER,
        first_name="Uma",
        last_name="Provider",
        email="provider@example.ac.uk",
    )
    services.provider_user_link(user=provider_user, provider=courses[0].provider, actor=officer)
    from regulator.models import User

    with transaction.atomic():
        contacts = User.objects.bulk_create(
            [
                User(username=f"provider-contact-{p.pk}", first_name="Quality", last_name="Lead", is_active=False)
                for p in CourseProvider.objects.exclude(pk=courses[0].provider_id)
            ]
        )
        for user, provider in zip(contacts, CourseProvider.objects.exclude(pk=courses[0].provider_id), strict=True):
            services.provider_user_link(user=user, provider=provider, actor=officer)
    _approvals(context, officer, courses)
    _enquiries_and_concerns(context, officer, courses)
    _monitoring(context, officer, provider_user)
    context.stdout.write(
        f"Education QA: {CourseProvider.objects.count()} providers, {Course.objects.count()} courses, "
        f"{EducationEvent.objects.count():,} events."
    )
