"""Every write in education QA. Each change is one function: it locks the record, checks the state it
is allowed from, writes the new state, a dated and attributed EducationEvent and the audit record,
and raises a domain error otherwise (InvalidTransition → 409, RuleViolation → 400, StaleState → 409)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from regulator.audit import audit_record, snapshot
from regulator.errors import InvalidTransition, RuleViolation
from regulator.roles import Role, grant_roles
from regulator.transitions import check_event_date, lock_for_change, save_new_version
from regulator.working_days import local_date

from . import date_bounds
from .models import (
    APPROVED_STATUSES,
    OPEN_REQUEST_STATUSES,
    ApprovalRequest,
    Condition,
    Course,
    CourseChange,
    CourseConcern,
    CourseProvider,
    CourseStatus,
    EducationEvent,
    Enquiry,
    Inspection,
    InspectionTeamMember,
    MonitoringCycle,
    MonitoringReturn,
    ProviderUser,
    QualificationLevel,
    StudyMode,
)
from .selectors import REAPPROVAL_CYCLE_MONTHS

Kind = EducationEvent.Kind
# The reapproval cycle: every course is reapproved within five years of its approval.


def _user(actor):
    return actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None


def _today() -> dt.date:
    return local_date(timezone.now())


def _event(kind: str, *, on: dt.date, actor, reason: str = "", **links) -> EducationEvent:
    return EducationEvent.objects.create(
        kind=kind, on=on, at=timezone.now(), actor=_user(actor), reason=reason, **links
    )


def _lock(model: Any, obj, version: int | None):
    """Lock the row; refuse a caller who read an older version (someone else changed it meanwhile)."""
    return lock_for_change(model, obj.pk, version=version)


# --- providers and courses -------------------------------------------------------------------------


# Words that do not tell two providers apart ("University of Leeds" is "Leeds University").
_NAME_FILLERS = frozenset({"the", "of", "and", "at", "in", "for"})
_NAME_SPELLINGS = {"univ": "university", "uni": "university", "coll": "college", "&": "and", "st": "saint"}


def provider_name_key(name: str) -> str:
    """A provider's name reduced to what identifies it: case, accents, punctuation, filler words and
    word order ignored, common abbreviations spelt out."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace("&", " and ")
    words = [_NAME_SPELLINGS.get(w, w) for w in re.findall(r"[a-z0-9]+", text)]
    return " ".join(sorted(w for w in words if w not in _NAME_FILLERS))


def provider_same_name(name: str, *, exclude_id: int | None = None) -> CourseProvider | None:
    """The provider already recorded under this name in other words, if any (about 81 providers: one query)."""
    key = provider_name_key(name)
    providers = CourseProvider.objects.only("id", "name")
    if exclude_id is not None:
        providers = providers.exclude(pk=exclude_id)
    for provider in providers:
        if provider_name_key(provider.name) == key:
            return provider
    return None


@transaction.atomic
def provider_create(*, name: str, town: str, contact_email: str, actor) -> CourseProvider:
    if not provider_name_key(name):
        raise RuleViolation("Enter the provider's name.", field="name")
    if existing := provider_same_name(name):
        if existing.name.strip().lower() == name.strip().lower():
            message = "A course provider with this name already exists: use that provider."
        else:
            message = (
                f'A course provider with this name already exists as "{existing.name}" (the same words in a'
                " different order or spelling). Use that provider, or enter a name that tells them apart."
            )
        raise RuleViolation(message, field="name")
    provider = CourseProvider(name=name.strip(), town=town.strip(), contact_email=contact_email)
    provider.full_clean()
    provider.save()
    audit_record(actor=actor, action="course_provider.created", obj=provider, after=snapshot(provider))
    return provider


@transaction.atomic
def provider_user_link(*, user, provider: CourseProvider, actor) -> ProviderUser:
    """Give a sign-in the education_provider role for one provider (and only that one)."""
    if ProviderUser.objects.filter(user=user).exclude(provider=provider).exists():
        raise InvalidTransition("This sign-in already answers for another provider.")
    link, _ = ProviderUser.objects.get_or_create(user=user, defaults={"provider": provider})
    grant_roles(user, [Role.EDUCATION_PROVIDER])
    audit_record(actor=actor, action="provider_user.linked", obj=link, after={"user": user.pk, "provider": provider.pk})
    return link


