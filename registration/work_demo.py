"""Demo registration work: applications at every status, renewals, CPD, appeals, misuse-of-title
cases, calls and emails, and a demo registrant sign-in linked to an entry. Bounded in size (a few
hundred rows whatever --registrants is), and skipped by seed_demo --register-only."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from education_qa.models import Course
from education_qa.selectors import approved_courses_on
from regulator.demo import DemoContext, demo_user
from regulator.models import User
from regulator.roles import Role, grant_roles
from regulator.working_days import LONDON

from . import services
from .models import Application, EntryStatus, RegisterEntry, Registrant

APPLICATIONS = 60


# Decided applications, calls and emails reach back this far, so the board's REG1 to REG3 have a
# regulator year of months to show; the open queue stays recent.
HISTORY_DAYS = 230
HISTORY_APPLICATIONS = 120


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A time on a demo day, never later than now (nothing is recorded in the future)."""
    return min(dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON), timezone.now())


def seed(context: DemoContext) -> None:
    """A seeder of its own (regulator.demo.DEMO_SEEDERS), after education_qa.demo."""
    if not context.register_only:
        seed_work(context)


def _approved_course_for(qualified_on: dt.date, rng, cache: dict) -> Course | None:
    """A course that was approved when the demo graduate qualified (None if education QA has none)."""
    if qualified_on not in cache:
        cache[qualified_on] = list(approved_courses_on(qualified_on).order_by("id")[:40])
    courses = cache[qualified_on]
    return rng.choice(courses) if courses else None


