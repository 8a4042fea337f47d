"""Approval and reapproval: each step is one service with its allowed source states, its dated
event and its audit record; an outcome sets the course's status and conditions decide the rest."""

import datetime as dt
import threading

import pytest
from django.db import connection

from education_qa import services
from education_qa.models import (
    ApprovalRequest,
    Condition,
    Course,
    CourseChange,
    CourseStatus,
    EducationEvent,
)
from education_qa.selectors import approved_courses_on
from regulator.errors import InvalidTransition, RuleViolation, StaleState
from regulator.models import AuditEvent

from .factories import TEAM, make_course, make_proposed_course, request_at

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
S = ApprovalRequest.Status


def test_a_proposed_course_is_approved_after_review_inspection_and_outcome_with_dated_events(user_with_role):
    officer = user_with_role("education_qa_officer")
    req = request_at(S.INSPECTED, actor=officer)
    services.approval_request_decide(approval_request=req, outcome="approved", actor=officer, on=dt.date(2020, 5, 20))
    course = Course.objects.get(pk=req.course_id)
    assert course.status == CourseStatus.APPROVED
    assert course.approved_on == course.first_approved_on == dt.date(2020, 5, 20)
    kinds = list(EducationEvent.objects.filter(approval_request=req).values_list("kind", flat=True))
    assert kinds == [
        "approval_requested",
        "documentary_review_completed",
        "inspection_scheduled",
        "inspection_conducted",
        "approved",
    ]
    assert EducationEvent.objects.filter(approval_request=req, kind="approved").get().actor == officer
    assert AuditEvent.objects.filter(action="approval_request.decided", object_id=str(req.pk)).exists()


def test_the_inspection_keeps_its_mode_dates_and_team():
    req = request_at(S.INSPECTION_SCHEDULED)
    inspection = req.inspection
    assert inspection.mode == "remote"
    assert (inspection.ends_on - inspection.starts_on).days == 1
    assert [(m.name, m.role) for m in inspection.team.all()] == TEAM


def test_an_inspection_team_needs_a_lead_inspector():
    req = request_at(S.DOCUMENTARY_REVIEW_COMPLETE)
    with pytest.raises(RuleViolation) as error:
        services.inspection_schedule(
            approval_request=req,
            mode="on_site",
            starts_on=dt.date(2020, 6, 1),
            ends_on=dt.date(2020, 6, 2),
            team=[("Ola Officer", "education_qa_officer")],
            actor=None,
        )
    assert error.value.field == "team"


@pytest.mark.parametrize(
    "stage", [S.RECEIVED, S.DOCUMENTARY_REVIEW_COMPLETE, S.INSPECTION_SCHEDULED, S.DECIDED, S.WITHDRAWN]
)
def test_an_outcome_is_decided_only_after_the_inspection(stage):
    req = request_at(stage)
    with pytest.raises(InvalidTransition):
        services.approval_request_decide(approval_request=req, outcome="approved", actor=None, on=dt.date(2020, 6, 1))


@pytest.mark.parametrize("stage", [S.RECEIVED, S.DOCUMENTARY_REVIEW_COMPLETE, S.INSPECTION_SCHEDULED, S.INSPECTED])
def test_an_open_request_can_be_withdrawn_and_counts_as_request_withdrawn(stage):
    req = request_at(stage)
    services.approval_request_withdraw(approval_request=req, actor=None, on=dt.date(2020, 7, 1))
    req.refresh_from_db()
    assert (req.status, req.outcome) == (S.WITHDRAWN, "request_withdrawn")
    assert req.course.status == CourseStatus.PROPOSED


@pytest.mark.parametrize("stage", [S.DECIDED, S.WITHDRAWN])
def test_a_closed_request_cannot_be_withdrawn(stage):
    with pytest.raises(InvalidTransition):
        services.approval_request_withdraw(approval_request=request_at(stage), actor=None, on=dt.date(2020, 7, 1))