def _validate_course_fields(*, qualification_level: str, mode: str, places: int) -> None:
    if qualification_level not in QualificationLevel.values:
        raise RuleViolation("Choose a qualification level.", field="qualification_level")
    if mode not in StudyMode.values:
        raise RuleViolation("Choose a mode of study.", field="mode")
    if places is None or places < 1:
        raise RuleViolation("A course must have at least one place.", field="places")


@transaction.atomic
def course_propose(
    *,
    provider: CourseProvider,
    name: str,
    qualification_level: str,
    mode: str,
    places: int,
    actor,
    on: dt.date | None = None,
) -> Course:
    """Record a new course that a provider wants approved (it then needs an approval request)."""
    _validate_course_fields(qualification_level=qualification_level, mode=mode, places=places)
    if Course.objects.filter(provider=provider, name=name.strip(), mode=mode).exists():
        raise RuleViolation("This provider already has a course with this name and mode.", field="name")
    on = on or _today()
    course = Course(
        provider=provider, name=name.strip(), qualification_level=qualification_level, mode=mode, places=places
    )
    course.full_clean()
    course.save()
    _event(Kind.COURSE_PROPOSED, on=on, actor=actor, course=course, provider=provider, status_after=course.status)
    audit_record(actor=actor, action="course.proposed", obj=course, after=snapshot(course))
    return course


@transaction.atomic
def course_import(
    *,
    provider: CourseProvider,
    name: str,
    qualification_level: str,
    mode: str,
    places: int,
    status: str,
    approved_on: dt.date | None,
    on: dt.date,
    actor,
) -> Course:
    """A course transferred from the HCPC with the status it had on `on` (approved or historic)."""
    _validate_course_fields(qualification_level=qualification_level, mode=mode, places=places)
    if status not in CourseStatus.values or status == CourseStatus.PROPOSED:
        raise RuleViolation("Choose the status the course had at transfer.", field="status")
    course = Course(
        provider=provider,
        name=name.strip(),
        qualification_level=qualification_level,
        mode=mode,
        places=places,
        status=status,
        approved_on=approved_on,
        first_approved_on=approved_on,
        origin="hcpc",
    )
    course.full_clean()
    course.save()
    if approved_on and status in (*APPROVED_STATUSES, CourseStatus.HISTORIC, CourseStatus.WITHDRAWN):
        # The HCPC approval is history too: it tells `approved_courses_on` the course was approved then.
        _event(
            Kind.COURSE_IMPORTED,
            on=approved_on,
            actor=actor,
            course=course,
            provider=provider,
            status_after=CourseStatus.APPROVED,
            detail="approved by the HCPC",
        )
    if status != CourseStatus.APPROVED or not approved_on:
        _event(Kind.COURSE_IMPORTED, on=on, actor=actor, course=course, provider=provider, status_after=status)
    audit_record(actor=actor, action="course.imported", obj=course, after=snapshot(course))
    return course


def reapproval_due_on(course: Course) -> dt.date | None:
    """When the course's reapproval falls due: the reapproval cycle from the approval in force."""
    from regulator.working_days import add_calendar_months

    if course.status not in APPROVED_STATUSES or course.approved_on is None:
        return None
    return add_calendar_months(course.approved_on, REAPPROVAL_CYCLE_MONTHS)


@transaction.atomic
def course_withdraw_approval(
    *, course: Course, actor, reason: str, on: dt.date | None = None, version: int | None = None
) -> Course:
    """Withdraw a course's approval (after an inspection, or a condition not met)."""
    course = _lock(Course, course, version)
    if course.status not in APPROVED_STATUSES:
        raise InvalidTransition(
            f"The course is {course.get_status_display().lower()}: its approval cannot be withdrawn."
        )
    if not reason.strip():
        raise RuleViolation("Give the reason the approval is withdrawn.", field="reason")
    on = on or _today()
    check_event_date(on, not_before=course.approved_on)
    before = snapshot(course)
    course.status = CourseStatus.WITHDRAWN
    save_new_version(course, ["status"])
    _event(
        Kind.APPROVAL_WITHDRAWN,
        on=on,
        actor=actor,
        reason=reason,
        course=course,
        provider_id=course.provider_id,
        status_after=course.status,
    )
    audit_record(
        actor=actor,
        action="course.approval_withdrawn",
        obj=course,
        before=before,
        after=snapshot(course),
        reason=reason,
    )
    return course