def seed_work(context: DemoContext) -> None:
    if Application.objects.exists():
        context.stdout.write("Registration work already seeded: left as it is.")
        return
    rng = context.rng
    now = timezone.now()
    today = timezone.localdate()
    officer = User.objects.get(username="registration.officer")  # registration.demo made it
    colleague = demo_user(
        context,
        username="registration.officer2",
        role=Role.REGISTRATION_OFFICER,
        first_name="Raj",
        last_name="Colleague",
    )
    # Decision letters are emailed on commit; the demo keeps them in memory rather than on the console.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
        registrant_user = _demo_registrant(context, today)
        counts = {"applications": 0}
        courses: dict[dt.date, list[Course]] = {}
        routes = ["uk"] * 6 + ["overseas"] * 2 + ["eea", "swiss"]
        for i in range(APPLICATIONS):
            user = _applicant(i, rng)
            route = rng.choice(routes)
            received_on = today - dt.timedelta(days=rng.randrange(1, 40))
            qualified_on = received_on - dt.timedelta(days=60)
            course = _approved_course_for(qualified_on, rng, courses) if route == "uk" else None
            if route == "uk" and course is None:
                route = "overseas"  # no approved courses (education QA not seeded): no UK graduate to show
            application = services.application_start(registrant=user.registrant, kind="new", route=route, actor=user)
            answers = {
                "town": rng.choice(["Leeds", "London", "Bristol", "Manchester", "Norwich"]),
                "qualification": course.name if course else "Bachelor of Social Work",
                "awarding_institution": course.provider.name if course else "University of Cape Town",
                "qualified_on": qualified_on,
                "approved_course": course,
                "english_language_evidence": "" if route == "uk" else "IELTS 7.5",
                "registered_elsewhere": "Swiss Red Cross" if route == "swiss" else "",
                "character_declaration": True,
                "health_declaration": True,
            }
            services.application_update_draft(application=application, actor=user, version=None, **answers)
            if route != "uk":
                from django.core.files.uploadedfile import SimpleUploadedFile

                services.application_document_add(
                    application=application,
                    kind="qualification",
                    actor=user,
                    upload=SimpleUploadedFile("degree.pdf", b"%PDF-1.4\n%demo\n%%EOF\n"),
                )
            services.application_pay(application=application, actor=user, token="success")  # noqa: S106
            counts["applications"] += 1
            if i % 10 == 9:
                continue  # a draft
            services.application_submit(application=application, actor=user, version=None, now=_at(received_on, 9))
            roll = i % 10
            if roll in (1, 2, 3):
                services.application_assign(
                    application=application, officer=officer if roll != 3 else colleague, actor=officer
                )
            if roll == 2:
                services.application_request_information(
                    application=application,
                    actor=officer,
                    reason="Please send your final transcript.",
                    version=None,
                    now=_at(received_on + dt.timedelta(days=1), 11),
                )
            if roll == 3:
                services.application_flag_for_investigation(
                    application=application, actor=officer, reason="Declared a police caution.", version=None
                )
            decided = min(received_on + dt.timedelta(days=rng.randrange(3, 20)), today)
            if roll in (4, 5) and decided > received_on:
                services.application_approve(application=application, actor=officer, version=None, now=_at(decided, 15))
            elif roll == 6 and decided > received_on:
                services.application_refuse(
                    application=application,
                    actor=officer,
                    reasons="The qualification is not a social work qualification.",
                    version=None,
                    now=_at(decided, 15),
                )
                if i % 20 == 6:
                    services.appeal_lodge(
                        registrant=application.registrant,
                        actor=user,
                        grounds="My degree included 200 days of practice.",
                        application=application,
                        now=_at(min(decided + dt.timedelta(days=3), today), 12),
                    )
            elif roll == 7 and decided > received_on:
                services.application_withdraw(
                    application=application, actor=user, reason="Moved abroad", version=None, now=_at(decided, 12)
                )
        counts["applications"] += _decided_history(rng, today, officer, courses)
        counts["renewals"] = _renewals_and_restorations(rng, today, now)
        for n in range(6):
            case = services.misuse_of_title_open(
                subject_name=rng.choice(["J. Bloggs", "A. Nother", "Care Direct Ltd"]),
                details="Advertises as a social worker; not on the register.",
                actor=officer,
                now=now - dt.timedelta(days=40 - n * 5),
            )
            if n % 3:
                services.misuse_of_title_start_work(case=case, actor=officer, version=None)
            if n % 3 == 2:
                services.misuse_of_title_complete(
                    case=case, outcome="Advert withdrawn after our letter.", actor=officer, version=None
                )
        rows = ["received_at,queue_seconds,outcome"]
        for d in range(HISTORY_DAYS):
            day = today - dt.timedelta(days=d + 1)
            if day.weekday() >= 5:
                continue
            for k in range(rng.randrange(3, 7)):
                at = _at(day, 9 + k % 8).replace(minute=rng.randrange(60), second=rng.randrange(60))
                outcome = rng.choices(["answered", "abandoned_in_queue", "hung_up_before_queue"], [85, 10, 5])[0]
                queue = "" if outcome == "hung_up_before_queue" else str(int(rng.expovariate(1 / 150)))
                rows.append(f"{at.isoformat()},{queue},{outcome}")
        services.calls_import(text="\n".join(rows) + "\n", actor=officer)
        for d in range(0, HISTORY_DAYS, 2):
            enquiry = services.email_enquiry_receive(
                received_at=now - dt.timedelta(days=d, hours=3),
                actor=officer,
                from_address=f"person{d}@example.org",
                subject=rng.choice(["Renewal question", "Change of name", "CPD evidence", "Fee refund"]),
            )
            if d > 2 and d % 15:  # a few are never answered
                services.email_enquiry_answer(
                    enquiry=enquiry,
                    actor=officer,
                    version=None,
                    responded_at=min(
                        enquiry.received_at + dt.timedelta(days=rng.choice([0, 1, 1, 2, 2, 3, 4, 7])), now
                    ),
                )
    context.stdout.write(
        f"Registration work: {counts['applications']} applications, {counts['renewals']} renewals, CPD, appeals, "
        "misuse-of-title cases, calls and emails; "
        f"demo registrant {registrant_user.email}."
    )


def _account_for(registrant: Registrant) -> User:
    """A sign-in (no usable password) for a demo register entry, so it can renew or apply."""
    email = f"registrant{registrant.pk}@demo.example"
    user = User(username=email, email=email, first_name=registrant.given_name, last_name=registrant.family_name)
    user.set_unusable_password()
    user.save()
    grant_roles(user, [Role.REGISTRANT])
    registrant.user, registrant.email = user, email
    registrant.save(update_fields=["user", "email"])
    return user


