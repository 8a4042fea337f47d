"""The FTP stage machine: every allowed move works and writes its events; every other is refused
with nothing written; a failed move leaves nothing behind; two handlers at once: one wins."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from django_fsm import get_all_FIELD_transitions

from fitness_to_practise import services
from fitness_to_practise.models import (
    INTERCHANGE_EVENT_KINDS,
    CaseEvent,
    FitnessToPractiseCase,
    Hearing,
    InterimOrderState,
    Order,
    State,
)
from regulator.errors import InvalidTransition, RuleViolation, StaleState
from regulator.models import AuditEvent

from .factories import case_in_state

S = State
I = InterimOrderState  # noqa: E741


def _hearing(case):
    hearing = case.hearings.first()  # none when the case is not at a hearing: the move is refused first
    return {"hearing_id": hearing.pk if hearing else 0}


def _relisting(case):
    """A hearing is listed again once the one before it was adjourned (one listing at a time)."""
    Hearing.objects.filter(case=case).update(outcome=Hearing.Outcome.ADJOURNED)
    first = timezone.localdate() + dt.timedelta(days=30)
    return {"starts_on": first, "ends_on": first + dt.timedelta(days=2), "panel": "Chair and two members"}


def _order(case):
    order = case.orders.first()
    return {"order_id": order.pk if order else 0}


# name -> (service, extra kwargs(case), sources, target, events written, FSM field)
MOVES = {
    "complete_initial_review": (
        services.case_complete_initial_review,
        lambda c: {"risk_level": "medium"},
        [S.TRIAGE_INITIAL_REVIEW],
        S.TRIAGE_DECISION,
        ["initial_review_completed"],
    ),
    "close_at_triage": (
        services.case_close_at_triage,
        None,
        [S.TRIAGE_DECISION],
        S.CLOSED,
        ["triage_closed", "case_closed"],
    ),
    "refer_to_investigation": (
        services.case_refer_to_investigation,
        None,
        [S.TRIAGE_DECISION],
        S.INVESTIGATION,
        ["referred_to_investigation"],
    ),
    "close_investigation": (
        services.case_close_investigation,
        None,
        [S.INVESTIGATION],
        S.CLOSED,
        ["investigation_closed", "case_closed"],
    ),
    "refer_to_case_examiners": (
        services.case_refer_to_case_examiners,
        None,
        [S.INVESTIGATION],
        S.CASE_EXAMINERS_INITIAL,
        ["referred_to_case_examiners"],
    ),
    "accept_for_decision": (
        services.case_accept_for_decision,
        None,
        [S.CASE_EXAMINERS_INITIAL],
        S.CASE_EXAMINERS_DECISION,
        ["case_examiner_initial_decision"],
    ),
    "return_for_investigation": (
        services.case_return_for_investigation,
        None,
        [S.CASE_EXAMINERS_INITIAL],
        S.INVESTIGATION,
        ["case_examiner_initial_decision", "returned_for_investigation"],
    ),
    "decide_no_further_action": (
        services.case_no_further_action,
        None,
        [S.CASE_EXAMINERS_DECISION],
        S.CLOSED,
        ["case_examiner_no_further_action", "case_closed"],
    ),
    "offer_disposal": (
        services.case_offer_disposal,
        lambda c: {"sanction": "conditions", "months": 12},
        [S.CASE_EXAMINERS_DECISION],
        S.DISPOSAL_OFFERED,
        ["letter_sent", "disposal_offered"],
    ),
    "accept_disposal": (
        services.case_accept_disposal,
        None,
        [S.DISPOSAL_OFFERED],
        S.CLOSED,
        ["disposal_accepted", "case_examiner_accepted_disposal", "case_closed"],
    ),
    "decline_disposal": (
        services.case_decline_disposal,
        None,
        [S.DISPOSAL_OFFERED],
        S.HEARING,
        ["disposal_declined", "referred_to_hearing"],
    ),
    "refer_to_hearing": (
        services.case_refer_to_hearing,
        None,
        [S.CASE_EXAMINERS_DECISION],
        S.HEARING,
        ["referred_to_hearing"],
    ),
    "list_hearing": (
        services.hearing_list,
        _relisting,
        [S.HEARING],
        S.HEARING,
        ["letter_sent", "hearing_listed"],
    ),
    "record_hearing_adjourned": (services.hearing_adjourn, _hearing, [S.HEARING], S.HEARING, ["hearing_adjourned"]),
    "record_hearing_part_heard": (
        services.hearing_part_heard,
        _hearing,
        [S.HEARING],
        S.HEARING,
        ["hearing_part_heard"],
    ),
    "conclude_hearing": (
        services.hearing_conclude,
        lambda c: {**_hearing(c), "impaired": True, "sanction": "suspension", "months": 6},
        [S.HEARING],
        S.ORDER_MONITORING,
        ["letter_sent", "hearing_concluded"],
    ),
    "review_substantive_order": (
        services.substantive_order_review,
        lambda c: {**_order(c), "outcome": "confirmed"},
        [S.ORDER_MONITORING],
        S.ORDER_MONITORING,
        ["substantive_order_review"],
    ),
}
# Moves of the interim order machine: (service, kwargs, interim sources, interim target, events).
INTERIM_MOVES = {
    "identify_interim_order_need": (
        services.interim_order_need_identify,
        None,
        [I.NONE],
        I.NEED_IDENTIFIED,
        ["interim_order_need_identified"],
    ),
    "decide_interim_order": (
        services.interim_order_decide,
        lambda c: {"sanction": "suspension", "months": 12},
        [I.NEED_IDENTIFIED],
        I.IN_FORCE,
        ["letter_sent", "interim_order_decision"],
    ),
    "review_interim_order": (
        services.interim_order_review,
        lambda c: {"outcome": "continued"},
        [I.IN_FORCE],
        I.IN_FORCE,
        ["interim_order_review"],
    ),
}
SWEEP_ONLY = {"close_after_order", "end_interim_order"}  # moved by the orders sweep (test_orders.py)


def _call(service, extra, case, **overrides):
    kwargs = {"case_id": case.pk, "version": case.version, "actor": None, "reason": "Because the evidence says so."}
    kwargs.update(extra(case) if extra else {})
    kwargs.update(overrides)
    return service(**kwargs)


def _written(case):
    return (
        list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)),
        AuditEvent.objects.count(),
        Order.objects.filter(case=case).count(),
    )


def test_the_moves_under_test_are_exactly_the_models_transitions():
    case = FitnessToPractiseCase()
    declared = {t.name for t in get_all_FIELD_transitions(case, FitnessToPractiseCase._meta.get_field("state"))}
    declared |= {
        t.name for t in get_all_FIELD_transitions(case, FitnessToPractiseCase._meta.get_field("interim_order_state"))
    }
    assert declared == set(MOVES) | set(INTERIM_MOVES) | SWEEP_ONLY


def test_the_first_eighteen_event_kinds_are_the_interchange_events_in_order():
    assert INTERCHANGE_EVENT_KINDS == [
        "concern_received", "social_worker_identified", "initial_review_completed", "triage_closed",
        "referred_to_investigation", "investigation_closed", "referred_to_case_examiners",
        "case_examiner_initial_decision", "case_examiner_no_further_action", "case_examiner_accepted_disposal",
        "referred_to_hearing", "interim_order_need_identified", "interim_order_decision", "interim_order_review",
        "hearing_adjourned", "hearing_concluded", "substantive_order_review", "case_closed",
    ]  # fmt: skip


ALLOWED = [(name, source) for name, (_, _, sources, _, _) in MOVES.items() for source in sources]
REFUSED = [(name, source) for name, (_, _, sources, _, _) in MOVES.items() for source in S if source not in sources]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source"), ALLOWED)
def test_an_allowed_move_changes_the_state_and_writes_its_dated_attributed_events(name, source, user_with_role):
    service, extra, _, target, events = MOVES[name]
    handler = user_with_role("ftp_case_handler")
    case = case_in_state(source)
    before_events, before_audit, _ = _written(case)
    _call(service, extra, case, actor=handler)
    case.refresh_from_db()
    assert case.state == target
    assert case.version == 2
    new = list(CaseEvent.objects.filter(case=case).order_by("id"))[len(before_events) :]
    assert [e.kind for e in new if e.kind not in ("order_expired",)] == events
    assert all(e.actor == handler and e.at for e in new)
    assert any(e.reason == "Because the evidence says so." for e in new)
    assert AuditEvent.objects.count() > before_audit
    assert AuditEvent.objects.filter(action__startswith="ftp_case.", object_id=str(case.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source"), REFUSED)
def test_a_move_from_any_other_state_is_refused_and_nothing_is_written(name, source):
    service, extra, _, _, _ = MOVES[name]
    case = case_in_state(source)
    before = _written(case)
    with pytest.raises(InvalidTransition):
        _call(service, extra, case)
    case.refresh_from_db()
    assert case.state == source and case.version == 1
    assert _written(case) == before


INTERIM_ALLOWED = [(n, s) for n, (_, _, sources, _, _) in INTERIM_MOVES.items() for s in sources]
INTERIM_REFUSED = [(n, s) for n, (_, _, sources, _, _) in INTERIM_MOVES.items() for s in I if s not in sources]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source"), INTERIM_ALLOWED)
def test_an_allowed_interim_order_move_writes_its_events(name, source):
    service, extra, _, target, events = INTERIM_MOVES[name]
    case = case_in_state(S.INVESTIGATION, interim=source)
    _call(service, extra, case)
    case.refresh_from_db()
    assert case.interim_order_state == target
    assert case.state == S.INVESTIGATION
    kinds = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))
    assert kinds[-len(events) :] == events


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source"), INTERIM_REFUSED)
def test_an_interim_order_move_from_another_interim_state_is_refused_with_nothing_written(name, source):
    service, extra, _, _, _ = INTERIM_MOVES[name]
    case = case_in_state(S.INVESTIGATION, interim=source)
    before = _written(case)
    with pytest.raises(InvalidTransition):
        _call(service, extra, case)
    case.refresh_from_db()
    assert case.interim_order_state == source and case.version == 1
    assert _written(case) == before


@pytest.mark.django_db
def test_an_interim_order_need_cannot_be_identified_on_a_closed_case():
    case = case_in_state(S.CLOSED)
    with pytest.raises(InvalidTransition):
        _call(services.interim_order_need_identify, None, case)
    assert not CaseEvent.objects.filter(case=case, kind="interim_order_need_identified").exists()


@pytest.mark.django_db
def test_a_stale_version_is_refused_with_nothing_written():
    case = case_in_state(S.TRIAGE_DECISION)
    before = _written(case)
    with pytest.raises(StaleState):
        _call(services.case_refer_to_investigation, None, case, version=case.version - 1 + 7)
    assert _written(case) == before


@pytest.mark.django_db
def test_a_decision_without_a_reason_is_refused():
    case = case_in_state(S.TRIAGE_DECISION)
    with pytest.raises(RuleViolation) as error:
        _call(services.case_close_at_triage, None, case, reason="  ")
    assert error.value.field == "reason"


@pytest.mark.django_db
def test_a_move_that_fails_part_way_leaves_nothing_half_written(monkeypatch):
    """Concluding a hearing with removal writes the order, then removes the register entry; when the
    register refuses the removal, the case, its events, the order and the hearing all roll back."""
    case = case_in_state(S.HEARING)
    hearing = case.hearings.get()
    before = _written(case)

    def register_refuses(**kwargs):
        raise InvalidTransition("The register refused the removal.")

    monkeypatch.setattr(services, "register_entry_remove", register_refuses)
    with pytest.raises(InvalidTransition):
        _call(services.hearing_conclude, None, case, hearing_id=hearing.pk, impaired=True, sanction="removal")
    case.refresh_from_db()
    hearing.refresh_from_db()
    assert case.state == S.HEARING and case.version == 1
    assert hearing.outcome == ""
    assert _written(case) == before
    assert case.entry.status == "registered"


@pytest.mark.django_db(transaction=True)
def test_two_handlers_moving_the_same_case_at_once_one_wins_and_the_other_is_told():
    case = case_in_state(S.TRIAGE_DECISION)
    barrier = threading.Barrier(2)
    results: list = []

    def move(service):
        try:
            barrier.wait()
            _call(service, None, case)
            results.append("ok")
        except (StaleState, InvalidTransition) as error:
            results.append(type(error).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=(services.case_refer_to_investigation,)),
        threading.Thread(target=move, args=(services.case_close_at_triage,)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["StaleState", "ok"]
    case.refresh_from_db()
    assert case.version == 2
    decisions = CaseEvent.objects.filter(case=case, kind__in=["triage_closed", "referred_to_investigation"])
    assert decisions.count() == 1