@transaction.atomic
def course_make_historic(
    *, course: Course, actor, reason: str = "", on: dt.date | None = None, version: int | None = None
) -> Course:
    """A course closed to new students: historic (its past graduates still count as approved)."""
    course = _lock(Course, course, version)
    if course.status not in (*APPROVED_STATUSES, CourseStatus.WITHDRAWN):
        raise InvalidTransition(f"The course is {course.get_status_display().lower()}: it cannot be made historic.")
    on = on or _today()
    check_event_date(on, not_before=course.approved_on)
    before = snapshot(course)
    course.status = CourseStatus.HISTORIC
    save_new_version(course, ["status"])
    _event(
        Kind.MADE_HISTORIC,
        on=on,
        actor=actor,
        reason=reason,
        course=course,
        provider_id=course.provider_id,
        status_after=course.status,
    )
    audit_record(
        actor=actor, action="course.made_historic", obj=course, before=before, after=snapshot(course), reason=reason
    )
    return course


# --- approval and reapproval ---------------------------------------------------------------------


@transaction.atomic
def approval_request_receive(
    *, course: Course, kind: str, actor, received_on: dt.date | None = None, reason: str = ""
) -> ApprovalRequest:
    """A provider asks for a course to be approved (new, not approved, withdrawn) or reapproved."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    allowed: tuple[str, ...]
    if kind == ApprovalRequest.Kind.APPROVAL:
        allowed = (CourseStatus.PROPOSED, CourseStatus.NOT_APPROVED, CourseStatus.WITHDRAWN)
    elif kind == ApprovalRequest.Kind.REAPPROVAL:
        allowed = APPROVED_STATUSES
    else:
        raise RuleViolation("Choose approval or reapproval.", field="kind")
    if course.status not in allowed:
        raise InvalidTransition(
            f"A course that is {course.get_status_display().lower()} cannot have a request for {kind}."
        )
    if course.approval_requests.filter(status__in=OPEN_REQUEST_STATUSES).exists():
        raise InvalidTransition("This course already has an open approval request.")
    received_on = received_on or _today()
    date_bounds.RECEIVED.check(received_on, field="received_on")
    request = ApprovalRequest(course=course, kind=kind, received_on=received_on)
    request.full_clean()
    request.save()
    _event(
        Kind.APPROVAL_REQUESTED,
        on=received_on,
        actor=actor,
        reason=reason,
        course=course,
        provider_id=course.provider_id,
        approval_request=request,
        detail=kind,
    )
    audit_record(actor=actor, action="approval_request.received", obj=request, after=snapshot(request), reason=reason)
    return request


def _request_step(
    request: ApprovalRequest, *, allowed: Sequence[str], version: int | None, what: str
) -> ApprovalRequest:
    request = _lock(ApprovalRequest, request, version)
    if request.status not in allowed:
        raise InvalidTransition(f"The request is {request.get_status_display().lower()}: {what}.")
    return request


@transaction.atomic
def approval_request_complete_documentary_review(
    *, approval_request: ApprovalRequest, actor, on: dt.date | None = None, reason: str = "", version: int | None = None
) -> ApprovalRequest:
    request = _request_step(
        approval_request,
        allowed=[ApprovalRequest.Status.RECEIVED],
        version=version,
        what="its documentary review cannot be completed now",
    )
    on = on or _today()
    check_event_date(on, not_before=request.received_on)
    before = snapshot(request)
    request.status = ApprovalRequest.Status.DOCUMENTARY_REVIEW_COMPLETE
    save_new_version(request, ["status"])
    _event(
        Kind.DOCUMENTARY_REVIEW_COMPLETED,
        on=on,
        actor=actor,
        reason=reason,
        course_id=request.course_id,
        approval_request=request,
    )
    audit_record(
        actor=actor,
        action="approval_request.documentary_review_completed",
        obj=request,
        before=before,
        after=snapshot(request),
        reason=reason,
    )
    return request


@transaction.atomic
def inspection_schedule(
    *,
    approval_request: ApprovalRequest,
    mode: str,
    starts_on: dt.date,
    ends_on: dt.date,
    team: Sequence[tuple[str, str]],
    actor,
    version: int | None = None,
) -> Inspection:
    """Arrange the inspection (remote or on site) with its dates and team, after documentary review."""
    request = _request_step(
        approval_request,
        allowed=[ApprovalRequest.Status.DOCUMENTARY_REVIEW_COMPLETE],
        version=version,
        what="an inspection can be scheduled only after the documentary review",
    )
    if mode not in Inspection.Mode.values:
        raise RuleViolation("Choose remote or on site.", field="mode")
    if ends_on < starts_on:
        raise RuleViolation("The inspection cannot end before it starts.", field="ends_on")
    date_bounds.INSPECTION_STARTS.check(
        starts_on, field="starts_on", after=(request.received_on, "the day the request was received")
    )
    members = [(name.strip(), role) for name, role in team if name.strip()]
    if not any(role == InspectionTeamMember.Role.LEAD for _, role in members):
        raise RuleViolation("The inspection team needs a lead inspector.", field="team")
    if any(role not in InspectionTeamMember.Role.values for _, role in members):
        raise RuleViolation("Each team member needs a role.", field="team")
    before = snapshot(request)
    inspection = Inspection.objects.create(approval_request=request, mode=mode, starts_on=starts_on, ends_on=ends_on)
    InspectionTeamMember.objects.bulk_create(
        [InspectionTeamMember(inspection=inspection, name=name, role=role) for name, role in members]
    )
    request.status = ApprovalRequest.Status.INSPECTION_SCHEDULED
    save_new_version(request, ["status"])
    detail = f"{inspection.get_mode_display()}, {starts_on:%-d %b %Y} to {ends_on:%-d %b %Y}"
    _event(
        Kind.INSPECTION_SCHEDULED,
        on=_today(),
        actor=actor,
        course_id=request.course_id,
        approval_request=request,
        detail=detail,
    )
    audit_record(
        actor=actor,
        action="approval_request.inspection_scheduled",
        obj=request,
        before=before,
        after={**snapshot(request), "inspection": snapshot(inspection), "team": members},
    )
    return inspection


@transaction.atomic
def inspection_record_conducted(
    *, approval_request: ApprovalRequest, conducted_on: dt.date, actor, reason: str = "", version: int | None = None
) -> ApprovalRequest:
    request = _request_step(
        approval_request,
        allowed=[ApprovalRequest.Status.INSPECTION_SCHEDULED],
        version=version,
        what="there is no scheduled inspection to record",
    )
    inspection = Inspection.objects.select_for_update().get(approval_request=request)
    check_event_date(conducted_on, not_before=inspection.starts_on, field="conducted_on")
    before = snapshot(request)
    inspection.conducted_on = conducted_on
    inspection.save(update_fields=["conducted_on"])
    request.status = ApprovalRequest.Status.INSPECTED
    save_new_version(request, ["status"])
    _event(
        Kind.INSPECTION_CONDUCTED,
        on=conducted_on,
        actor=actor,
        reason=reason,
        course_id=request.course_id,
        approval_request=request,
        detail=inspection.get_mode_display(),
    )
    audit_record(
        actor=actor,
        action="approval_request.inspection_conducted",
        obj=request,
        before=before,
        after=snapshot(request),
        reason=reason,
    )
    return request


@transaction.atomic
def approval_request_decide(
    *,
    approval_request: ApprovalRequest,
    outcome: str,
    actor,
    conditions: Sequence[tuple[str, dt.date]] = (),
    on: dt.date | None = None,
    reason: str = "",
    version: int | None = None,
) -> ApprovalRequest:
    """The outcome after inspection: approved, approved with conditions (each with a due date), or not
    approved. The course takes the outcome as its status, dated; an approval starts a new cycle."""
    request = _request_step(
        approval_request,
        allowed=[ApprovalRequest.Status.INSPECTED],
        version=version,
        what="an outcome is decided only after the inspection",
    )
    Outcome = ApprovalRequest.Outcome
    if outcome not in (Outcome.APPROVED, Outcome.APPROVED_WITH_CONDITIONS, Outcome.NOT_APPROVED):
        raise RuleViolation("Choose approved, approved with conditions or not approved.", field="outcome")
    on = on or _today()
    check_event_date(on, not_before=request.received_on)
    conditions = [(text.strip(), due) for text, due in conditions if text.strip()]
    if outcome == Outcome.APPROVED_WITH_CONDITIONS and not conditions:
        raise RuleViolation("Set at least one condition, with its due date.", field="conditions")
    if outcome != Outcome.APPROVED_WITH_CONDITIONS and conditions:
        raise RuleViolation("Conditions are set only with 'approved with conditions'.", field="conditions")
    if any(due <= on for _, due in conditions):
        raise RuleViolation("A condition's due date must be after the decision.", field="conditions")
    for _, due in conditions:
        date_bounds.CONDITION_DUE.check(due, field="conditions", on=on)
    course = Course.objects.select_for_update().get(pk=request.course_id)
    before, course_before = snapshot(request), snapshot(course)
    request.outcome, request.decided_on, request.status = outcome, on, ApprovalRequest.Status.DECIDED
    save_new_version(request, ["outcome", "decided_on", "status"])
    course.status = outcome
    fields = ["status"]
    if outcome in APPROVED_STATUSES:
        course.approved_on = on
        course.first_approved_on = course.first_approved_on or on
        fields += ["approved_on", "first_approved_on"]
    save_new_version(course, fields)
    for text, due in conditions:
        Condition.objects.create(approval_request=request, course=course, text=text, due_on=due)
    _event(
        outcome,
        on=on,
        actor=actor,
        reason=reason,
        course=course,
        provider_id=course.provider_id,
        approval_request=request,
        status_after=course.status,
        detail=f"{len(conditions)} condition(s)" if conditions else "",
    )
    audit_record(
        actor=actor,
        action="approval_request.decided",
        obj=request,
        before=before,
        after={**snapshot(request), "conditions": conditions},
        reason=reason,
    )
    audit_record(
        actor=actor,
        action="course.status_changed",
        obj=course,
        before=course_before,
        after=snapshot(course),
        reason=reason,
    )
    return request


@transaction.atomic
def approval_request_withdraw(
    *, approval_request: ApprovalRequest, actor, reason: str = "", on: dt.date | None = None, version: int | None = None
) -> ApprovalRequest:
    """The provider withdraws its request before the outcome (an outcome the board counts)."""
    request = _request_step(
        approval_request, allowed=OPEN_REQUEST_STATUSES, version=version, what="only an open request can be withdrawn"
    )
    on = on or _today()
    check_event_date(on, not_before=request.received_on)
    before = snapshot(request)
    request.status, request.outcome, request.decided_on = (
        ApprovalRequest.Status.WITHDRAWN,
        ApprovalRequest.Outcome.REQUEST_WITHDRAWN,
        on,
    )
    save_new_version(request, ["status", "outcome", "decided_on"])
    _event(
        Kind.REQUEST_WITHDRAWN, on=on, actor=actor, reason=reason, course_id=request.course_id, approval_request=request
    )
    audit_record(
        actor=actor,
        action="approval_request.withdrawn",
        obj=request,
        before=before,
        after=snapshot(request),
        reason=reason,
    )
    return request


@transaction.atomic
def condition_decide(
    *, condition: Condition, met: bool, actor, reason: str = "", on: dt.date | None = None, version: int | None = None
) -> Condition:
    """Decide whether a condition was met. When the last open condition is met, the course is approved
    without conditions; a condition not met leaves the course as it is for the officer to act on."""
    condition = _lock(Condition, condition, version)
    if condition.status != Condition.Status.OPEN:
        raise InvalidTransition(f"The condition has been decided already ({condition.get_status_display().lower()}).")
    on = on or _today()
    course = Course.objects.select_for_update().get(pk=condition.course_id)
    request = ApprovalRequest.objects.get(pk=condition.approval_request_id)
    check_event_date(on, not_before=request.decided_on)
    before = snapshot(condition)
    condition.status, condition.decided_on = (Condition.Status.MET if met else Condition.Status.NOT_MET), on
    save_new_version(condition, ["status", "decided_on"])
    _event(
        Kind.CONDITION_MET if met else Kind.CONDITION_NOT_MET,
        on=on,
        actor=actor,
        reason=reason,
        course=course,
        condition=condition,
        approval_request=request,
    )
    audit_record(
        actor=actor, action="condition.decided", obj=condition, before=before, after=snapshot(condition), reason=reason
    )
    all_met = not course.conditions.exclude(status=Condition.Status.MET).exists()
    if met and all_met and course.status == CourseStatus.APPROVED_WITH_CONDITIONS:
        course_before = snapshot(course)
        course.status = CourseStatus.APPROVED
        save_new_version(course, ["status"])
        _event(
            Kind.APPROVED,
            on=on,
            actor=actor,
            reason="All conditions met",
            course=course,
            provider_id=course.provider_id,
            status_after=course.status,
            detail="conditions met",
        )
        audit_record(
            actor=actor,
            action="course.status_changed",
            obj=course,
            before=course_before,
            after=snapshot(course),
            reason="All conditions met",
        )
    return condition


@transaction.atomic
def course_change_receive(
    *,
    course: Course,
    description: str,
    actor,
    new_places: int | None = None,
    new_mode: str = "",
    received_on: dt.date | None = None,
) -> CourseChange:
    """A provider proposes a change to an approved course (decided after documentary review)."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status not in APPROVED_STATUSES:
        raise InvalidTransition("Only an approved course can be changed.")
    if not description.strip():
        raise RuleViolation("Describe the change.", field="description")
    if new_places is not None and new_places < 1:
        raise RuleViolation("A course must have at least one place.", field="new_places")
    if new_mode and new_mode not in StudyMode.values:
        raise RuleViolation("Choose a mode of study.", field="new_mode")
    received_on = received_on or _today()
    date_bounds.RECEIVED.check(received_on, field="received_on")
    change = CourseChange.objects.create(
        course=course,
        description=description.strip(),
        new_places=new_places,
        new_mode=new_mode,
        received_on=received_on,
    )
    _event(Kind.CHANGE_RECEIVED, on=received_on, actor=actor, course=course, change=change)
    audit_record(actor=actor, action="course_change.received", obj=change, after=snapshot(change))
    return change