def _renewals_and_restorations(rng, today: dt.date, now: dt.datetime) -> int:
    """CPD for 40 registered people; when the renewal window is open today, 25 of them renew. Three
    people removed for failure to renew apply for restoration, and one appeals against the removal."""
    from .clocks import registration_year_starts, renewal_window

    window = renewal_window(today)
    entries = list(
        RegisterEntry.objects.filter(status=EntryStatus.REGISTERED, register="full", registrant__user__isnull=True)
        .select_related("registrant")
        .order_by("-id")[:40]
    )
    renewed = 0
    start = max(registration_year_starts(window.year_ends), today - dt.timedelta(days=300))
    span = max((today - start).days, 1)
    for n, entry in enumerate(entries):
        user = _account_for(entry.registrant)
        for peer in (False, True):
            done = start + dt.timedelta(days=rng.randrange(span))
            services.cpd_record_add(
                registrant=entry.registrant,
                actor=user,
                kind=rng.choice(["course", "reading", "supervision"]),
                done_on=done,
                description=rng.choice(["Safeguarding update", "Mental Capacity Act refresher", "Peer case review"]),
                learning="Changes in the statutory guidance",
                impact="I record my reasoning more clearly",
                peer_reflection=peer,
                peer_name="Practice supervisor" if peer else "",
                peer_reflection_on=done if peer else None,
            )
        if n < 25 and window.is_open(today):
            services.renewal_submit(
                registrant=entry.registrant,
                actor=user,
                declarations_confirmed=True,
                payment_token="success",  # noqa: S106
            )
            renewed += 1
    removed = (
        RegisterEntry.objects.filter(
            status=EntryStatus.REMOVED, removal_reason="failure_to_renew", registrant__user__isnull=True
        )
        .select_related("registrant")
        .order_by("id")[:3]
    )
    for n, entry in enumerate(removed):
        user = _account_for(entry.registrant)
        if n == 2:
            event = entry.events.filter(kind="removed").order_by("-at").first()
            if event is not None and (today - event.on).days <= 28:
                services.appeal_lodge(
                    registrant=entry.registrant, actor=user, grounds="I renewed by post.", removal_event=event
                )
            continue
        application = services.application_start(
            registrant=entry.registrant, kind="restoration", route="uk", actor=user
        )
        services.application_update_draft(
            application=application, actor=user, version=None, character_declaration=True, health_declaration=True
        )
        services.application_pay(application=application, actor=user, token="success")  # noqa: S106
        services.application_submit(
            application=application, actor=user, version=None, now=now - dt.timedelta(days=n + 2)
        )
    return renewed


