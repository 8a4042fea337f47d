"""The subject access export: a Celery job gathers everything every app holds about a registrant
into one file outside the web root, which only complaints officers can download."""

import datetime as dt
import json
import time

import pytest
from celery.contrib.testing.worker import start_worker

from complaints import services
from complaints.models import SubjectAccessExport
from education_qa import services as education
from registration.models import Annotation
from registration.services import annotation_add, register_entry_change_details
from regulator.celery import app as celery_app
from regulator.subject_access import collect, modules
from tests.factories import make_entry

from .factories import make_complaint, make_request

pytestmark = pytest.mark.dates

D = dt.date


def _world(officer):
    """Two registrants, each with a record of every kind; the export must keep them apart."""
    people = []
    for given, town in (("Alice", "Leeds"), ("Bob", "York")):
        entry = make_entry(given_name=given, family_name="Example", town=town, actor=officer)
        annotation_add(entry=entry, kind=Annotation.Kind.AMHP, starts_on=D(2020, 1, 6), actor=officer)
        register_entry_change_details(entry=entry, actor=officer, reason="Moved", town=town + " North")
        registrant = entry.registrant
        make_complaint(received_on=D(2020, 4, 2), registrant=registrant, name=f"{given} Example")
        sar = make_request("sar", received_on=D(2020, 4, 2), registrant=registrant)
        education.enquiry_receive(
            enquirer=f"{given} Example",
            subject="Practice educator course",
            actor=officer,
            received_on=D(2020, 4, 3),
            registrant=registrant,
        )
        people.append((registrant, entry, sar))
    return people


EXPECTED_SECTIONS = {
    "registration": ["registrant", "register_entry", "register_events", "annotations", "audit_events"],
    "education_qa": ["enquiries", "enquiry_events", "audit_events"],
    "complaints": [
        "complaints",
        "complaint_events",
        "information_requests",
        "information_request_events",
        "audit_events",
    ],
}


def _ids_in(document) -> str:
    return json.dumps(document, default=str)


@pytest.mark.django_db
def test_the_export_holds_every_kind_of_record_about_the_registrant_and_nobody_elses(user_with_role):
    (alice, alice_entry, _), (bob, bob_entry, _) = _world(user_with_role("registration_officer"))
    document = collect(alice)
    for app, sections in EXPECTED_SECTIONS.items():
        for section in sections:
            assert document[app][section], f"{app}.{section} is empty"
    assert [r["given_name"] for r in document["registration"]["registrant"]] == ["Alice"]
    entries = document["registration"]["register_entry"]
    assert [r["registration_number"] for r in entries] == [alice_entry.registration_number]
    assert len(document["registration"]["register_events"]) == alice_entry.events.count()
    assert {r["registrant_id"] for r in document["complaints"]["complaints"]} == {alice.pk}
    assert {r["registrant_id"] for r in document["complaints"]["information_requests"]} == {alice.pk}
    assert {r["registrant_id"] for r in document["education_qa"]["enquiries"]} == {alice.pk}
    text = _ids_in(document)
    assert bob.pk not in {r["registrant_id"] for r in document["complaints"]["complaints"]}
    assert "Alice" in text and "Bob" not in text and bob_entry.registration_number not in text
    assert {
        a["object_id"]
        for a in document["registration"]["audit_events"]
        if a["object_type"] == "registration.registerentry"
    } == {str(alice_entry.pk)}


def test_every_app_with_a_module_follows_the_protocol():
    for app, module in modules().items():
        assert callable(module.export), app


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_produces_the_export_file_outside_the_web_root(user_with_role, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.MEDIA_ROOT = str(tmp_path / "private")
    celery_app.conf.task_always_eager = False
    officer = user_with_role("complaints_officer")
    (alice, _, sar), _ = _world(officer)
    try:
        with start_worker(celery_app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
            export = services.subject_access_export_request(request=sar, actor=officer)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                export.refresh_from_db()
                if export.status in (SubjectAccessExport.Status.READY, SubjectAccessExport.Status.FAILED):
                    break
                time.sleep(0.2)
    finally:
        celery_app.conf.task_always_eager = True
    assert export.status == SubjectAccessExport.Status.READY, export.error
    path = tmp_path / "private" / "subject-access" / export.file_name
    document = json.loads(path.read_text())
    assert document["sections"]["registration"]["registrant"][0]["given_name"] == "Alice"
    assert alice.pk in {r["registrant_id"] for r in document["sections"]["complaints"]["complaints"]}
    assert "Bob" not in path.read_text()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert list(sar.events.values_list("kind", flat=True)) == ["received", "export_requested", "export_ready"]


@pytest.mark.django_db
def test_an_export_that_fails_is_recorded_as_failed_and_is_not_downloadable(
    user_with_role, monkeypatch, settings, tmp_path
):
    import regulator.subject_access
    from regulator.models import AuditEvent

    settings.MEDIA_ROOT = str(tmp_path)
    officer = user_with_role("complaints_officer")
    sar = make_request("sar", registrant=make_entry().registrant)
    export = SubjectAccessExport.objects.create(
        request=sar, registrant=sar.registrant, requested_by=officer, requested_at=sar.events.get().at
    )

    def broken(registrant):
        raise RuntimeError("an app's export failed")

    monkeypatch.setattr(regulator.subject_access, "collect", broken)
    with pytest.raises(RuntimeError):
        services.subject_access_export_produce(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == "failed" and "an app's export failed" in export.error
    assert AuditEvent.objects.filter(action="subject_access_export.failed", object_id=str(export.pk)).exists()
    with pytest.raises(services.InvalidTransition):
        services.subject_access_export_note_download(export=export, actor=officer)
    assert services.subject_access_export_produce(export_id=export.pk).status == "failed"  # not retried blindly


@pytest.mark.django_db
def test_a_failed_or_stuck_export_can_be_retried_and_a_ready_one_cannot(user_with_role, api_client):
    import datetime as dt

    from django.utils import timezone

    from regulator.models import AuditEvent, OutboxMessage

    officer = user_with_role("complaints_officer")
    sar = make_request("sar", registrant=make_entry().registrant)
    now = timezone.now()
    export = SubjectAccessExport.objects.create(
        request=sar, registrant=sar.registrant, requested_by=officer, requested_at=now, status="failed", error="disk"
    )
    api_client.force_authenticate(officer)
    url = f"/api/v1/subject-access-exports/{export.pk}/retry/"
    answer = api_client.post(url)
    assert answer.status_code == 202 and answer.json()["status"] == "queued"
    assert OutboxMessage.objects.filter(kwargs={"export_id": str(export.pk)}).exists()
    assert AuditEvent.objects.filter(action="subject_access_export.retried").count() == 1
    SubjectAccessExport.objects.filter(pk=export.pk).update(status="running", requested_at=now)
    assert api_client.post(url).status_code == 409  # still being produced: leave it
    SubjectAccessExport.objects.filter(pk=export.pk).update(requested_at=now - dt.timedelta(hours=1))
    assert api_client.post(url).status_code == 202  # its worker died: queued again
    SubjectAccessExport.objects.filter(pk=export.pk).update(status="ready")
    assert api_client.post(url).status_code == 409
    api_client.force_authenticate(user_with_role("registration_officer"))
    assert api_client.post(url).status_code in (403, 404)