@transaction.atomic
def course_change_decide(
    *,
    change: CourseChange,
    approve: bool,
    actor,
    reason: str = "",
    on: dt.date | None = None,
    version: int | None = None,
) -> CourseChange:
    """Approve (and apply) or refuse a course change after its documentary review."""
    change = _lock(CourseChange, change, version)
    if change.status != CourseChange.Status.RECEIVED:
        raise InvalidTransition(f"The change has been decided already ({change.get_status_display().lower()}).")
    course = Course.objects.select_for_update().get(pk=change.course_id)
    if approve and course.status not in APPROVED_STATUSES:
        raise InvalidTransition("The course is no longer approved: the change cannot be approved.")
    on = on or _today()
    check_event_date(on, not_before=change.received_on)
    before = snapshot(change)
    change.status = CourseChange.Status.APPROVED if approve else CourseChange.Status.REFUSED
    change.decided_on = on
    save_new_version(change, ["status", "decided_on"])
    if approve and (change.new_places or change.new_mode):
        course_before = snapshot(course)
        course.places = change.new_places or course.places
        course.mode = change.new_mode or course.mode
        save_new_version(course, ["places", "mode"])
        audit_record(
            actor=actor,
            action="course.changed",
            obj=course,
            before=course_before,
            after=snapshot(course),
            reason=reason,
        )
    _event(
        Kind.CHANGE_APPROVED if approve else Kind.CHANGE_REFUSED,
        on=on,
        actor=actor,
        reason=reason,
        course=course,
        change=change,
    )
    audit_record(
        actor=actor, action="course_change.decided", obj=change, before=before, after=snapshot(change), reason=reason
    )
    return change


