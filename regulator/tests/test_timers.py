"""The service-standard timers on hand-built histories: the pause, a bank holiday, the last day and
the day after, a target changed mid-year, the SQL sweep agreeing with the Python clocks, and a
breach told once only."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from complaints import services as complaint_services
from complaints.tests.factories import make_complaint, make_request
from fitness_to_practise.tests.factories import open_case
from registration import clocks
from registration import services as registration_services
from registration.tests.helpers import at, received
from regulator import service_standards, timer_digests, timers
from regulator.errors import RuleViolation
from regulator.models import AuditEvent, ServiceStandard, TimerDigest, TimerNotification, TimerState, WorkTimer
from regulator.roles import Role
from regulator.working_days import LONDON, add_working_days
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
D = dt.date
Code = ServiceStandard.Code


def timer_of(kind, item_id, clock=None) -> WorkTimer:
    qs = WorkTimer.objects.filter(kind=kind, item_id=item_id)
    return qs.get(clock=clock) if clock else qs.get()


def derived_on(day: dt.date, timer: WorkTimer) -> WorkTimer:
    timers.derive(today=day)
    timer.refresh_from_db()
    return timer


# --- UK applications: 10 working days, pauses excluded ---


def test_an_application_over_christmas_is_due_on_the_tenth_working_day_not_counting_bank_holidays():
    application = received(now=at("2026-12-17"))  # Thu; 25 Dec, 28 Dec (Boxing Day substitute), 1 Jan off
    timers.refresh("registration.application", [application.pk], today=D(2026, 12, 17))
    timer = timer_of("registration.application", application.pk)
    assert timer.due_on == D(2027, 1, 5) == add_working_days(D(2026, 12, 17), 10)
    assert timer.standard.code == Code.UK_APPLICATION and timer.unit == "working_days"
    assert derived_on(D(2026, 12, 29), timer).elapsed == 6  # 18, 21, 22, 23, 24 and 29 Dec


def test_an_application_is_due_soon_on_its_last_day_and_breached_the_day_after():
    application = received(now=at("2026-12-17"))
    timers.refresh("registration.application", [application.pk], today=D(2026, 12, 17))
    timer = timer_of("registration.application", application.pk)
    assert derived_on(D(2026, 12, 17), timer).state == TimerState.ON_TIME
    assert derived_on(D(2026, 12, 29), timer).state == TimerState.DUE_SOON  # 5 working days left
    last_day = derived_on(D(2027, 1, 5), timer)
    assert last_day.state == TimerState.DUE_SOON and last_day.elapsed == 10 and last_day.breached_at is None
    day_after = derived_on(D(2027, 1, 6), timer)
    assert day_after.state == TimerState.BREACHED and day_after.elapsed == 11
    assert day_after.breached_at == dt.datetime(2027, 1, 6, tzinfo=LONDON)


def test_the_working_days_awaiting_the_applicant_do_not_count_and_an_open_pause_moves_the_due_date_each_day():
    application = received(now=at("2026-11-02"))  # Mon; due 16 Nov without pauses
    user = application.registrant.user
    registration_services.application_request_information(
        application=application, actor=user, reason="Transcript", version=None, now=at("2026-11-04")
    )
    timers.refresh("registration.application", [application.pk], today=D(2026, 11, 9))
    timer = timer_of("registration.application", application.pk)
    assert timer.paused_since == D(2026, 11, 4) and timer.paused_working_days == 0
    assert derived_on(D(2026, 11, 9), timer).due_on == D(2026, 11, 19)  # 5, 6, 9 Nov paused: three days on
    assert derived_on(D(2026, 11, 10), timer).due_on == D(2026, 11, 20)
    registration_services.application_record_information_received(
        application=application, actor=user, version=None, now=at("2026-11-10")
    )
    timers.refresh("registration.application", [application.pk], today=D(2026, 11, 30))
    timer.refresh_from_db()
    clock = clocks.application_clock(application.events.values_list("event", "at"), today=D(2026, 11, 30))
    assert timer.paused_since is None and timer.paused_working_days == 4 == clock.paused_working_days
    assert timer.due_on == clock.due_on == D(2026, 11, 20)
    assert timer.state == TimerState.BREACHED and timer.elapsed == clock.age_working_days == 20 - 4


def test_a_decision_stops_the_timer_and_says_whether_it_met_the_standard():
    application = received(now=at("2026-11-02"))
    officer = UserFactory(roles=[Role.REGISTRATION_OFFICER])
    with time_machine.travel(at("2026-11-17"), tick=False):
        registration_services.application_approve(application=application, actor=officer, version=None)
        timers.refresh("registration.application", [application.pk])
    timer = timer_of("registration.application", application.pk)
    assert timer.stopped_on == D(2026, 11, 17) and timer.state == TimerState.MISSED
    assert timer.breached_at == dt.datetime(2026, 11, 17, tzinfo=LONDON)


# --- A target changed mid-year: old months keep the old rule ---


def test_a_target_changed_mid_year_applies_from_its_date_and_earlier_clocks_keep_the_old_rule():
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    with time_machine.travel(at("2027-01-15"), tick=False):
        service_standards.service_standard_save(
            standard=ServiceStandard(
                code=Code.UK_APPLICATION,
                amount=5,
                unit="working_days",
                pauses_excluded=True,
                measured_from="receipt",
                effective_from=D(2027, 2, 1),
            ),
            actor=admin,
            reason="The board's new aim for UK graduates",
        )
    before = received(now=at("2027-01-29"))  # Fri, under the old rule
    after = received(now=at("2027-02-01"))  # Mon, under the new one
    timers.refresh("registration.application", [before.pk, after.pk], today=D(2027, 2, 2))
    old, new = timer_of("registration.application", before.pk), timer_of("registration.application", after.pk)
    assert (old.amount, old.due_on) == (10, D(2027, 2, 12))
    assert (new.amount, new.due_on) == (5, D(2027, 2, 8))
    assert old.standard.effective_from < D(2027, 2, 1) == new.standard.effective_from
    assert clocks.application_clock([("received", at("2027-01-29"))], today=D(2027, 2, 2)).due_on == D(2027, 2, 12)
    assert service_standards.target(Code.UK_APPLICATION, on=D(2027, 1, 31)).amount == 10
    assert AuditEvent.objects.filter(action="service_standard.added", reason__startswith="The board").exists()


def test_a_rule_in_force_cannot_be_rewritten_under_the_months_it_measured():
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    rule = service_standards.target(Code.UK_APPLICATION, on=D(2026, 6, 1))
    rule.amount = 15
    with time_machine.travel(at("2026-06-01"), tick=False), pytest.raises(RuleViolation) as refused:
        service_standards.service_standard_save(standard=rule, actor=admin, reason="Shorter")
    assert refused.value.field == "effective_from"
    assert ServiceStandard.objects.get(pk=rule.pk).amount == 10
    with time_machine.travel(at("2026-06-01"), tick=False), pytest.raises(RuleViolation):
        service_standards.service_standard_save(
            standard=ServiceStandard(
                code=Code.EMAIL, amount=3, unit="working_days", measured_from="receipt", effective_from=D(2026, 5, 1)
            ),
            actor=admin,
        )


def test_every_code_has_a_seeded_rule_whose_words_say_what_it_is():
    for code in Code:
        rule = service_standards.target(code, on=D(2020, 4, 1))
        assert rule.rule
    assert service_standards.target(Code.TRIAGE_DECISION, on=D(2020, 4, 1)).rule == (
        "within 28 calendar days of establishing the case concerns a social worker"
    )


# --- The SQL sweep and the Python clocks agree, every unit, every kind of day ---


@pytest.mark.parametrize(
    "code",
    [Code.UK_APPLICATION, Code.TRIAGE_DECISION, Code.INVESTIGATION, Code.SUBJECT_ACCESS, Code.INVESTIGATION_HCPC],
)
def test_the_sweep_in_sql_gives_the_same_due_date_as_the_python_rule_for_every_start_day(code):
    rule = service_standards.target(code, on=D(2020, 1, 1))
    starts = [D(2019, 12, 1) + dt.timedelta(days=n) for n in range(0, 800, 3)]  # weekends, holidays, month ends
    WorkTimer.objects.bulk_create(
        [
            WorkTimer(
                kind="test",
                item_id=i,
                clock=code,
                standard=rule,
                reference=f"T{i}",
                team="x",
                started_on=start,
                unit=rule.unit,
                amount=rule.amount + (rule.extension_amount or 0) * (i % 2),
                due_by=rule.fixed_date,
                due_on=start,
            )
            for i, start in enumerate(starts)
        ]
    )
    timers.derive(today=D(2021, 3, 1))
    got = dict(WorkTimer.objects.filter(kind="test").values_list("item_id", "due_on"))
    for i, start in enumerate(starts):
        assert got[i] == service_standards.due_on(rule, start, extended=bool(i % 2)), start


def test_running_the_sweep_twice_changes_nothing_the_second_time():
    for day in ("2026-11-02", "2026-11-03"):
        received(now=at(day))
    result = timers.sweep(today=D(2026, 11, 20))
    assert result.caught_up == {"registration.application": 2} and result.derived == 0  # refreshed as caught up
    assert timers.sweep(today=D(2026, 11, 20)).derived == 0
    assert timers.sweep(today=D(2026, 11, 23)).derived == 2


def test_the_sweep_gives_a_timer_to_an_item_written_without_hooks_and_closes_one_no_longer_open():
    application = received(now=at("2026-11-02"))
    assert not WorkTimer.objects.exists()  # on_commit never fires inside a test transaction
    timers.sweep(today=D(2026, 11, 4))
    assert timer_of("registration.application", application.pk).state == TimerState.ON_TIME
    application.events.create(event="withdrawn", at=at("2026-11-05"))
    type(application).objects.filter(pk=application.pk).update(status="withdrawn")
    timers.sweep(today=D(2026, 11, 6))
    assert timer_of("registration.application", application.pk).stopped_on == D(2026, 11, 5)


def test_an_event_queues_the_refresh_of_its_item_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = received(now=at("2026-11-02"))
    assert timer_of("registration.application", application.pk).due_on == D(2026, 11, 16)


# --- FTP and complaints ---


def test_an_ftp_case_has_a_working_day_and_a_calendar_day_clock_and_the_sweep_agrees_with_its_page():
    case = open_case(at=at("2026-12-21"))
    timers.refresh("fitness_to_practise.case", [case.pk], today=D(2026, 12, 21))
    review = timer_of("fitness_to_practise.case", case.pk, Code.TRIAGE_INITIAL_REVIEW)
    decision = timer_of("fitness_to_practise.case", case.pk, Code.TRIAGE_DECISION)
    assert review.due_on == D(2027, 1, 7)  # 10 working days over Christmas and New Year
    assert decision.due_on == D(2027, 1, 18)  # 28 calendar days: bank holidays count
    page_clocks = {c.code: c for c in __import__("fitness_to_practise.clocks").clocks.running_clocks(case)}
    assert page_clocks[Code.TRIAGE_INITIAL_REVIEW].due_on == review.due_on
    assert derived_on(D(2027, 1, 18), decision).state == TimerState.DUE_SOON
    assert derived_on(D(2027, 1, 19), decision).state == TimerState.BREACHED


def test_a_complaint_stage_and_a_subject_access_request_keep_their_statutory_clocks():
    complaint = make_complaint(received_on=D(2021, 12, 15))
    sar = make_request(kind="sar", received_on=D(2021, 1, 30))  # a month on is Tue 2 March? no: 28 Feb, a Sunday
    timers.refresh("complaints.complaint", [complaint.pk], today=D(2022, 1, 17))
    timers.refresh("complaints.information_request", [sar.pk], today=D(2021, 2, 1))
    assert timer_of("complaints.complaint", complaint.pk).due_on == D(2022, 1, 17)
    assert timer_of("complaints.information_request", sar.pk).due_on == D(2021, 3, 1)  # to the next working day
    officer = UserFactory(roles=[Role.COMPLAINTS_OFFICER])
    with time_machine.travel(at("2021-02-10"), tick=False):
        complaint_services.subject_access_request_extend(request=sar, actor=officer, reason="Complex")
        timers.refresh("complaints.information_request", [sar.pk])
    assert timer_of("complaints.information_request", sar.pk).due_on == D(2021, 4, 30)


# --- The daily digest: a breach told once only ---


def test_an_officer_is_told_of_a_breach_once_and_the_team_lead_sees_the_teams_items():
    officer = UserFactory(roles=[Role.REGISTRATION_OFFICER], email="officer@regulator.example")
    lead = UserFactory(roles=[Role.REGISTRATION_OFFICER, Role.TEAM_LEAD], email="lead@regulator.example")
    mine = received(now=at("2026-11-02"))
    unassigned = received(now=at("2026-11-03"))
    registration_services.application_assign(application=mine, officer=officer, actor=lead, now=at("2026-11-02"))
    timers.sweep(today=D(2026, 11, 17))  # mine breached (due 16 Nov), the other due today

    assert timer_digests.digests_send(today=D(2026, 11, 17)) == 2
    to = {m.to[0]: m for m in mail.outbox}
    assert mine.reference in to["officer@regulator.example"].body
    assert unassigned.reference not in to["officer@regulator.example"].body
    assert (
        mine.reference in to["lead@regulator.example"].body
        and unassigned.reference in to["lead@regulator.example"].body
    )
    assert "1 newly breached, 1 due soon" in to["lead@regulator.example"].subject

    assert timer_digests.digests_send(today=D(2026, 11, 17)) == 0  # the job run twice: nothing twice
    timers.sweep(today=D(2026, 11, 18))
    mail.outbox.clear()
    assert timer_digests.digests_send(today=D(2026, 11, 18)) == 1  # only the newly breached one, to the lead
    assert mail.outbox[0].to == ["lead@regulator.example"] and mine.reference not in mail.outbox[0].body
    assert unassigned.reference in mail.outbox[0].body and "1 newly breached, 0 due soon" in mail.outbox[0].subject
    timers.sweep(today=D(2026, 11, 19))
    assert timer_digests.digests_send(today=D(2026, 11, 19)) == 0
    breach_told = TimerNotification.objects.filter(kind="breached", timer__item_id=mine.pk)
    assert breach_told.count() == 2  # once to its officer, once to the lead
    assert TimerDigest.objects.filter(sent_at__isnull=False).count() == 3


def test_the_sqlite_fallback_derives_exactly_what_the_sql_statement_does():
    rules = [service_standards.target(code, on=D(2020, 1, 1)) for code in Code]
    starts = [D(2019, 12, 1) + dt.timedelta(days=n) for n in range(0, 400, 7)]
    WorkTimer.objects.bulk_create(
        [
            WorkTimer(
                kind="test",
                item_id=i,
                clock=rule.code,
                standard=rule,
                reference=f"T{i}",
                team="x",
                started_on=start,
                unit=rule.unit,
                amount=rule.amount,
                due_by=rule.fixed_date or start + dt.timedelta(days=40),
                due_on=start,
                paused_working_days=i % 3,
                paused_since=start + dt.timedelta(days=3) if i % 2 else None,
                stopped_on=start + dt.timedelta(days=30) if i % 5 == 0 else None,
            )
            for i, (rule, start) in enumerate((r, s) for r in rules for s in starts)
        ]
    )
    fields = ["item_id", "due_on", "elapsed", "state", "breached_at"]
    timers.derive(today=D(2020, 6, 1), kind="test", item_ids=list(range(len(rules) * len(starts))))
    by_sql = list(WorkTimer.objects.order_by("item_id").values_list(*fields))
    WorkTimer.objects.update(computed_on=None, state="on_time", elapsed=0, breached_at=None)
    timers._derive_in_python(WorkTimer.objects.all(), D(2020, 6, 1))
    assert list(WorkTimer.objects.order_by("item_id").values_list(*fields)) == by_sql


def test_a_day_before_the_first_rule_is_measured_by_the_first_rule():
    first = service_standards.history(Code.FOI)[0]
    assert service_standards.target(Code.FOI, on=D(108, 12, 23)) == first
