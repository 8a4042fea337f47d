"""Builders for registration-work tests: applicants, complete applications, CPD, moments in time."""

import datetime as dt
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from education_qa.tests.factories import make_course
from registration import services
from registration.models import ApplicationDocument, ApplicationKind, ApplicationRoute
from regulator.working_days import LONDON

_numbers = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def at(day: dt.date | str, hour: int = 10) -> dt.datetime:
    """A moment on a day in London (so the calendar dates are the ones written)."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def applicant(given_name="Amara", family_name="Okafor"):
    """A signed-up applicant: (user, registrant)."""
    n = next(_numbers)
    user = services.registrant_sign_up(
        email=f"applicant{n}@example.org", password="a-Good-password-1", given_name=given_name, family_name=family_name
    )
    user = services.registrant_email_confirm(user=user)  # as the link in the confirmation email does
    return user, user.registrant


def pdf(name="certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def draft(user, *, kind=ApplicationKind.NEW, route=ApplicationRoute.UK, pay=True, now=None, course=None):
    """A draft with every answer its route needs, paid for (unless pay=False); a UK graduate names
    `course` or, by default, a course approved since 2019 (so on the 30 June 2026 qualification)."""
    application = services.application_start(registrant=user.registrant, kind=kind, route=route, actor=user, now=now)
    answers = {"town": "Leeds", "character_declaration": True, "health_declaration": True}
    if kind == ApplicationKind.NEW:
        answers |= {
            "qualification": "BA (Hons) Social Work",
            "awarding_institution": "University of Leeds",
            "qualified_on": dt.date(2026, 6, 30),
        }
        if route == ApplicationRoute.UK:
            answers["approved_course"] = course or make_course()
        else:
            answers["english_language_evidence"] = "IELTS 7.5 overall (2026)"
            if route == ApplicationRoute.SWISS:
                answers["registered_elsewhere"] = "Swiss Red Cross"
    application = services.application_update_draft(application=application, actor=user, version=None, **answers)
    if kind == ApplicationKind.NEW and route != ApplicationRoute.UK:
        services.application_document_add(
            application=application, kind=ApplicationDocument.Kind.QUALIFICATION, upload=pdf(), actor=user
        )
    if pay:
        services.application_pay(application=application, actor=user, token="success")
    application.refresh_from_db()
    return application


def received(user=None, *, now=None, **kwargs):
    """A submitted application (received at `now`)."""
    if user is None:
        user, _ = applicant()
    application = draft(user, **kwargs)
    return services.application_submit(application=application, actor=user, version=None, now=now or timezone.now())


def cpd(registrant, *, on, peer=False, user=None, today=None):
    return services.cpd_record_add(
        registrant=registrant,
        actor=user,
        kind="course",
        done_on=on,
        description="Safeguarding adults refresher",
        learning="The new multi-agency referral process",
        impact="I refer earlier and record my reasons",
        peer_reflection=peer,
        peer_name="My supervisor" if peer else "",
        peer_reflection_on=on if peer else None,
        today=today or on,
    )