# --- annual monitoring ---------------------------------------------------------------------------


@transaction.atomic
def monitoring_cycle_open(*, year: int, due_on: dt.date, actor, opened_on: dt.date | None = None) -> MonitoringCycle:
    """Open a year's annual monitoring: one return awaited for every course approved today (in bulk)."""
    opened_on = opened_on or _today()
    date_bounds.MONITORING_DUE.check(due_on, field="due_on", on=opened_on)
    if MonitoringCycle.objects.filter(year=year).exists():
        raise InvalidTransition(f"Annual monitoring for {year} is open already.")
    cycle = MonitoringCycle.objects.create(year=year, opened_on=opened_on, due_on=due_on)
    courses = list(Course.objects.filter(status__in=APPROVED_STATUSES).values_list("pk", "provider_id"))
    returns = MonitoringReturn.objects.bulk_create(
        [MonitoringReturn(cycle=cycle, course_id=course_id) for course_id, _ in courses], batch_size=1000
    )
    now, user = timezone.now(), _user(actor)
    EducationEvent.objects.bulk_create(
        [
            EducationEvent(
                kind=Kind.MONITORING_RETURN_OPENED,
                on=opened_on,
                at=now,
                actor=user,
                course_id=r.course_id,
                provider_id=provider_id,
                monitoring_return=r,
                detail=str(year),
            )
            for r, (_, provider_id) in zip(returns, courses, strict=True)
        ],
        batch_size=1000,
    )
    audit_record(
        actor=actor, action="monitoring_cycle.opened", obj=cycle, after={**snapshot(cycle), "returns": len(returns)}
    )
    return cycle


