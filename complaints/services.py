"""Every write for complaints and information requests: one function per change, which locks the
record, checks the state it is allowed from, writes the dated event and the audit record, or refuses."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from regulator import outbox
from regulator.audit import audit_record, snapshot
from regulator.errors import InvalidTransition, RuleViolation
from regulator.roles import Role, has_role
from regulator.transitions import check_event_date, lock_for_change, save_new_version
from regulator.working_days import local_date

from . import date_bounds
from .deadlines import information_request_due_on
from .models import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    InformationRequest,
    InformationRequestEvent,
    SubjectAccessExport,
)

CE = ComplaintEvent.Kind
IE = InformationRequestEvent.Kind
EXPORT_FOLDER = "subject-access"


def _user(actor):
    return actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None


def _today() -> dt.date:
    return local_date(timezone.now())


def _lock(model: Any, obj, version: int | None):
    """Lock the row; refuse a caller who read an older version (someone else changed it meanwhile)."""
    return lock_for_change(model, obj.pk, version=version)


def _complaint_event(complaint: Complaint, kind: str, *, on: dt.date, actor, reason: str = "", detail: str = ""):
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        stage=complaint.stage,
        on=on,
        at=timezone.now(),
        actor=_user(actor),
        reason=reason,
        detail=detail,
    )


def _stage_started_on(complaint: Complaint) -> dt.date:
    return (
        complaint.events.filter(kind__in=[CE.RECEIVED, CE.ESCALATED])
        .order_by("-on", "-id")
        .values_list("on", flat=True)[0]
    )


# --- complaints ----------------------------------------------------------------------------------


@transaction.atomic
def complaint_receive(
    *,
    complainant_name: str,
    category: str,
    summary: str,
    actor,
    received_on: dt.date | None = None,
    complainant_email: str = "",
    registrant=None,
) -> Complaint:
    received_on = received_on or _today()
    date_bounds.COMPLAINT_RECEIVED.check(received_on, field="received_on")
    if category not in ComplaintCategory.values:
        raise RuleViolation("Choose what the complaint is about.", field="category")
    if not summary.strip():
        raise RuleViolation("Summarise the complaint.", field="summary")
    if not complainant_name.strip():
        raise RuleViolation("Enter the complainant's name.", field="complainant_name")
    complaint = Complaint(
        reference=f"tmp-{uuid.uuid4().hex[:15]}",
        received_on=received_on,
        complainant_name=complainant_name.strip(),
        complainant_email=complainant_email,
        registrant=registrant,
        category=category,
        summary=summary.strip(),
    )
    complaint.full_clean(exclude=["reference"])
    complaint.save()
    complaint.reference = f"CMP-{complaint.pk:06d}"
    complaint.save(update_fields=["reference"])
    _complaint_event(complaint, CE.RECEIVED, on=received_on, actor=actor)
    audit_record(actor=actor, action="complaint.received", obj=complaint, after=snapshot(complaint))
    return complaint


@transaction.atomic
def complaint_assign(*, complaint: Complaint, officer, actor, version: int | None = None) -> Complaint:
    """Give the complaint (at its current stage) to a complaints officer."""
    complaint = _lock(Complaint, complaint, version)
    if complaint.status not in (Complaint.Status.RECEIVED, Complaint.Status.ASSIGNED):
        raise InvalidTransition(f"The complaint is {complaint.get_status_display().lower()}: it cannot be assigned.")
    if not has_role(officer, Role.COMPLAINTS_OFFICER):
        raise RuleViolation("Assign the complaint to a complaints officer.", field="officer")
    before = snapshot(complaint)
    complaint.status, complaint.assigned_to = Complaint.Status.ASSIGNED, officer
    save_new_version(complaint, ["status", "assigned_to"])
    _complaint_event(
        complaint, CE.ASSIGNED, on=_today(), actor=actor, detail=officer.get_full_name() or officer.get_username()
    )
    audit_record(actor=actor, action="complaint.assigned", obj=complaint, before=before, after=snapshot(complaint))
    return complaint


@transaction.atomic
def complaint_respond(
    *, complaint: Complaint, actor, response: str, on: dt.date | None = None, version: int | None = None
) -> Complaint:
    """Record the response sent to the complainant at the current stage."""
    complaint = _lock(Complaint, complaint, version)
    if complaint.status != Complaint.Status.ASSIGNED:
        raise InvalidTransition(
            f"The complaint is {complaint.get_status_display().lower()}: assign it before responding."
        )
    if not response.strip():
        raise RuleViolation("Summarise the response.", field="response")
    on = on or _today()
    check_event_date(on, not_before=_stage_started_on(complaint))
    before = snapshot(complaint)
    complaint.status = Complaint.Status.RESPONDED
    save_new_version(complaint, ["status"])
    _complaint_event(complaint, CE.RESPONDED, on=on, actor=actor, reason=response.strip())
    audit_record(
        actor=actor,
        action="complaint.responded",
        obj=complaint,
        before=before,
        after=snapshot(complaint),
        reason=response,
    )
    return complaint


@transaction.atomic
def complaint_close(
    *, complaint: Complaint, actor, reason: str = "", on: dt.date | None = None, version: int | None = None
) -> Complaint:
    """Close the complaint after its response; the closing date is what the 20-day standard measures."""
    complaint = _lock(Complaint, complaint, version)
    if complaint.status != Complaint.Status.RESPONDED:
        raise InvalidTransition(f"The complaint is {complaint.get_status_display().lower()}: respond before closing.")
    responded_on = (
        complaint.events.filter(kind=CE.RESPONDED, stage=complaint.stage)
        .order_by("-on")
        .values_list("on", flat=True)[0]
    )
    on = on or _today()
    check_event_date(on, not_before=responded_on)
    before = snapshot(complaint)
    complaint.status = Complaint.Status.CLOSED
    save_new_version(complaint, ["status"])
    _complaint_event(complaint, CE.CLOSED, on=on, actor=actor, reason=reason)
    audit_record(
        actor=actor, action="complaint.closed", obj=complaint, before=before, after=snapshot(complaint), reason=reason
    )
    return complaint


@transaction.atomic
def complaint_escalate(
    *, complaint: Complaint, actor, reason: str, on: dt.date | None = None, version: int | None = None
) -> Complaint:
    """The complainant is not satisfied with the stage 1 response: stage 2, with its own 20-day clock
    from the escalation date."""
    complaint = _lock(Complaint, complaint, version)
    if complaint.stage != 1:
        raise InvalidTransition("The complaint is at stage 2 already: it cannot be escalated again.")
    if complaint.status not in (Complaint.Status.RESPONDED, Complaint.Status.CLOSED):
        raise InvalidTransition("A complaint is escalated only after its stage 1 response.")
    if not reason.strip():
        raise RuleViolation("Say why the complainant asks for a review.", field="reason")
    on = on or _today()
    last_step = (
        complaint.events.filter(kind__in=[CE.RESPONDED, CE.CLOSED]).order_by("-on").values_list("on", flat=True)[0]
    )
    check_event_date(on, not_before=last_step)
    before = snapshot(complaint)
    complaint.stage, complaint.status, complaint.assigned_to = 2, Complaint.Status.RECEIVED, None
    save_new_version(complaint, ["stage", "status", "assigned_to"])
    _complaint_event(complaint, CE.ESCALATED, on=on, actor=actor, reason=reason)
    audit_record(
        actor=actor,
        action="complaint.escalated",
        obj=complaint,
        before=before,
        after=snapshot(complaint),
        reason=reason,
    )
    return complaint


# --- information requests ------------------------------------------------------------------------


def _request_event(request: InformationRequest, kind: str, *, on: dt.date, actor, reason: str = "", detail: str = ""):
    return InformationRequestEvent.objects.create(
        request=request, kind=kind, on=on, at=timezone.now(), actor=_user(actor), reason=reason, detail=detail
    )


@transaction.atomic
def information_request_receive(
    *,
    kind: str,
    requester_name: str,
    description: str,
    actor,
    received_on: dt.date | None = None,
    requester_email: str = "",
    registrant=None,
) -> InformationRequest:
    if kind not in InformationRequest.Kind.values:
        raise RuleViolation("Choose FOI or subject access request.", field="kind")
    if kind == InformationRequest.Kind.FOI and registrant is not None:
        raise RuleViolation("An FOI request is not about a registrant's own data.", field="registrant")
    if not description.strip():
        raise RuleViolation("Describe what is asked for.", field="description")
    received_on = received_on or _today()
    date_bounds.REQUEST_RECEIVED.check(received_on, field="received_on")
    request = InformationRequest(
        kind=kind,
        reference=f"tmp-{uuid.uuid4().hex[:15]}",
        received_on=received_on,
        requester_name=requester_name.strip(),
        requester_email=requester_email,
        registrant=registrant,
        description=description.strip(),
    )
    request.full_clean(exclude=["reference"])
    request.save()
    request.reference = f"{kind.upper()}-{request.pk:06d}"
    request.save(update_fields=["reference"])
    _request_event(request, IE.RECEIVED, on=received_on, actor=actor)
    audit_record(actor=actor, action="information_request.received", obj=request, after=snapshot(request))
    return request


@transaction.atomic
def subject_access_request_extend(
    *, request: InformationRequest, actor, reason: str, on: dt.date | None = None, version: int | None = None
) -> InformationRequest:
    """A complex subject access request: two more months, decided (and told to the requester) within
    the first month. Once only; never for FOI."""
    request = _lock(InformationRequest, request, version)
    if request.kind != InformationRequest.Kind.SAR:
        raise InvalidTransition("Only a subject access request can be extended.")
    if request.status != InformationRequest.Status.OPEN:
        raise InvalidTransition("The request is closed.")
    if request.events.filter(kind=IE.EXTENDED).exists():
        raise InvalidTransition("The request has been extended already.")
    if not reason.strip():
        raise RuleViolation("Say why the request is complex.", field="reason")
    on = on or _today()
    check_event_date(on, not_before=request.received_on)
    if on > information_request_due_on(request.kind, request.received_on):
        raise RuleViolation("An extension must be made within the first month.", field="on")
    before = snapshot(request)
    save_new_version(request, [])
    _request_event(request, IE.EXTENDED, on=on, actor=actor, reason=reason)
    audit_record(
        actor=actor,
        action="information_request.extended",
        obj=request,
        before=before,
        after={**snapshot(request), "due_on": information_request_due_on(request.kind, request.received_on, True)},
        reason=reason,
    )
    return request


@transaction.atomic
def foi_public_interest_extend(
    *,
    request: InformationRequest,
    exemption: str,
    actor,
    reason: str,
    on: dt.date | None = None,
    version: int | None = None,
) -> InformationRequest:
    """FOI s.10(3): a qualified exemption may apply and the public interest test needs more time: 20 more
    working days (complaints.deadlines), decided and told to the requester within the first 20. Once only."""
    from .foi import EXEMPTIONS

    request = _lock(InformationRequest, request, version)
    if request.kind != InformationRequest.Kind.FOI:
        raise InvalidTransition("Only an FOI request has the public interest extension.")
    if request.status != InformationRequest.Status.OPEN:
        raise InvalidTransition("The request is closed.")
    if request.events.filter(kind=IE.EXTENDED).exists():
        raise InvalidTransition("The request has been extended already.")
    found = EXEMPTIONS.get(exemption.strip().removeprefix("s."))
    if found is None:
        raise RuleViolation("Choose the exemption being considered.", field="exemption")
    if not found.qualified:
        raise RuleViolation(
            f"{found.words} is an absolute exemption: it has no public interest test, so no extension.",
            field="exemption",
        )
    if not reason.strip():
        raise RuleViolation("Say why the public interest test needs more time.", field="reason")
    on = on or _today()
    check_event_date(on, not_before=request.received_on)
    if on > information_request_due_on(request.kind, request.received_on):
        raise RuleViolation("The extension must be made within the first 20 working days.", field="on")
    before = snapshot(request)
    save_new_version(request, [])
    _request_event(request, IE.EXTENDED, on=on, actor=actor, reason=reason, detail=f"s.{found.section}")
    audit_record(
        actor=actor,
        action="information_request.public_interest_extended",
        obj=request,
        before=before,
        after={**snapshot(request), "due_on": information_request_due_on(request.kind, request.received_on, True)},
        reason=reason,
    )
    return request


WITHHOLDING_OUTCOMES = (InformationRequest.Outcome.WITHHELD, InformationRequest.Outcome.PARTLY_PROVIDED)


@transaction.atomic
def information_request_close(
    *,
    request: InformationRequest,
    outcome: str,
    actor,
    reason: str = "",
    on: dt.date | None = None,
    version: int | None = None,
    exemptions: Sequence[str] = (),
) -> InformationRequest:
    """Close a request. An FOI request withheld in whole or part names the exemptions relied on (s.17
    refusal notice); they are kept on the closing event."""
    from .foi import EXEMPTIONS

    request = _lock(InformationRequest, request, version)
    if request.status != InformationRequest.Status.OPEN:
        raise InvalidTransition("The request is closed already.")
    if outcome not in InformationRequest.Outcome.values:
        raise RuleViolation("Choose the outcome.", field="outcome")
    codes = sorted({e.strip().removeprefix("s.") for e in exemptions if e.strip()}, key=int)
    if any(c not in EXEMPTIONS for c in codes):
        raise RuleViolation("Choose the exemptions from the list.", field="exemptions")
    if request.kind == InformationRequest.Kind.FOI and outcome in WITHHOLDING_OUTCOMES and not codes:
        raise RuleViolation("Name the exemptions relied on to withhold information.", field="exemptions")
    if codes and outcome not in WITHHOLDING_OUTCOMES:
        raise RuleViolation("Exemptions apply only when information is withheld.", field="exemptions")
    on = on or _today()
    check_event_date(on, not_before=request.received_on)
    before = snapshot(request)
    request.status, request.outcome, request.closed_on = InformationRequest.Status.CLOSED, outcome, on
    save_new_version(request, ["status", "outcome", "closed_on"])
    detail = outcome + (":" + ",".join(f"s.{c}" for c in codes) if codes else "")
    _request_event(request, IE.CLOSED, on=on, actor=actor, reason=reason, detail=detail)
    audit_record(
        actor=actor,
        action="information_request.closed",
        obj=request,
        before=before,
        after=snapshot(request),
        reason=reason,
    )
    return request


# --- the subject access export -------------------------------------------------------------------


def export_folder() -> Path:
    """Where export files live on the local file system: under MEDIA_ROOT, outside the web root, never
    served directly. With object storage (DJANGO_STORAGE_BACKEND=s3) they are keys under the same prefix."""
    return Path(settings.MEDIA_ROOT) / EXPORT_FOLDER


def export_storage():
    """Uploads' storage (settings.STORAGES["default"]): the local file system, or S3 for several nodes."""
    from django.core.files.storage import default_storage

    return default_storage


