"""Annual monitoring: a return for every approved course, submitted only by its own provider,
chased by email while missing, and reviewed."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from education_qa import services
from education_qa.models import CourseStatus, EducationEvent, MonitoringReturn
from education_qa.tasks import chase_overdue_monitoring_returns
from regulator.errors import InvalidTransition, RuleViolation

from .factories import make_course, make_proposed_course, make_provider, provider_user

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def world():
    north, south = make_provider("Northern University"), make_provider("Southern University")
    courses = [make_course(north), make_course(north, status=CourseStatus.APPROVED_WITH_CONDITIONS), make_course(south)]
    make_course(south, status=CourseStatus.HISTORIC)
    make_proposed_course(south)
    return north, south, courses


def test_opening_a_cycle_awaits_a_return_from_every_approved_course_and_no_other(world):
    _, _, courses = world
    cycle = services.monitoring_cycle_open(
        year=2020, due_on=dt.date(2020, 12, 18), actor=None, opened_on=dt.date(2020, 10, 1)
    )
    assert set(cycle.returns.values_list("course_id", flat=True)) == {c.pk for c in courses}
    assert set(cycle.returns.values_list("status", flat=True)) == {"awaited"}
    assert EducationEvent.objects.filter(kind="monitoring_return_opened").count() == 3
    with pytest.raises(InvalidTransition):
        services.monitoring_cycle_open(
            year=2020, due_on=dt.date(2020, 12, 18), actor=None, opened_on=dt.date(2020, 10, 1)
        )


def test_a_provider_submits_its_own_return_and_cannot_submit_another_providers(world):
    north, _south, courses = world
    cycle = services.monitoring_cycle_open(
        year=2020, due_on=dt.date(2020, 12, 18), actor=None, opened_on=dt.date(2020, 10, 1)
    )
    own = cycle.returns.get(course=courses[0])
    other = cycle.returns.get(course=courses[2])
    user = provider_user(north)
    services.monitoring_return_submit(monitoring_return=own, actor=user, students_enrolled=38, meets_standards=True)
    assert MonitoringReturn.objects.get(pk=own.pk).status == "submitted"
    with pytest.raises(PermissionDenied):
        services.monitoring_return_submit(
            monitoring_return=other, actor=user, students_enrolled=1, meets_standards=True
        )
    assert MonitoringReturn.objects.get(pk=other.pk).status == "awaited"
    with pytest.raises(InvalidTransition):
        services.monitoring_return_submit(monitoring_return=own, actor=user, students_enrolled=38, meets_standards=True)


def test_a_return_that_does_not_meet_the_standards_must_say_why(world):
    north, _, courses = world
    cycle = services.monitoring_cycle_open(
        year=2020, due_on=dt.date(2020, 12, 18), actor=None, opened_on=dt.date(2020, 10, 1)
    )
    with pytest.raises(RuleViolation) as error:
        services.monitoring_return_submit(
            monitoring_return=cycle.returns.get(course=courses[0]),
            actor=provider_user(north),
            students_enrolled=3,
            meets_standards=False,
        )
    assert error.value.field == "commentary"


def test_only_a_submitted_return_is_reviewed(world):
    north, _, courses = world
    cycle = services.monitoring_cycle_open(
        year=2020, due_on=dt.date(2020, 12, 18), actor=None, opened_on=dt.date(2020, 10, 1)
    )
    ret = cycle.returns.get(course=courses[0])
    with pytest.raises(InvalidTransition):
        services.monitoring_return_review(monitoring_return=ret, outcome="standards_met", actor=None)
    ret = services.monitoring_return_submit(
        monitoring_return=ret, actor=provider_user(north), students_enrolled=30, meets_standards=True
    )
    services.monitoring_return_review(monitoring_return=ret, outcome="standards_met", actor=None)
    assert MonitoringReturn.objects.get(pk=ret.pk).review_outcome == "standards_met"


def test_chasing_emails_each_provider_once_listing_only_its_missing_returns(world, django_capture_on_commit_callbacks):
    north, south, courses = world
    cycle = services.monitoring_cycle_open(
        year=2020, due_on=dt.date(2020, 12, 18), actor=None, opened_on=dt.date(2020, 10, 1)
    )
    services.monitoring_return_submit(
        monitoring_return=cycle.returns.get(course=courses[0]),
        actor=provider_user(north),
        students_enrolled=30,
        meets_standards=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        chased = services.monitoring_returns_chase(cycle=cycle, on=dt.date(2021, 1, 4))
    assert chased == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {north.contact_email, south.contact_email}
    assert courses[1].name in by_recipient[north.contact_email].body
    assert courses[0].name not in by_recipient[north.contact_email].body
    assert courses[2].name in by_recipient[south.contact_email].body
    assert EducationEvent.objects.filter(kind="monitoring_return_chased").count() == 2


def test_the_weekly_sweep_chases_only_cycles_past_their_due_date(world, django_capture_on_commit_callbacks):
    services.monitoring_cycle_open(year=2020, due_on=dt.date(2020, 12, 18), actor=None, opened_on=dt.date(2020, 10, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert chase_overdue_monitoring_returns() == 2
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_the_sweep_does_nothing_while_another_worker_holds_its_lock(world):
    import threading

    from django.db import connection

    from education_qa.tasks import CHASE_LOCK_KEY

    services.monitoring_cycle_open(year=2020, due_on=dt.date(2020, 12, 18), actor=None, opened_on=dt.date(2020, 10, 1))
    held, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [CHASE_LOCK_KEY])
                held.set()
                release.wait(10)
                cursor.execute("SELECT pg_advisory_unlock(%s)", [CHASE_LOCK_KEY])
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    held.wait(10)
    try:
        assert chase_overdue_monitoring_returns() == 0
        assert len(mail.outbox) == 0
    finally:
        release.set()
        thread.join()
    assert chase_overdue_monitoring_returns() == 2