def _provider_of(user) -> CourseProvider | None:
    link = ProviderUser.objects.select_related("provider").filter(user=user).first() if _user(user) else None
    return link.provider if link else None


@transaction.atomic
def monitoring_return_submit(
    *,
    monitoring_return: MonitoringReturn,
    actor,
    students_enrolled: int,
    meets_standards: bool,
    commentary: str = "",
    on: dt.date | None = None,
    version: int | None = None,
) -> MonitoringReturn:
    """A provider submits a course's return. Only the course's own provider may submit it."""
    ret = _lock(MonitoringReturn, monitoring_return, version)
    course = Course.objects.get(pk=ret.course_id)
    provider = _provider_of(actor)
    if provider is None or provider.pk != course.provider_id:
        raise PermissionDenied("Only the course's own provider can submit its return.")
    if ret.status != MonitoringReturn.Status.AWAITED:
        raise InvalidTransition("This return has been submitted already.")
    if students_enrolled is None or students_enrolled < 0:
        raise RuleViolation("Enter the number of students enrolled.", field="students_enrolled")
    if meets_standards is None:
        raise RuleViolation("Say whether the course continues to meet the standards.", field="meets_standards")
    if not meets_standards and not commentary.strip():
        raise RuleViolation("Explain which standards the course does not meet.", field="commentary")
    on = on or _today()
    before = snapshot(ret)
    ret.students_enrolled, ret.meets_standards, ret.commentary = students_enrolled, meets_standards, commentary
    ret.status, ret.submitted_on = MonitoringReturn.Status.SUBMITTED, on
    save_new_version(ret, ["students_enrolled", "meets_standards", "commentary", "status", "submitted_on"])
    _event(
        Kind.MONITORING_RETURN_SUBMITTED,
        on=on,
        actor=actor,
        course=course,
        provider_id=course.provider_id,
        monitoring_return=ret,
    )
    audit_record(actor=actor, action="monitoring_return.submitted", obj=ret, before=before, after=snapshot(ret))
    return ret


