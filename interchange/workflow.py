"""Whether a record's events follow its workflow, judged as kpis.md judges them: on Europe/London
dates, and within one day in workflow order (old systems stamped the time a record was keyed), and
what state the events leave the record in.

Events come in packed as small integers (see `pack`), so two million case events fit in memory.
Each check returns the problems as (line, column, reason) and the state the record ends in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from regulator.working_days import LONDON

_EPOCH_OFFSET = 1 << 40
_LINE_BITS, _EXTRA_BITS, _RANK_BITS, _DAY_BITS = 28, 12, 5, 20


def pack(at: dt.datetime, rank: int, line: int, extra: int = 0) -> int:
    day = at.astimezone(LONDON).date().toordinal()
    epoch = int(at.timestamp()) + _EPOCH_OFFSET
    value = epoch
    value = (value << _DAY_BITS) | day
    value = (value << _RANK_BITS) | rank
    value = (value << _EXTRA_BITS) | extra
    return (value << _LINE_BITS) | line


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    day: int
    rank: int
    extra: int
    line: int


def unpack(value: int) -> Event:
    line = value & ((1 << _LINE_BITS) - 1)
    value >>= _LINE_BITS
    extra = value & ((1 << _EXTRA_BITS) - 1)
    value >>= _EXTRA_BITS
    rank = value & ((1 << _RANK_BITS) - 1)
    value >>= _RANK_BITS
    day = value & ((1 << _DAY_BITS) - 1)
    epoch = (value >> _DAY_BITS) - _EPOCH_OFFSET
    return Event(dt.datetime.fromtimestamp(epoch, dt.UTC), day, rank, extra, line)


def orderings(packed: list[int]):
    """The two readings of a record's events: by London day then clock time, and by London day then
    workflow order (the clock times of one day may be in any order). The first that fits the
    workflow is the record's history."""
    events = [unpack(v) for v in packed]
    by_time = sorted(events, key=lambda e: (e.day, e.at, e.rank, e.line))
    yield by_time
    by_rank = sorted(events, key=lambda e: (e.day, e.rank, e.at, e.line))
    if by_rank != by_time:
        yield by_rank


def first_fit(packed: list[int], walk):
    """Walk each ordering; the first without problems wins, else the problems of the first."""
    first = None
    for events in orderings(packed):
        result = walk(events)
        if not result.problems:
            return result
        first = first or result
    return first


# --- Applications ---

APPLICATION_RANK = {"received": 0, "info_requested": 1, "info_received": 2, "approved": 3, "refused": 3, "withdrawn": 3}
APPLICATION_EVENT_BY_RANK = None  # ranks are not unique here; the event itself is packed in `extra`
APPLICATION_EVENTS = ("received", "info_requested", "info_received", "approved", "refused", "withdrawn")


@dataclass
class ApplicationHistory:
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    status: str = "draft"
    received_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None


def application_walk(events: list[Event]) -> ApplicationHistory:
    h = ApplicationHistory()
    for e in events:
        name = APPLICATION_EVENTS[e.extra]
        allowed = {
            "received": ("draft",),
            "info_requested": ("received",),
            "info_received": ("awaiting_applicant",),
            "approved": ("received",),
            "refused": ("received", "awaiting_applicant"),
            "withdrawn": ("received", "awaiting_applicant"),
        }[name]
        if h.status not in allowed:
            h.problems.append((e.line, "event", f"{name} cannot follow {_said(h.status)}"))
            return h
        if name == "received":
            h.status, h.received_at = "received", e.at
        elif name == "info_requested":
            h.status = "awaiting_applicant"
        elif name == "info_received":
            h.status = "received"
        else:
            h.status, h.decided_at = name, e.at
    if h.status == "draft" and events:
        h.problems.append((events[0].line, "event", "an application's history starts with received"))
    return h


def _said(state: str) -> str:
    return {"draft": "nothing (the first event must be received)", "closed": "the case's closure"}.get(
        state, state.replace("_", " ")
    )


# --- Fitness to practise cases ---

from .formats import CASE_EVENTS, ORDER_DETAILS  # noqa: E402

