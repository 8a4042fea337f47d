"""The FTP rules on dates and sequence: each date checked against the case's own history and the
calendar, each action offered only when it can apply, and refused by the service otherwise."""

import datetime as dt

import pytest
from django.utils import timezone

from fitness_to_practise import services
from fitness_to_practise.actions import ACTIONS_BY_SLUG
from fitness_to_practise.models import FitnessToPractiseCase, Hearing, Order, State
from fitness_to_practise.selectors import case_detail
from regulator.errors import InvalidTransition, RuleViolation

from .factories import case_in_state

pytestmark = [pytest.mark.dates, pytest.mark.django_db]
REASON = "The panel's reasons."


def _today() -> dt.date:
    return timezone.localdate()


def _days(n: int) -> dt.date:
    return _today() + dt.timedelta(days=n)


def _referred(days_ago: int) -> FitnessToPractiseCase:
    """A case referred to a hearing `days_ago`, with no hearing listed yet."""
    case = case_in_state(State.HEARING)
    case.hearings.all().delete()
    FitnessToPractiseCase.objects.filter(pk=case.pk).update(
        stage_started_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    case.refresh_from_db()
    return case


def _with_hearing(starts_in: int, outcome: str = Hearing.Outcome.PENDING) -> tuple[FitnessToPractiseCase, Hearing]:
    case = _referred(days_ago=60)
    hearing = Hearing.objects.create(
        case=case,
        kind=Hearing.Kind.SUBSTANTIVE,
        starts_on=_days(starts_in),
        ends_on=_days(starts_in + 2),
        outcome=outcome,
        listed_at=timezone.now(),
    )
    return case, hearing


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [
        pytest.param(dt.date(1990, 3, 1), dt.date(1990, 3, 2), "starts_on", id="in-1990"),
        pytest.param(-61, -60, "starts_on", id="before-the-referral"),
        pytest.param(800, 801, "starts_on", id="more-than-two-years-ahead"),
        pytest.param(30, 29, "ends_on", id="ends-before-it-starts"),
        pytest.param(30, 90, "ends_on", id="longer-than-thirty-days"),
    ],
)
def test_a_hearing_is_listed_only_between_the_referral_and_two_years_ahead(starts_on, ends_on, field):
    """Dates are a day or days from the test's today (read when it runs: --stress-days moves each test
    to its own day after collection), or fixed."""
    starts_on, ends_on = (_days(d) if isinstance(d, int) else d for d in (starts_on, ends_on))
    case = _referred(days_ago=30)
    with pytest.raises(RuleViolation) as refused:
        services.hearing_list(case_id=case.pk, version=case.version, actor=None, starts_on=starts_on, ends_on=ends_on)
    assert refused.value.field == field
    assert "must" in refused.value.message or "at most" in refused.value.message
    assert not case.hearings.exists()


def test_the_refusal_says_which_dates_are_allowed():
    case = _referred(days_ago=30)
    with pytest.raises(RuleViolation) as refused:
        services.hearing_list(
            case_id=case.pk,
            version=case.version,
            actor=None,
            starts_on=dt.date(1990, 3, 1),
            ends_on=dt.date(1990, 3, 2),
        )
    referred = timezone.localtime(case.stage_started_at).date()
    assert refused.value.message.startswith("The hearing's first day must be between the day the case was referred")
    assert f"{referred.day} {referred:%B %Y}" in refused.value.message


def test_a_second_hearing_is_not_listed_while_one_is_listed():
    case, _ = _with_hearing(starts_in=10)
    with pytest.raises(InvalidTransition, match="already listed"):
        services.hearing_list(case_id=case.pk, version=case.version, actor=None, starts_on=_days(40), ends_on=_days(41))