@transaction.atomic
def monitoring_return_review(
    *,
    monitoring_return: MonitoringReturn,
    outcome: str,
    actor,
    reason: str = "",
    on: dt.date | None = None,
    version: int | None = None,
) -> MonitoringReturn:
    ret = _lock(MonitoringReturn, monitoring_return, version)
    if ret.status != MonitoringReturn.Status.SUBMITTED:
        raise InvalidTransition(
            f"The return is {ret.get_status_display().lower()}: only a submitted return is reviewed."
        )
    if outcome not in MonitoringReturn.ReviewOutcome.values:
        raise RuleViolation("Choose the outcome of the review.", field="outcome")
    on = on or _today()
    check_event_date(on, not_before=ret.submitted_on)
    before = snapshot(ret)
    ret.status, ret.review_outcome, ret.reviewed_on = MonitoringReturn.Status.REVIEWED, outcome, on
    save_new_version(ret, ["status", "review_outcome", "reviewed_on"])
    _event(
        Kind.MONITORING_RETURN_REVIEWED,
        on=on,
        actor=actor,
        reason=reason,
        course_id=ret.course_id,
        monitoring_return=ret,
        detail=outcome,
    )
    audit_record(
        actor=actor, action="monitoring_return.reviewed", obj=ret, before=before, after=snapshot(ret), reason=reason
    )
    return ret


@transaction.atomic
def monitoring_returns_chase(*, cycle: MonitoringCycle, actor=None, on: dt.date | None = None) -> int:
    """Email every provider with returns still awaited in the cycle, listing them; one email each.
    Returns the number of providers chased."""
    on = on or _today()
    awaited = (
        MonitoringReturn.objects.filter(cycle=cycle, status=MonitoringReturn.Status.AWAITED)
        .select_related("course__provider")
        .order_by("course__provider_id", "course__name")
    )
    by_provider: dict[CourseProvider, list[MonitoringReturn]] = defaultdict(list)
    for ret in awaited:
        by_provider[ret.course.provider].append(ret)
    messages = []
    for provider, returns in by_provider.items():
        lines = "\n".join(f"- {r.course.name} ({r.course.get_mode_display()})" for r in returns)
        messages.append(
            (
                f"{cycle}: {len(returns)} return(s) outstanding",
                f"Dear {provider.name},\n\nWe have not yet received the annual monitoring return for:\n{lines}\n\n"
                f"Returns were due on {cycle.due_on:%-d %B %Y}. Please sign in and submit them.\n",
                settings.DEFAULT_FROM_EMAIL,
                [provider.contact_email],
            )
        )
    now, user = timezone.now(), _user(actor)
    EducationEvent.objects.bulk_create(
        [
            EducationEvent(
                kind=Kind.MONITORING_RETURN_CHASED,
                on=on,
                at=now,
                actor=user,
                course_id=r.course_id,
                provider_id=p.pk,
                monitoring_return=r,
            )
            for p, returns in by_provider.items()
            for r in returns
        ]
    )
    if by_provider:
        audit_record(
            actor=actor,
            action="monitoring_cycle.chased",
            obj=cycle,
            after={"providers": len(by_provider), "returns": sum(len(v) for v in by_provider.values())},
        )
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(by_provider)