CASE_RANK = {name: i for i, name in enumerate(CASE_EVENTS)}
REVIEWED = ("conditions", "suspension")
CLOSING = {"triage_closed", "investigation_closed", "case_examiner_no_further_action"}
RESTARTS_CLOCK = {
    "social_worker_identified",
    "referred_to_investigation",
    "referred_to_case_examiners",
    "referred_to_hearing",
}
_MOVES = {
    "social_worker_identified": (("concern",), "triage_initial_review"),
    "initial_review_completed": (("triage_initial_review",), "triage_decision"),
    "triage_closed": (("triage_decision",), "closed"),
    "referred_to_investigation": (("triage_decision", "case_examiners_initial"), "investigation"),
    "investigation_closed": (("investigation",), "closed"),
    "referred_to_case_examiners": (("investigation",), "case_examiners_initial"),
    "case_examiner_initial_decision": (("case_examiners_initial",), "case_examiners_decision"),
    "case_examiner_no_further_action": (("case_examiners_decision",), "closed"),
    "case_examiner_accepted_disposal": (("case_examiners_decision",), None),
    "referred_to_hearing": (("case_examiners_decision",), "hearing"),
    "hearing_adjourned": (("hearing",), "hearing"),
    "hearing_concluded": (("hearing",), None),
    "substantive_order_review": (("order_monitoring",), "order_monitoring"),
}


def pack_detail(detail: str | None) -> int | None:
    """An order detail (`conditions:12`) as 12 bits; None if it is not one."""
    if not detail:
        return 0
    sanction, _, months = detail.partition(":")
    if sanction not in ORDER_DETAILS or (months and (not months.isdigit() or not 0 < int(months) <= 255)):
        return None
    return (ORDER_DETAILS.index(sanction) + 1) << 8 | (int(months) if months else 0)


def unpack_detail(extra: int) -> tuple[str | None, int | None]:
    if not extra:
        return None, None
    return ORDER_DETAILS[(extra >> 8) - 1], (extra & 0xFF) or None


@dataclass
class OrderMade:
    sanction: str
    months: int | None
    interim: bool
    made_by: str
    at: dt.datetime
    ended_on: dt.date | None = None


@dataclass
class CaseHistory:
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    state: str = "none"
    interim: str = "none"
    concern_at: dt.datetime | None = None
    opened_at: dt.datetime | None = None
    stage_started_at: dt.datetime | None = None
    interim_need_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    case_closed: bool = False
    orders: list[OrderMade] = field(default_factory=list)


def _local(at: dt.datetime) -> dt.date:
    return at.astimezone(LONDON).date()


_FIRST_CASE_EVENT = "nothing (the first event must be concern_received)"


def case_walk(events: list[Event]) -> CaseHistory:
    h = CaseHistory()

    def refuse(e: Event, name: str) -> CaseHistory:
        h.problems.append(
            (
                e.line,
                "event",
                f"{name} cannot follow {_said(h.state) if h.state != 'none' else _FIRST_CASE_EVENT}",
            )
        )
        return h

    def end_interim(e: Event) -> None:
        for order in h.orders:
            if order.interim and order.ended_on is None:
                order.ended_on = _local(e.at)
        h.interim = "none"

    for e in events:
        name = CASE_EVENTS[e.rank]
        sanction, months = unpack_detail(e.extra)
        if h.case_closed:
            return refuse(e, name)
        if name == "concern_received":
            if h.state == "none":
                h.state, h.concern_at = "concern", e.at
            elif h.state == "closed":
                return refuse(e, name)
            continue
        if name == "case_closed":
            if h.state not in ("closed", "order_monitoring"):
                return refuse(e, name)
            if h.state == "order_monitoring":
                end_interim(e)
            h.state, h.case_closed = "closed", True
            h.closed_at = h.closed_at or e.at
            for order in h.orders:
                if not order.interim and order.sanction in REVIEWED and order.ended_on is None:
                    order.ended_on = _local(e.at)
            continue
        if name in ("interim_order_need_identified", "interim_order_decision", "interim_order_review"):
            if h.state in ("none", "concern", "closed"):
                return refuse(e, name)
            needed = {
                "interim_order_need_identified": "none",
                "interim_order_decision": "need_identified",
                "interim_order_review": "in_force",
            }[name]
            if h.interim != needed:
                h.problems.append(
                    (e.line, "event", f"{name} cannot follow an interim order state of {h.interim.replace('_', ' ')}")
                )
                return h
            if name == "interim_order_need_identified":
                h.interim, h.interim_need_at = "need_identified", e.at
            elif name == "interim_order_decision":
                made = sanction in REVIEWED
                if sanction not in (None, "none", *REVIEWED):
                    h.problems.append((e.line, "detail", "an interim order is conditions, suspension or none"))
                    return h
                if made and sanction:
                    h.orders.append(OrderMade(sanction, months, True, "interim_order_hearing", e.at))
                h.interim = "in_force" if made else "none"
            continue
        sources, moved_to = _MOVES[name]
        target: str = moved_to or ""
        if h.state not in sources:
            return refuse(e, name)
        if name in ("hearing_concluded", "case_examiner_accepted_disposal"):
            if sanction is None:
                h.problems.append((e.line, "detail", f"{name} needs the order made (none, advice, ... or removal)"))
                return h
            if name == "case_examiner_accepted_disposal" and sanction in ("none", "removal"):
                h.problems.append((e.line, "detail", "case examiners cannot impose that by consent"))
                return h
            if sanction != "none":
                made_by = "hearing" if name == "hearing_concluded" else "case_examiners"
                h.orders.append(OrderMade(sanction, months, False, made_by, e.at))
            target = "order_monitoring" if sanction in REVIEWED else "closed"
            end_interim(e)
        if name == "social_worker_identified":
            h.opened_at = e.at
        if name in RESTARTS_CLOCK:
            h.stage_started_at = e.at
        if target == "closed":
            h.closed_at = e.at
            if h.interim == "need_identified":
                h.interim = "none"
            end_interim(e)
        h.state = target
    return h