def export_key(name: str) -> str:
    return f"{EXPORT_FOLDER}/{name}"


@transaction.atomic
def subject_access_export_request(*, request: InformationRequest, actor) -> SubjectAccessExport:
    """Queue the Celery job that gathers everything held about the request's registrant."""
    from .tasks import produce_subject_access_export

    request = _lock(InformationRequest, request, None)
    if request.kind != InformationRequest.Kind.SAR:
        raise InvalidTransition("Only a subject access request has an export.")
    if request.status != InformationRequest.Status.OPEN:
        raise InvalidTransition("The request is closed.")
    if request.registrant_id is None:
        raise RuleViolation("Link the request to the registrant it is about first.", field="registrant")
    if request.exports.filter(
        status__in=[SubjectAccessExport.Status.QUEUED, SubjectAccessExport.Status.RUNNING]
    ).exists():
        raise InvalidTransition("An export for this request is being produced already.")
    export = SubjectAccessExport.objects.create(
        request=request, registrant_id=request.registrant_id, requested_by=_user(actor), requested_at=timezone.now()
    )
    _request_event(request, IE.EXPORT_REQUESTED, on=_today(), actor=actor)
    audit_record(
        actor=actor,
        action="subject_access_export.requested",
        obj=export,
        after={"request": request.pk, "registrant": request.registrant_id},
    )
    outbox.enqueue(produce_subject_access_export, export_id=str(export.pk))  # committed with the request
    return export