# --- enquiries and concerns ----------------------------------------------------------------------


@transaction.atomic
def enquiry_receive(
    *,
    enquirer: str,
    subject: str,
    actor,
    received_on: dt.date | None = None,
    enquirer_email: str = "",
    provider: CourseProvider | None = None,
    course: Course | None = None,
    registrant=None,
) -> Enquiry:
    received_on = received_on or _today()
    date_bounds.RECEIVED.check(received_on, field="received_on")
    enquiry = Enquiry(
        received_on=received_on,
        enquirer=enquirer.strip(),
        enquirer_email=enquirer_email,
        subject=subject.strip(),
        provider=provider or (course.provider if course else None),
        course=course,
        registrant=registrant,
    )
    enquiry.full_clean()
    enquiry.save()
    _event(
        Kind.ENQUIRY_RECEIVED, on=received_on, actor=actor, enquiry=enquiry, course=course, provider=enquiry.provider
    )
    audit_record(actor=actor, action="enquiry.received", obj=enquiry, after=snapshot(enquiry))
    return enquiry


@transaction.atomic
def enquiry_close(
    *, enquiry: Enquiry, actor, reason: str = "", on: dt.date | None = None, version: int | None = None
) -> Enquiry:
    enquiry = _lock(Enquiry, enquiry, version)
    if enquiry.status != Enquiry.Status.OPEN:
        raise InvalidTransition("The enquiry is closed already.")
    on = on or _today()
    check_event_date(on, not_before=enquiry.received_on)
    before = snapshot(enquiry)
    enquiry.status, enquiry.closed_on = Enquiry.Status.CLOSED, on
    save_new_version(enquiry, ["status", "closed_on"])
    _event(Kind.ENQUIRY_CLOSED, on=on, actor=actor, reason=reason, enquiry=enquiry, course_id=enquiry.course_id)
    audit_record(
        actor=actor, action="enquiry.closed", obj=enquiry, before=before, after=snapshot(enquiry), reason=reason
    )
    return enquiry


@transaction.atomic
def concern_receive(
    *, course: Course, raised_by: str, summary: str, actor, received_on: dt.date | None = None
) -> CourseConcern:
    received_on = received_on or _today()
    date_bounds.RECEIVED.check(received_on, field="received_on")
    if not summary.strip():
        raise RuleViolation("Summarise the concern.", field="summary")
    concern = CourseConcern(
        course=course, received_on=received_on, raised_by=raised_by.strip(), summary=summary.strip()
    )
    concern.full_clean()
    concern.save()
    _event(
        Kind.CONCERN_RECEIVED,
        on=received_on,
        actor=actor,
        concern=concern,
        course=course,
        provider_id=course.provider_id,
    )
    audit_record(actor=actor, action="course_concern.received", obj=concern, after=snapshot(concern))
    return concern


@transaction.atomic
def concern_close(
    *,
    concern: CourseConcern,
    outcome: str,
    actor,
    reason: str = "",
    on: dt.date | None = None,
    version: int | None = None,
) -> CourseConcern:
    concern = _lock(CourseConcern, concern, version)
    if concern.status != CourseConcern.Status.OPEN:
        raise InvalidTransition("The concern is closed already.")
    if outcome not in CourseConcern.Outcome.values:
        raise RuleViolation("Choose the outcome.", field="outcome")
    on = on or _today()
    check_event_date(on, not_before=concern.received_on)
    before = snapshot(concern)
    concern.status, concern.outcome, concern.closed_on = CourseConcern.Status.CLOSED, outcome, on
    save_new_version(concern, ["status", "outcome", "closed_on"])
    _event(
        Kind.CONCERN_CLOSED,
        on=on,
        actor=actor,
        reason=reason,
        concern=concern,
        course_id=concern.course_id,
        detail=outcome,
    )
    audit_record(
        actor=actor, action="course_concern.closed", obj=concern, before=before, after=snapshot(concern), reason=reason
    )
    return concern