def test_approved_with_conditions_needs_conditions_with_due_dates_after_the_decision():
    req = request_at(S.INSPECTED)
    with pytest.raises(RuleViolation) as error:
        services.approval_request_decide(approval_request=req, outcome="approved_with_conditions", actor=None)
    assert error.value.field == "conditions"
    with pytest.raises(RuleViolation):
        services.approval_request_decide(
            approval_request=req,
            outcome="approved_with_conditions",
            conditions=[("Practice placements", dt.date(2020, 5, 1))],
            on=dt.date(2020, 6, 1),
            actor=None,
        )


def test_meeting_the_last_condition_makes_the_course_approved_without_conditions():
    req = request_at(S.INSPECTED)
    services.approval_request_decide(
        approval_request=req,
        outcome="approved_with_conditions",
        conditions=[("Placements", dt.date(2020, 9, 1)), ("Staffing", dt.date(2020, 10, 1))],
        on=dt.date(2020, 6, 1),
        actor=None,
    )
    first, second = Condition.objects.filter(approval_request=req).order_by("due_on")
    services.condition_decide(condition=first, met=True, actor=None, on=dt.date(2020, 8, 20))
    assert Course.objects.get(pk=req.course_id).status == CourseStatus.APPROVED_WITH_CONDITIONS
    services.condition_decide(condition=second, met=True, actor=None, on=dt.date(2020, 9, 20))
    assert Course.objects.get(pk=req.course_id).status == CourseStatus.APPROVED
    with pytest.raises(InvalidTransition):
        services.condition_decide(condition=second, met=False, actor=None, on=dt.date(2020, 9, 21))


def test_a_condition_not_met_leaves_the_course_approved_with_conditions_for_the_officer_to_act_on():
    req = request_at(S.INSPECTED)
    services.approval_request_decide(
        approval_request=req,
        outcome="approved_with_conditions",
        conditions=[("Placements", dt.date(2020, 9, 1))],
        on=dt.date(2020, 6, 1),
        actor=None,
    )
    condition = Condition.objects.get(approval_request=req)
    services.condition_decide(condition=condition, met=False, actor=None, on=dt.date(2020, 9, 2))
    course = Course.objects.get(pk=req.course_id)
    assert course.status == CourseStatus.APPROVED_WITH_CONDITIONS
    services.course_withdraw_approval(course=course, actor=None, reason="Condition not met", on=dt.date(2020, 10, 1))
    assert Course.objects.get(pk=req.course_id).status == CourseStatus.WITHDRAWN


def test_a_course_cannot_have_two_open_approval_requests():
    req = request_at(S.RECEIVED)
    with pytest.raises(InvalidTransition):
        services.approval_request_receive(course=req.course, kind="approval", actor=None)


@pytest.mark.parametrize(
    ("status", "kind", "allowed"),
    [
        (CourseStatus.APPROVED, "reapproval", True),
        (CourseStatus.APPROVED_WITH_CONDITIONS, "reapproval", True),
        (CourseStatus.WITHDRAWN, "approval", True),
        (CourseStatus.NOT_APPROVED, "approval", True),
        (CourseStatus.APPROVED, "approval", False),
        (CourseStatus.HISTORIC, "reapproval", False),
        (CourseStatus.HISTORIC, "approval", False),
        (CourseStatus.WITHDRAWN, "reapproval", False),
    ],
)
def test_which_courses_may_ask_for_approval_or_reapproval(status, kind, allowed):
    course = make_course(status=status)
    if allowed:
        assert services.approval_request_receive(course=course, kind=kind, actor=None).status == S.RECEIVED
    else:
        with pytest.raises(InvalidTransition):
            services.approval_request_receive(course=course, kind=kind, actor=None)


