"""Builders for education QA tests: providers and courses made through the services."""

import datetime as dt
import itertools

from education_qa import services
from education_qa.models import ApprovalRequest, CourseStatus, InspectionTeamMember, QualificationLevel, StudyMode
from tests.factories import UserFactory

_n = itertools.count(1)

TEAM = [("Lee Lead", InspectionTeamMember.Role.LEAD), ("Ola Officer", InspectionTeamMember.Role.EDUCATION_QA_OFFICER)]


def make_provider(name=None, **kw):
    n = next(_n)
    return services.provider_create(
        name=name or f"University {n}",
        town=kw.get("town", "Leeds"),
        contact_email=f"quality{n}@uni.example",
        actor=None,
    )


def make_course(provider=None, *, status=CourseStatus.APPROVED, approved_on=dt.date(2019, 9, 1), name=None, **kw):
    """A course transferred from the HCPC with the given status (approved by default)."""
    return services.course_import(
        provider=provider or make_provider(),
        name=name or f"BA Social Work {next(_n)}",
        qualification_level=kw.get("qualification_level", QualificationLevel.UNDERGRADUATE),
        mode=kw.get("mode", StudyMode.FULL_TIME),
        places=kw.get("places", 40),
        status=status,
        approved_on=approved_on if status != CourseStatus.NOT_APPROVED else None,
        on=kw.get("on", dt.date(2019, 12, 2)),
        actor=None,
    )


def make_proposed_course(provider=None, on=dt.date(2020, 3, 2)):
    return services.course_propose(
        provider=provider or make_provider(),
        name=f"MA Social Work {next(_n)}",
        qualification_level=QualificationLevel.POSTGRADUATE,
        mode=StudyMode.FULL_TIME,
        places=25,
        actor=None,
        on=on,
    )


def request_at(stage, *, course=None, received_on=dt.date(2020, 4, 1), actor=None):
    """An approval request taken through the steps up to `stage` (an ApprovalRequest.Status)."""
    S = ApprovalRequest.Status
    course = course or make_proposed_course()
    req = services.approval_request_receive(course=course, kind="approval", actor=actor, received_on=received_on)
    if stage == S.RECEIVED:
        return req
    if stage == S.WITHDRAWN:
        return services.approval_request_withdraw(
            approval_request=req, actor=actor, on=received_on + dt.timedelta(days=2)
        )
    req = services.approval_request_complete_documentary_review(
        approval_request=req, actor=actor, on=received_on + dt.timedelta(days=14)
    )
    if stage == S.DOCUMENTARY_REVIEW_COMPLETE:
        return req
    services.inspection_schedule(
        approval_request=req,
        mode="remote",
        starts_on=received_on + dt.timedelta(days=30),
        ends_on=received_on + dt.timedelta(days=31),
        team=TEAM,
        actor=actor,
    )
    req.refresh_from_db()
    if stage == S.INSPECTION_SCHEDULED:
        return req
    req = services.inspection_record_conducted(
        approval_request=req, conducted_on=received_on + dt.timedelta(days=31), actor=actor
    )
    if stage == S.INSPECTED:
        return req
    return services.approval_request_decide(
        approval_request=req, outcome="approved", actor=actor, on=received_on + dt.timedelta(days=45)
    )


def provider_user(provider):
    user = UserFactory()
    services.provider_user_link(user=user, provider=provider, actor=None)
    return user