# An export still "being produced" this long after it was asked for has lost its worker (the task's hard limit).
EXPORT_STUCK_AFTER = dt.timedelta(seconds=600)


@transaction.atomic
def subject_access_export_retry(*, export: SubjectAccessExport, actor, now: dt.datetime | None = None):
    """Queue a failed or stuck export again: failed; "being produced" past EXPORT_STUCK_AFTER (its worker
    died); or still queued (its message lost). A ready export is done, and one running recently is left."""
    from .tasks import produce_subject_access_export

    now = now or timezone.now()
    export = SubjectAccessExport.objects.select_for_update().get(pk=export.pk)
    Status = SubjectAccessExport.Status
    stuck = export.status == Status.RUNNING and export.requested_at < now - EXPORT_STUCK_AFTER
    if not (export.status in (Status.FAILED, Status.QUEUED) or stuck):
        raise InvalidTransition(f"The export is {export.get_status_display().lower()}: it cannot be retried now.")
    before = export.status
    export.status, export.error, export.requested_at = Status.QUEUED, "", now
    export.save(update_fields=["status", "error", "requested_at"])
    audit_record(
        actor=actor, action="subject_access_export.retried", obj=export, before={"status": before},
        after={"status": export.status},
    )
    outbox.enqueue(produce_subject_access_export, export_id=str(export.pk))
    return export


