"""Applications: drafts, submission by route, the officer's decisions, letters, appeals' opening."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from registration import services
from registration.models import (
    Application,
    ApplicationEvent,
    ApplicationKind,
    ApplicationRoute,
    ApplicationStatus,
    EntryStatus,
    RegisterEntry,
    RemovalReason,
)
from registration.tests.helpers import PNG, applicant, at, draft, pdf, received
from regulator.errors import InvalidTransition, RuleViolation, StaleState
from regulator.models import AuditEvent
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def events(application):
    return list(application.events.values_list("event", flat=True))


def test_a_draft_is_saved_between_visits_and_submitting_writes_received():
    user, _ = applicant()
    application = draft(user)
    assert application.status == ApplicationStatus.DRAFT and events(application) == []
    services.application_submit(application=application, actor=user, version=application.version)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED and application.received_at
    assert events(application) == ["received"]


def test_an_incomplete_application_is_refused_with_a_reason_for_every_missing_answer():
    user, registrant = applicant()
    application = services.application_start(registrant=registrant, kind="new", route="uk", actor=user)
    with pytest.raises(ValidationError) as caught:
        services.application_submit(application=application, actor=user, version=None)
    needed = {"qualification", "approved_course", "town", "character_declaration", "health_declaration", "payment"}
    assert needed <= set(caught.value.message_dict)
    assert not ApplicationEvent.objects.filter(application=application).exists()


@pytest.mark.parametrize("route", [ApplicationRoute.OVERSEAS, ApplicationRoute.EEA, ApplicationRoute.SWISS])
def test_international_applicants_must_give_english_language_evidence_and_their_qualification(route):
    user, registrant = applicant()
    application = services.application_start(registrant=registrant, kind="new", route=route, actor=user)
    with pytest.raises(ValidationError) as caught:
        services.application_submit(application=application, actor=user, version=None)
    assert {"english_language_evidence", "documents"} <= set(caught.value.message_dict)
    assert received(route=route).status == ApplicationStatus.RECEIVED


def test_an_unpaid_application_cannot_be_submitted_and_a_declined_payment_does_not_count():
    user, _ = applicant()
    application = draft(user, pay=False)
    payment = services.application_pay(application=application, actor=user, token="fail")
    assert payment.status == "failed"
    with pytest.raises(ValidationError) as caught:
        services.application_submit(application=application, actor=user, version=None)
    assert list(caught.value.message_dict) == ["payment"]


def test_documents_are_checked_from_their_content_not_their_name(settings):
    user, _ = applicant()
    application = draft(user, pay=False)
    fake = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    with pytest.raises(RuleViolation) as caught:
        services.application_document_add(application=application, kind="qualification", upload=fake, actor=user)
    assert caught.value.field == "file"
    image = services.application_document_add(
        application=application, kind="identity", upload=SimpleUploadedFile("me.txt", PNG), actor=user
    )
    assert image.content_type == "image/png" and image.stored_name.endswith(".png")
    assert str(settings.MEDIA_ROOT) in image.file.path and "me.txt" not in image.file.path
    settings.REGISTRATION_DOCUMENT_MAX_BYTES = 10
    with pytest.raises(RuleViolation, match="smaller than"):
        services.application_document_add(application=application, kind="qualification", upload=pdf(), actor=user)


def test_approving_a_new_application_enters_the_applicant_on_the_register_and_emails_the_letter(
    officer, django_capture_on_commit_callbacks
):
    application = received()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(application=application, actor=officer, version=application.version)
    application.refresh_from_db()
    entry = RegisterEntry.objects.get(registrant=application.registrant)
    assert application.status == ApplicationStatus.APPROVED
    assert application.registration_number == entry.registration_number
    assert entry.status == EntryStatus.REGISTERED and entry.town == "Leeds" and entry.registered_until
    assert events(application) == ["received", "approved"]
    assert len(mail.outbox) == 1 and entry.registration_number in mail.outbox[0].body
    assert application.letters.get().sent_at is not None


def test_approving_a_restoration_restores_the_removed_entry(officer):
    user, registrant = applicant()
    first = received(user)
    services.application_approve(application=first, actor=officer, version=None)
    entry = registrant.register_entry
    services.register_entry_remove(entry=entry, removal_reason=RemovalReason.FAILURE_TO_RENEW, actor=None)
    restoration = received(user, kind=ApplicationKind.RESTORATION)
    services.application_approve(application=restoration, actor=officer, version=None)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REGISTERED
    assert restoration.__class__.objects.get(pk=restoration.pk).registration_number == entry.registration_number
    assert list(entry.events.values_list("kind", flat=True)) == ["registered", "removed", "restored"]


def test_only_someone_removed_can_apply_for_restoration():
    user, _ = applicant()
    with pytest.raises(InvalidTransition):
        draft(user, kind=ApplicationKind.RESTORATION)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (ApplicationStatus.DRAFT, False),
        (ApplicationStatus.RECEIVED, True),
        (ApplicationStatus.AWAITING_APPLICANT, False),
        (ApplicationStatus.APPROVED, False),
        (ApplicationStatus.REFUSED, False),
        (ApplicationStatus.WITHDRAWN, False),
    ],
)
def test_only_a_received_application_can_be_approved(officer, status, allowed):
    application = received()
    Application.objects.filter(pk=application.pk).update(status=status)
    if allowed:
        services.application_approve(application=application, actor=officer, version=None)
    else:
        with pytest.raises(InvalidTransition):
            services.application_approve(application=application, actor=officer, version=None)
        assert not RegisterEntry.objects.filter(registrant=application.registrant).exists()


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (ApplicationStatus.DRAFT, False),
        (ApplicationStatus.RECEIVED, True),
        (ApplicationStatus.AWAITING_APPLICANT, True),
        (ApplicationStatus.APPROVED, False),
        (ApplicationStatus.WITHDRAWN, False),
    ],
)
def test_refusal_is_allowed_only_while_the_application_is_open(officer, status, allowed):
    application = received()
    Application.objects.filter(pk=application.pk).update(status=status)
    if allowed:
        services.application_refuse(
            application=application, actor=officer, reasons="Not a social work degree", version=None
        )
    else:
        with pytest.raises(InvalidTransition):
            services.application_refuse(application=application, actor=officer, reasons="No", version=None)


def test_a_stale_version_is_refused_and_nothing_changes(officer):
    application = received()
    stale = application.version
    services.application_flag_for_investigation(application=application, actor=officer, reason="Caution", version=stale)
    with pytest.raises(StaleState):
        services.application_approve(application=application, actor=officer, version=stale)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED


def test_a_failed_approval_writes_nothing(officer):
    """Atomicity: the register refuses a second entry, so the application, events and audit stay as they were."""
    user, registrant = applicant()
    first = received(user)
    services.application_approve(application=first, actor=officer, version=None)
    second = Application.objects.create(
        reference="RAX1", kind="new", route="uk", registrant=registrant, status="received", town="Leeds"
    )
    audits, app_events = AuditEvent.objects.count(), ApplicationEvent.objects.count()
    with pytest.raises(InvalidTransition):
        services.application_approve(application=second, actor=officer, version=None)
    second.refresh_from_db()
    assert second.status == "received" and second.version == 1
    assert (AuditEvent.objects.count(), ApplicationEvent.objects.count()) == (audits, app_events)


def test_requesting_information_pauses_and_the_answer_resumes(officer):
    application = received(now=at("2026-11-02"))
    services.application_request_information(
        application=application, actor=officer, reason="Send your transcript", version=None, now=at("2026-11-03")
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_APPLICANT
    with pytest.raises(InvalidTransition):
        services.application_approve(application=application, actor=officer, version=None)
    services.application_record_information_received(
        application=application, actor=application.registrant.user, now=at("2026-11-05")
    )
    assert events(application) == ["received", "info_requested", "info_received"]


def test_flagging_for_investigation_needs_a_reason_and_is_recorded(officer):
    application = received()
    with pytest.raises(RuleViolation) as caught:
        services.application_flag_for_investigation(application=application, actor=officer, reason=" ", version=None)
    assert caught.value.field == "reason"
    services.application_flag_for_investigation(
        application=application, actor=officer, reason="Declared a caution", version=None
    )
    application.refresh_from_db()
    assert application.investigation_required and "flagged_for_investigation" in events(application)


def test_bulk_assign_gives_every_chosen_application_to_the_officer(officer):
    apps = [received() for _ in range(3)]
    other = UserFactory()
    assert services.applications_bulk_assign(application_ids=[a.pk for a in apps], officer=other, actor=officer) == 3
    assert set(Application.objects.values_list("assigned_to", flat=True)) == {other.pk}
    assert ApplicationEvent.objects.filter(event="assigned").count() == 3


def test_a_refused_application_can_be_appealed_within_28_days(officer):
    application = received(now=at("2026-10-01"))
    services.application_refuse(
        application=application,
        actor=officer,
        reasons="Qualification not recognised",
        version=None,
        now=at("2026-10-02"),
    )
    user = application.registrant.user
    application.refresh_from_db()
    with pytest.raises(RuleViolation, match="appeal period ended on 30 October 2026"):
        services.appeal_lodge(
            registrant=application.registrant,
            actor=user,
            grounds="It is",
            application=application,
            now=at("2026-10-31"),
        )
    appeal = services.appeal_lodge(
        registrant=application.registrant, actor=user, grounds="It is", application=application, now=at("2026-10-30")
    )
    assert appeal.status == "lodged"


@pytest.mark.django_db(transaction=True)
def test_two_officers_approving_at_once_exactly_one_succeeds():
    """Two real database connections race to approve the same application: one wins, one is told it changed."""
    first, second = UserFactory(), UserFactory()
    application = received()
    version = application.version
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(officer):
        try:
            barrier.wait()
            services.application_approve(application=Application(pk=application.pk), actor=officer, version=version)
            outcomes.append("approved")
        except (StaleState, InvalidTransition) as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(o,)) for o in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["StaleState", "approved"]
    assert RegisterEntry.objects.filter(registrant=application.registrant).count() == 1
    assert ApplicationEvent.objects.filter(application=application, event="approved").count() == 1


def test_withdrawn_applications_stop_the_clock(officer):
    application = received(now=at("2026-11-02"))
    services.application_withdraw(
        application=application,
        actor=application.registrant.user,
        reason="Moved abroad",
        version=None,
        now=at("2026-11-04"),
    )
    assert events(application) == ["received", "withdrawn"]
    assert dt.date(2026, 11, 4)


def test_application_references_come_from_the_row_and_never_clash():
    references = [received().reference for _ in range(3)]
    assert len(set(references)) == 3
    assert all(len(r) == 9 and r.startswith("RA") and r[2:].isdigit() for r in references)