# --- Register entries ---

REGISTER_RANK = {
    "registered": 0,
    "added_to_temporary": 1,
    "restored": 2,
    "annotation_added": 3,
    "annotation_removed": 4,
    "temporary_ended": 5,
    "removed": 6,
}
REGISTER_BY_RANK = {v: k for k, v in REGISTER_RANK.items()}


@dataclass
class EntryHistory:
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    state: str = "none"  # none, full, temporary, removed
    changed_on: dt.date | None = None
    removal_reason: str = ""
    annotations: list[list] = field(default_factory=list)  # [kind index, starts_on, ends_on]


def entry_walk(
    events: list[Event], annotation_kinds: tuple[str, ...], removal_reasons: tuple[str, ...], initial: str = "none"
) -> EntryHistory:
    """`initial`: where registrants.csv puts an entry whose events hold no entry onto the register
    (its registration predates the history kept, e.g. only its annotations are dated)."""
    entered = any(e.rank in (REGISTER_RANK["registered"], REGISTER_RANK["added_to_temporary"]) for e in events)
    h = EntryHistory(state="none" if entered else initial)
    for e in events:
        name = REGISTER_BY_RANK[e.rank]
        on = _local(e.at)
        allowed = {
            "registered": ("none", "temporary"),  # from the temporary register onto the full one
            "added_to_temporary": ("none", "full", "removed"),
            "restored": ("removed",),
            # Annotations are dated on their own: an old system may date one before the registration it kept.
            "annotation_added": ("none", "full", "temporary", "removed"),
            "annotation_removed": ("none", "full", "temporary", "removed"),
            "temporary_ended": ("temporary",),
            "removed": ("full", "temporary"),
        }[name]
        if h.state not in allowed:
            what = (
                "nothing (the first event must be registered or added_to_temporary)" if h.state == "none" else h.state
            )
            h.problems.append((e.line, "event", f"{name} cannot follow {what}"))
            return h
        if name.startswith("annotation"):
            kind = e.extra
            open_ = [a for a in h.annotations if a[0] == kind and a[2] is None]
            if name == "annotation_added":
                if open_:
                    h.problems.append((e.line, "reason", f"{annotation_kinds[kind]} is already on the entry"))
                    return h
                h.annotations.append([kind, on, None])
            else:
                if not open_:
                    h.problems.append((e.line, "reason", f"{annotation_kinds[kind]} is not on the entry"))
                    return h
                open_[0][2] = on
            continue
        h.state = {
            "registered": "full",
            "added_to_temporary": "temporary",
            "restored": "full",
            "temporary_ended": "removed",
            "removed": "removed",
        }[name]
        h.changed_on = on
        if name == "removed":
            h.removal_reason = removal_reasons[e.extra]
        elif name == "temporary_ended":
            h.removal_reason = "temporary_ended"
        else:
            h.removal_reason = ""
    return h