def test_a_reapproval_not_approved_ends_the_approval_from_that_date():
    course = make_course(approved_on=dt.date(2016, 9, 1))
    req = services.approval_request_receive(
        course=course, kind="reapproval", actor=None, received_on=dt.date(2021, 9, 1)
    )
    req = services.approval_request_complete_documentary_review(
        approval_request=req, actor=None, on=dt.date(2021, 9, 20)
    )
    services.inspection_schedule(
        approval_request=req,
        mode="on_site",
        starts_on=dt.date(2021, 10, 4),
        ends_on=dt.date(2021, 10, 5),
        team=TEAM,
        actor=None,
    )
    req = services.inspection_record_conducted(
        approval_request=ApprovalRequest.objects.get(pk=req.pk), conducted_on=dt.date(2021, 10, 5), actor=None
    )
    services.approval_request_decide(approval_request=req, outcome="not_approved", actor=None, on=dt.date(2021, 11, 1))
    assert course in approved_courses_on(dt.date(2021, 10, 31))
    assert course not in approved_courses_on(dt.date(2021, 11, 1))


def test_a_failed_decision_writes_nothing():
    req = request_at(S.INSPECTED)
    counts = (EducationEvent.objects.count(), AuditEvent.objects.count(), Condition.objects.count())
    with pytest.raises(RuleViolation):
        services.approval_request_decide(
            approval_request=req,
            outcome="approved_with_conditions",
            conditions=[("Fine", dt.date(2020, 12, 1)), ("Too early", dt.date(2020, 1, 1))],
            on=dt.date(2020, 6, 1),
            actor=None,
        )
    assert (EducationEvent.objects.count(), AuditEvent.objects.count(), Condition.objects.count()) == counts
    req.refresh_from_db()
    assert req.status == S.INSPECTED and req.course.status == CourseStatus.PROPOSED


def test_a_stale_version_is_refused():
    req = request_at(S.RECEIVED)
    with pytest.raises(StaleState):
        services.approval_request_complete_documentary_review(approval_request=req, actor=None, version=req.version + 5)


def test_dates_cannot_be_in_the_future_or_before_the_request():
    req = request_at(S.RECEIVED, received_on=dt.date(2020, 4, 1))
    with pytest.raises(RuleViolation):
        services.approval_request_complete_documentary_review(approval_request=req, actor=None, on=dt.date(2020, 3, 1))
    with pytest.raises(RuleViolation):
        services.approval_request_complete_documentary_review(approval_request=req, actor=None, on=dt.date(2999, 1, 1))


def test_a_course_change_is_approved_after_documentary_review_and_applied():
    course = make_course(places=40)
    change = services.course_change_receive(
        course=course, description="Add a part-time route", new_places=55, actor=None, received_on=dt.date(2020, 10, 1)
    )
    services.course_change_decide(change=change, approve=True, actor=None, on=dt.date(2020, 11, 2))
    course.refresh_from_db()
    assert course.places == 55
    assert CourseChange.objects.get(pk=change.pk).status == "approved"
    with pytest.raises(InvalidTransition):
        services.course_change_decide(change=change, approve=False, actor=None)


def test_only_an_approved_course_can_be_changed():
    with pytest.raises(InvalidTransition):
        services.course_change_receive(course=make_proposed_course(), description="x", actor=None)


def test_the_reapproval_falls_due_five_years_after_the_approval_in_force():
    course = make_course(approved_on=dt.date(2016, 8, 31))
    assert services.reapproval_due_on(course) == dt.date(2021, 8, 31)
    assert services.reapproval_due_on(make_course(status=CourseStatus.HISTORIC)) is None


@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once_only_one_succeeds():
    req = request_at(S.INSPECTED)
    results, barrier = [], threading.Barrier(2)

    def decide(outcome):
        try:
            barrier.wait()
            services.approval_request_decide(approval_request=req, outcome=outcome, actor=None, on=dt.date(2020, 6, 1))
            results.append("ok")
        except InvalidTransition:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(o,)) for o in ("approved", "not_approved")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert EducationEvent.objects.filter(approval_request=req, kind__in=["approved", "not_approved"]).count() == 1
