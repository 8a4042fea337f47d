"""Each FTP stage's clock, derived from the case's events and the working-day calendar (the one place).

Targets come from the service standards table (regulator.service_standards.target), the rule in
force on the day each clock starts; as seeded (domain.md, kpis.md):
- triage initial review and streaming: 10 working days from social_worker_identified (TRI2);
- triage decision: 28 calendar days from social_worker_identified (TRI1);
- Social Work England investigation to case examiners: 6 calendar months from referred_to_investigation
  (INV2); HCPC cases: closed or progressed by 31 December 2021 (INV3);
- case examiners' initial decision: 10 working days from referred_to_case_examiners (CE1);
- interim order decision: 20 working days from interim_order_need_identified.
A clock is overdue when today is after its due date and it has not stopped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from regulator.models import ServiceStandard
from regulator.service_standards import due_on, target
from regulator.working_days import LONDON, cd, local_date, wd

from .models import CaseEvent, InterimOrderState, State

K = CaseEvent.Kind
Code = ServiceStandard.Code


@dataclass(frozen=True)
class Clock:
    name: str
    started_on: dt.date
    due_on: dt.date
    working_days: bool
    stopped_on: dt.date | None
    today: dt.date
    code: str = ""  # the service standard it runs against

    @property
    def standard(self) -> ServiceStandard:
        return target(self.code, on=self.started_on)

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


# Each clock's name as officers read it, and the standard it runs against.
CLOCK_CODES = {
    "Initial review": Code.TRIAGE_INITIAL_REVIEW,
    "Triage decision": Code.TRIAGE_DECISION,
    "Investigation": Code.INVESTIGATION,
    "Case examiners' initial decision": Code.CASE_EXAMINER_INITIAL_DECISION,
    "Interim order decision": Code.INTERIM_ORDER_DECISION,
}


def _due(code: str, started_on: dt.date) -> dt.date:
    return due_on(target(code, on=started_on), started_on)


def _is_working(code: str, started_on: dt.date) -> bool:
    return target(code, on=started_on).unit == ServiceStandard.Unit.WORKING_DAYS


def investigation_code(origin: str) -> str:
    return Code.INVESTIGATION_HCPC if origin == "hcpc" else Code.INVESTIGATION


def initial_review_due(identified_on: dt.date) -> dt.date:
    return _due(Code.TRIAGE_INITIAL_REVIEW, identified_on)


def triage_decision_due(identified_on: dt.date) -> dt.date:
    return _due(Code.TRIAGE_DECISION, identified_on)


def investigation_due(started_on: dt.date, origin: str) -> dt.date:
    return _due(investigation_code(origin), started_on)


def case_examiner_initial_decision_due(referred_on: dt.date) -> dt.date:
    return _due(Code.CASE_EXAMINER_INITIAL_DECISION, referred_on)


def interim_order_decision_due(need_on: dt.date) -> dt.date:
    return _due(Code.INTERIM_ORDER_DECISION, need_on)


def _clock(name: str, started_on: dt.date, stopped_on: dt.date | None, today: dt.date, origin: str = "swe") -> Clock:
    code = investigation_code(origin) if name == "Investigation" else CLOCK_CODES[name]
    return Clock(name, started_on, _due(code, started_on), _is_working(code, started_on), stopped_on, today, code)


def clocks_from_events(events, *, origin: str, today: dt.date | None = None) -> list[Clock]:
    """Every clock of a case from its events (objects with .kind and .at, in time order): the clocks of
    each pass of each stage, the latest last. A clock stops at the event that ends its stage."""
    today = today or timezone.localdate()
    clocks: list[Clock] = []
    open_: dict[str, Clock] = {}

    def start(name, started_on):
        open_[name] = _clock(name, started_on, None, today, origin)

    def stop(name, on):
        clock = open_.pop(name, None)
        if clock:
            clocks.append(dataclasses.replace(clock, stopped_on=on))

    for event in events:
        on = local_date(event.at)
        kind = event.kind
        if kind == K.SOCIAL_WORKER_IDENTIFIED:
            start("Initial review", on)
            start("Triage decision", on)
        elif kind == K.INITIAL_REVIEW_COMPLETED:
            stop("Initial review", on)
        elif kind in (K.TRIAGE_CLOSED, K.REFERRED_TO_INVESTIGATION) and "Triage decision" in open_:
            stop("Initial review", on)
            stop("Triage decision", on)
            if kind == K.REFERRED_TO_INVESTIGATION:
                start("Investigation", on)
        elif kind == K.RETURNED_FOR_INVESTIGATION:
            start("Investigation", on)
        elif kind in (K.INVESTIGATION_CLOSED, K.REFERRED_TO_CASE_EXAMINERS):
            stop("Investigation", on)
            if kind == K.REFERRED_TO_CASE_EXAMINERS:
                start("Case examiners' initial decision", on)
        elif kind == K.CASE_EXAMINER_INITIAL_DECISION:
            stop("Case examiners' initial decision", on)
        elif kind == K.INTERIM_ORDER_NEED_IDENTIFIED:
            start("Interim order decision", on)
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
        clocks.append(_clock("Initial review", started, None, today))
    if case.state in (State.TRIAGE_INITIAL_REVIEW, State.TRIAGE_DECISION):
        clocks.append(_clock("Triage decision", started, None, today))
    if case.state == State.INVESTIGATION:
        clocks.append(_clock("Investigation", started, None, today, case.origin))
    if case.state == State.CASE_EXAMINERS_INITIAL:
        clocks.append(_clock("Case examiners' initial decision", started, None, today))
    if case.interim_order_state == InterimOrderState.NEED_IDENTIFIED and case.interim_need_identified_at:
        need_on = local_date(case.interim_need_identified_at)
        clocks.append(_clock("Interim order decision", need_on, None, today))
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
    hcpc = target(Code.INVESTIGATION_HCPC, on=today)  # a fixed date: the same for every start
    if hcpc.fixed_date and today > hcpc.fixed_date:
        parts.append(Q(state=State.INVESTIGATION, origin="hcpc"))
    result = parts[0]
    for part in parts[1:]:
        result |= part
    return result