def test_an_adjourned_hearing_is_listed_again():
    case, hearing = _with_hearing(starts_in=10, outcome=Hearing.Outcome.ADJOURNED)
    relisted = services.hearing_list(
        case_id=case.pk, version=case.version, actor=None, starts_on=_days(40), ends_on=_days(41)
    )
    assert relisted.pk != hearing.pk


@pytest.mark.parametrize(
    ("starts_in", "decided_in", "error", "field"),
    [
        pytest.param(5, None, InvalidTransition, None, id="hearing-not-yet-begun"),
        pytest.param(-5, -6, RuleViolation, "decided_on", id="decided-before-the-hearing"),
        pytest.param(-5, 1, RuleViolation, "decided_on", id="decided-in-the-future"),
    ],
)
def test_an_outcome_is_on_or_after_its_hearing_and_never_in_the_future(starts_in, decided_in, error, field):
    case, hearing = _with_hearing(starts_in=starts_in)
    decided_on = _days(decided_in) if decided_in is not None else None
    with pytest.raises(error) as refused:
        services.hearing_conclude(
            case_id=case.pk,
            version=case.version,
            hearing_id=hearing.pk,
            actor=None,
            reason=REASON,
            impaired=True,
            sanction="suspension",
            months=6,
            decided_on=decided_on,
        )
    assert refused.value.field == field
    hearing.refresh_from_db()
    assert hearing.outcome == Hearing.Outcome.PENDING and not Order.objects.filter(case=case).exists()


def test_the_order_starts_on_the_decision_date():
    case, hearing = _with_hearing(starts_in=-5)
    services.hearing_conclude(
        case_id=case.pk,
        version=case.version,
        hearing_id=hearing.pk,
        actor=None,
        reason=REASON,
        impaired=True,
        sanction="suspension",
        months=6,
        decided_on=_days(-3),
    )
    order = Order.objects.get(case=case)
    assert order.starts_on == _days(-3)


@pytest.mark.parametrize(
    "service",
    [services.hearing_adjourn, services.hearing_part_heard, services.hearing_conclude],
    ids=["adjourn", "part-heard", "outcome"],
)
def test_nothing_more_is_recorded_on_an_adjourned_hearing(service):
    case, hearing = _with_hearing(starts_in=-5, outcome=Hearing.Outcome.ADJOURNED)
    extra = {"impaired": False, "sanction": "none"} if service is services.hearing_conclude else {}
    with pytest.raises(InvalidTransition, match="adjourned"):
        service(case_id=case.pk, version=case.version, hearing_id=hearing.pk, actor=None, reason=REASON, **extra)


@pytest.mark.parametrize(
    ("setup", "offered", "not_offered"),
    [
        pytest.param("none", {"list-hearing"}, {"adjourn-hearing", "part-heard", "conclude-hearing"}, id="no-hearing"),
        pytest.param("future", {"adjourn-hearing"}, {"list-hearing", "part-heard", "conclude-hearing"}, id="listed"),
        pytest.param("begun", {"adjourn-hearing", "part-heard", "conclude-hearing"}, {"list-hearing"}, id="begun"),
        pytest.param(
            "adjourned", {"list-hearing"}, {"adjourn-hearing", "part-heard", "conclude-hearing"}, id="adjourned"
        ),
    ],
)
def test_hearing_actions_are_offered_only_when_they_can_apply(setup, offered, not_offered, adjudications):
    if setup == "none":
        case = _referred(days_ago=10)
    else:
        starts_in = {"future": 10, "begun": -1, "adjourned": -1}[setup]
        outcome = Hearing.Outcome.ADJOURNED if setup == "adjourned" else Hearing.Outcome.PENDING
        case, _ = _with_hearing(starts_in=starts_in, outcome=outcome)
    case = case_detail(adjudications, case.pk)
    applies = {slug for slug in offered | not_offered if ACTIONS_BY_SLUG[slug].applies_to(case)}
    assert applies == offered