def subject_access_export_produce(*, export_id) -> SubjectAccessExport:
    """The job: gather every app's records about the registrant into one JSON file. Idempotent: an
    export that is not queued is left alone."""
    from regulator.subject_access import collect

    with transaction.atomic():
        export = (
            SubjectAccessExport.objects.select_for_update().select_related("registrant", "request").get(pk=export_id)
        )
        if export.status != SubjectAccessExport.Status.QUEUED:
            return export
        export.status = SubjectAccessExport.Status.RUNNING
        export.save(update_fields=["status"])
    try:
        document = {
            "request": export.request.reference,
            "registrant_id": export.registrant_id,
            "produced_at": timezone.now().isoformat(),
            "sections": collect(export.registrant),
        }
        name = f"{export.pk}.json"
        content = json.dumps(document, indent=2, sort_keys=True, default=str).encode("utf-8")
        storage = export_storage()
        if storage.exists(export_key(name)):  # a retried job replaces its own half-written file
            storage.delete(export_key(name))
        # The storage's private files: mode 0o600 on disk (FILE_UPLOAD_PERMISSIONS), a private bucket on S3.
        storage.save(export_key(name), ContentFile(content))
    except Exception as error:
        with transaction.atomic():
            SubjectAccessExport.objects.filter(pk=export.pk).update(
                status=SubjectAccessExport.Status.FAILED, error=str(error)[:2000]
            )
            audit_record(
                actor="subject_access_export",
                action="subject_access_export.failed",
                obj=export,
                reason=str(error)[:500],
            )
        raise
    with transaction.atomic():
        export.status, export.file_name = SubjectAccessExport.Status.READY, name
        export.completed_at, export.size_bytes = timezone.now(), len(content)
        export.save(update_fields=["status", "file_name", "completed_at", "size_bytes"])
        _request_event(
            export.request,
            IE.EXPORT_READY,
            on=_today(),
            actor="subject_access_export",
            detail=f"{export.size_bytes} bytes",
        )
        audit_record(
            actor="subject_access_export",
            action="subject_access_export.ready",
            obj=export,
            after={"file_name": name, "size_bytes": export.size_bytes},
        )
    return export


@transaction.atomic
def subject_access_export_note_download(*, export: SubjectAccessExport, actor):
    """Record who downloaded the export (audited), and give the file, open for reading."""
    if export.status != SubjectAccessExport.Status.READY:
        raise InvalidTransition("The export is not ready.")
    _request_event(export.request, IE.EXPORT_DOWNLOADED, on=_today(), actor=actor)
    audit_record(actor=actor, action="subject_access_export.downloaded", obj=export)
    return export_storage().open(export_key(export.file_name), "rb")
