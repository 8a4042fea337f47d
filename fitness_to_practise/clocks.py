"""Each FTP stage's clock, derived from the case's events and the working-day calendar (the one place).

Targets (domain.md, kpis.md):
- triage initial review and streaming: 10 working days from social_worker_identified (TRI2);
- triage decision: 28 calendar days from social_worker_identified (TRI1);
- Social Work England investigation to case examiners: 6 calendar months from referred_to_investigation
  (INV2); HCPC cases: closed or progressed by 31 December 2021 (INV3);
- case examiners' initial decision: 10 working days from referred_to_case_examiners (CE1);
- interim order decision: 20 working days from interim_order_need_identified.
A clock is overdue when today is after its due date and it has not stopped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from regulator.working_days import LONDON, add_calendar_months, add_working_days, cd, local_date, wd

from .models import CaseEvent, InterimOrderState, State

K = CaseEvent.Kind

INITIAL_REVIEW_WORKING_DAYS = 10  # TRI2
TRIAGE_DECISION_DAYS = 28  # TRI1
SWE_INVESTIGATION_MONTHS = 6  # INV2
HCPC_INVESTIGATION_DEADLINE = dt.date(2021, 12, 31)  # INV3: all HCPC cases closed or progressed by December 2021
CASE_EXAMINER_INITIAL_DECISION_WORKING_DAYS = 10  # CE1
INTERIM_ORDER_DECISION_WORKING_DAYS = 20  # domain.md, hearings


@dataclass(frozen=True)
class Clock:
    name: str
    started_on: dt.date
    due_on: dt.date
    working_days: bool
    stopped_on: dt.date | None
    today: dt.date

    @property
    def elapsed(self) -> int:
        end = self.stopped_on or self.today
        return wd(self.started_on, end) if self.working_days else cd(self.started_on, end)

    @property
    def unit(self) -> str:
        return "working days" if self.working_days else "days"

    @property
    def overdue(self) -> bool:
        return (self.stopped_on or self.today) > self.due_on

    @property
    def remaining(self) -> int:
        if self.working_days:
            return wd(self.today, self.due_on)
        return cd(self.today, self.due_on)


def initial_review_due(identified_on: dt.date) -> dt.date:
    return add_working_days(identified_on, INITIAL_REVIEW_WORKING_DAYS)


def triage_decision_due(identified_on: dt.date) -> dt.date:
    return identified_on + dt.timedelta(days=TRIAGE_DECISION_DAYS)


def investigation_due(started_on: dt.date, origin: str) -> dt.date:
    if origin == "hcpc":
        return HCPC_INVESTIGATION_DEADLINE
    return add_calendar_months(started_on, SWE_INVESTIGATION_MONTHS)


def case_examiner_initial_decision_due(referred_on: dt.date) -> dt.date:
    return add_working_days(referred_on, CASE_EXAMINER_INITIAL_DECISION_WORKING_DAYS)


def interim_order_decision_due(need_on: dt.date) -> dt.date:
    return add_working_days(need_on, INTERIM_ORDER_DECISION_WORKING_DAYS)


def clocks_from_events(events, *, origin: str, today: dt.date | None = None) -> list[Clock]:
    """Every clock of a case from its events (objects with .kind and .at, in time order): the clocks of
    each pass of each stage, the latest last. A clock stops at the event that ends its stage."""
    today = today or timezone.localdate()
    clocks: list[Clock] = []
    open_: dict[str, Clock] = {}

    def start(name, started_on, due_on, working):
        open_[name] = Clock(name, started_on, due_on, working, None, today)

    def stop(name, on):
        clock = open_.pop(name, None)
        if clock:
            clocks.append(Clock(clock.name, clock.started_on, clock.due_on, clock.working_days, on, today))

    for event in events:
        on = local_date(event.at)
        kind = event.kind
        if kind == K.SOCIAL_WORKER_IDENTIFIED:
            start("Initial review", on, initial_review_due(on), True)
            start("Triage decision", on, triage_decision_due(on), False)
        elif kind == K.INITIAL_REVIEW_COMPLETED:
            stop("Initial review", on)
        elif kind in (K.TRIAGE_CLOSED, K.REFERRED_TO_INVESTIGATION) and "Triage decision" in open_:
            stop("Initial review", on)
            stop("Triage decision", on)
            if kind == K.REFERRED_TO_INVESTIGATION:
                start("Investigation", on, investigation_due(on, origin), False)
        elif kind == K.RETURNED_FOR_INVESTIGATION:
            start("Investigation", on, investigation_due(on, origin), False)
        elif kind in (K.INVESTIGATION_CLOSED, K.REFERRED_TO_CASE_EXAMINERS):
            stop("Investigation", on)
            if kind == K.REFERRED_TO_CASE_EXAMINERS:
                start("Case examiners' initial decision", on, case_examiner_initial_decision_due(on), True)
        elif kind == K.CASE_EXAMINER_INITIAL_DECISION:
            stop("Case examiners' initial decision", on)
        elif kind == K.INTERIM_ORDER_NEED_IDENTIFIED:
            start("Interim order decision", on, interim_order_decision_due(on), True)
        elif kind == K.INTERIM_ORDER_DECISION:
            stop("Interim order decision", on)
        elif kind == K.CASE_CLOSED:
            for name in list(open_):
                stop(name, on)
    return clocks + list(open_.values())


def running_clocks(case, *, today: dt.date | None = None) -> list[Clock]:
    """The clocks that run now for a case in a queue, from its denormalised start instants (copies of
    the events' `at`, see models.FitnessToPractiseCase): no query."""
    today = today or timezone.localdate()
    clocks = []
    started = local_date(case.stage_started_at)
    if case.state == State.TRIAGE_INITIAL_REVIEW:
        clocks.append(Clock("Initial review", started, initial_review_due(started), True, None, today))
    if case.state in (State.TRIAGE_INITIAL_REVIEW, State.TRIAGE_DECISION):
        clocks.append(Clock("Triage decision", started, triage_decision_due(started), False, None, today))
    if case.state == State.INVESTIGATION:
        clocks.append(Clock("Investigation", started, investigation_due(started, case.origin), False, None, today))
    if case.state == State.CASE_EXAMINERS_INITIAL:
        clocks.append(
            Clock(
                "Case examiners' initial decision",
                started,
                case_examiner_initial_decision_due(started),
                True,
                None,
                today,
            )
        )
    if case.interim_order_state == InterimOrderState.NEED_IDENTIFIED and case.interim_need_identified_at:
        need_on = local_date(case.interim_need_identified_at)
        clocks.append(Clock("Interim order decision", need_on, interim_order_decision_due(need_on), True, None, today))
    return clocks


def _latest_start_overdue(due, today: dt.date) -> dt.date:
    """The latest start date whose due date (due(start), monotone in start) is before today."""
    day = today
    while due(day) >= today:
        day -= dt.timedelta(days=1)
    return day


def _start_of_day_after(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=LONDON)


def overdue_q(today: dt.date | None = None) -> Q:
    """A filter for cases with a clock overdue today, done in the database: the due-date rule is
    turned into the latest overdue start date once, here, and compared with the indexed start instant."""
    today = today or timezone.localdate()

    def started_by(due, prefix="stage_started_at"):
        return {f"{prefix}__lt": _start_of_day_after(_latest_start_overdue(due, today))}

    parts = [
        Q(state=State.TRIAGE_INITIAL_REVIEW, **started_by(initial_review_due)),
        Q(state__in=[State.TRIAGE_INITIAL_REVIEW, State.TRIAGE_DECISION], **started_by(triage_decision_due)),
        Q(state=State.INVESTIGATION, origin="swe", **started_by(lambda d: investigation_due(d, "swe"))),
        Q(state=State.CASE_EXAMINERS_INITIAL, **started_by(case_examiner_initial_decision_due)),
        Q(
            interim_order_state=InterimOrderState.NEED_IDENTIFIED,
            **started_by(interim_order_decision_due, "interim_need_identified_at"),
        ),
    ]
    if today > HCPC_INVESTIGATION_DEADLINE:
        parts.append(Q(state=State.INVESTIGATION, origin="hcpc"))
    result = parts[0]
    for part in parts[1:]:
        result |= part
    return result