def _interim(ends_in: int) -> tuple[FitnessToPractiseCase, Order]:
    case = case_in_state(State.INVESTIGATION, interim="in_force")
    order = Order.objects.get(case=case)
    Order.objects.filter(pk=order.pk).update(ends_on=_days(ends_in), review_due_on=_days(min(ends_in - 1, 5)))
    order.refresh_from_db()
    return case, order


@pytest.mark.parametrize(
    ("ends_in", "next_review_in", "expected_in"),
    [
        pytest.param(540, None, "six-months", id="default-six-months"),
        pytest.param(60, None, 59, id="order-ends-sooner-day-before"),
        pytest.param(540, 90, 90, id="a-date-chosen"),
    ],
)
def test_a_continued_interim_order_keeps_a_review_date_before_it_ends(ends_in, next_review_in, expected_in):
    case, order = _interim(ends_in)
    services.interim_order_review(
        case_id=case.pk,
        version=case.version,
        actor=None,
        reason=REASON,
        outcome="continued",
        next_review_on=_days(next_review_in) if next_review_in is not None else None,
    )
    order.refresh_from_db()
    assert order.review_due_on is not None and order.review_due_on < order.ends_on
    if expected_in == "six-months":
        assert order.review_due_on > _days(170)
    else:
        assert order.review_due_on == _days(expected_in)


@pytest.mark.parametrize(
    ("ends_in", "next_review_in"),
    [
        pytest.param(540, 0, id="today"),
        pytest.param(540, -10, id="in-the-past"),
        pytest.param(60, 60, id="on-the-day-it-ends"),
        pytest.param(60, 90, id="after-it-ends"),
    ],
)
def test_a_continued_interim_order_review_outside_its_window_is_refused(ends_in, next_review_in):
    case, _ = _interim(ends_in)
    with pytest.raises(RuleViolation) as refused:
        services.interim_order_review(
            case_id=case.pk,
            version=case.version,
            actor=None,
            reason=REASON,
            outcome="continued",
            next_review_on=_days(next_review_in),
        )
    assert refused.value.field == "next_review_on"
    case.refresh_from_db()
    assert case.version == 1


@pytest.mark.parametrize(
    "due_in",
    [pytest.param(None, id="1999"), pytest.param(0, id="today"), pytest.param(400, id="over-six-months-ahead")],
)
def test_an_evidence_due_date_is_from_tomorrow_to_six_months_ahead(due_in):
    case = case_in_state(State.INVESTIGATION)
    due = dt.date(1999, 1, 1) if due_in is None else _days(due_in)
    with pytest.raises(RuleViolation) as refused:
        services.evidence_request_add(
            case_id=case.pk,
            version=case.version,
            actor=None,
            requested_from="The employer",
            description="Supervision notes",
            response_due_on=due,
        )
    assert refused.value.field == "response_due_on"
    assert not case.evidence_requests.exists()


def test_an_evidence_due_date_is_shown_on_the_case(client, handler):
    case = case_in_state(State.INVESTIGATION)
    services.evidence_request_add(
        case_id=case.pk,
        version=case.version,
        actor=handler,
        requested_from="The employer",
        description="Supervision notes",
        response_due_on=_days(14),
    )
    client.force_login(handler)
    page = client.get(f"/ftp/cases/{case.pk}/").content.decode()
    due = _days(14)
    assert f"due {due.day} {due:%b %Y}" in page


@pytest.mark.parametrize(
    "received_on",
    [pytest.param(dt.date(1900, 1, 1), id="1900"), pytest.param(None, id="tomorrow")],
)
def test_a_concern_typed_in_by_staff_is_received_within_the_last_year(received_on):
    received_on = received_on or _days(1)
    with pytest.raises(RuleViolation) as refused:
        services.concern_raise(
            referrer_type="employer",
            referrer_name="A manager",
            what_happened="Something happened.",
            social_worker_name="Sam Worker",
            received_via="post",
            received_on=received_on,
        )
    assert refused.value.field == "received_on"