def _decided_history(rng, today: dt.date, officer, courses: dict) -> int:
    """Applications received and decided over the past HISTORY_DAYS, through the real services:
    most approved within the 10 working days, some after a request for information (a paused clock),
    some late, a few refused or withdrawn."""
    routes = ["uk"] * 7 + ["overseas"] * 2 + ["eea"]
    made = 0
    for i in range(HISTORY_APPLICATIONS):
        user = _applicant(APPLICATIONS + i, rng)
        received_on = today - dt.timedelta(days=rng.randrange(45, HISTORY_DAYS))
        qualified_on = received_on - dt.timedelta(days=60)
        route = rng.choice(routes)
        course = _approved_course_for(qualified_on, rng, courses) if route == "uk" else None
        if route == "uk" and course is None:
            route = "overseas"
        application = services.application_start(registrant=user.registrant, kind="new", route=route, actor=user)
        services.application_update_draft(
            application=application,
            actor=user,
            version=None,
            town=rng.choice(["Leeds", "York", "Derby", "Hull"]),
            qualification=course.name if course else "Bachelor of Social Work",
            awarding_institution=course.provider.name if course else "University of Nairobi",
            qualified_on=qualified_on,
            approved_course=course,
            english_language_evidence="" if route == "uk" else "IELTS 7.0",
            registered_elsewhere="",
            character_declaration=True,
            health_declaration=True,
        )
        if route != "uk":
            from django.core.files.uploadedfile import SimpleUploadedFile

            services.application_document_add(
                application=application,
                kind="qualification",
                actor=user,
                upload=SimpleUploadedFile("degree.pdf", b"%PDF-1.4\n%demo\n%%EOF\n"),
            )
        services.application_pay(application=application, actor=user, token="success")  # noqa: S106
        services.application_submit(application=application, actor=user, version=None, now=_at(received_on, 9))
        services.application_assign(application=application, officer=officer, actor=officer)
        decided = received_on + dt.timedelta(days=rng.choice([2, 4, 6, 8, 10, 12, 13, 20]))
        if i % 6 == 1:  # a request for information pauses the clock for a week
            asked = received_on + dt.timedelta(days=1)
            services.application_request_information(
                application=application,
                actor=officer,
                reason="Please send your transcript.",
                version=None,
                now=_at(asked, 11),
            )
            services.application_record_information_received(
                application=application, actor=user, version=None, now=_at(asked + dt.timedelta(days=7), 10)
            )
            decided += dt.timedelta(days=7)
        if i % 10 == 8:
            services.application_refuse(
                application=application,
                actor=officer,
                reasons="Not a social work qualification.",
                version=None,
                now=_at(decided, 15),
            )
        elif i % 10 == 9:
            services.application_withdraw(
                application=application, actor=user, reason="Took another job", version=None, now=_at(decided, 12)
            )
        else:
            services.application_approve(application=application, actor=officer, version=None, now=_at(decided, 15))
        made += 1
    return made


def _applicant(i: int, rng) -> User:
    """A demo applicant with no usable password (hashing 60 passwords would be most of the seed's time)."""
    given = rng.choice(["Amara", "Tom", "Priya", "Kasia", "Sean", "Chloe", "Ade", "Maria", "Liam", "Zoe"])
    family = rng.choice(["Okafor", "Smith", "Patel", "Nowak", "Murphy", "Jones", "Bello", "Pop"])
    email = f"applicant{i}@demo.example"
    user = User(username=email, email=email, first_name=given, last_name=family)
    user.set_unusable_password()
    user.save()
    grant_roles(user, [Role.REGISTRANT])
    Registrant.objects.create(user=user, given_name=given, family_name=family, email=email)
    return user


def _demo_registrant(context: DemoContext, today: dt.date):
    """The demo registrant: a sign-in linked to a registered entry, with one CPD record to start from."""
    entry = (
        RegisterEntry.objects.filter(status=EntryStatus.REGISTERED, register="full", registrant__user__isnull=True)
        .select_related("registrant")
        .order_by("id")
        .first()
    )
    user = demo_user(
        context,
        username="registrant",
        role=Role.REGISTRANT,
        first_name="Demo",
        last_name="Registrant",
        email="registrant@demo.example",
    )
    if entry is None:
        return user
    registrant: Registrant = entry.registrant
    if not Registrant.objects.filter(user=user).exists():
        registrant.user, registrant.email = user, user.email or ""
        registrant.save(update_fields=["user", "email"])
        user.first_name, user.last_name = registrant.given_name, registrant.family_name
        user.save(update_fields=["first_name", "last_name"])
        grant_roles(user, [Role.REGISTRANT])
        services.cpd_record_add(
            registrant=registrant,
            actor=user,
            kind="course",
            done_on=today - dt.timedelta(days=60),
            description="Trauma-informed practice course",
            learning="How trauma shapes engagement",
            impact="I plan first visits differently",
            peer_reflection=False,
        )
        # A second piece, reflected on with a peer: the demo registrant meets the CPD rule, so on any day the
        # renewal window is open they can renew (and the page says why not on the days it is closed).
        reflected_on = today - dt.timedelta(days=20)
        services.cpd_record_add(
            registrant=registrant,
            actor=user,
            kind="supervision",
            done_on=today - dt.timedelta(days=25),
            description="Reflective supervision on a complex case",
            learning="Where my assessment leaned on one source",
            impact="I check two sources before concluding",
            peer_reflection=True,
            peer_name="My practice supervisor",
            peer_reflection_on=reflected_on,
        )
    return user
