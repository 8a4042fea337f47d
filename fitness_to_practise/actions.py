"""What can be done to a case, declared once: who may do it, what it asks for, and the service it calls.

The API (api/views.py, one POST endpoint per action) and the pages (views.py, one form per action)
are both built from this list, so they can never disagree about roles or inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django_fsm import can_proceed

from regulator.models import User
from regulator.roles import Role, has_role
from regulator.working_days import local_date

from . import services
from .models import DISPOSAL_SANCTIONS, INTERIM_SANCTIONS, EvidenceRequest, Hearing, Order, RiskLevel, Sanction, State

HANDLER, EXAMINER, ADJUDICATIONS = Role.FTP_CASE_HANDLER, Role.CASE_EXAMINER, Role.ADJUDICATIONS_OFFICER


@dataclass(frozen=True)
class Input:
    name: str
    # text, longtext, int, date, bool, choice, order, evidence_request;
    # hearing (an open hearing), started_hearing (an open hearing that has begun);
    # person (a user holding `role`, chosen by name from a list)
    kind: str
    label: str
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    role: Role | None = None


REASON = Input("reason", "longtext", "Reason for the decision", hint="This is recorded on the case's timeline.")
MONTHS = Input("months", "int", "Length of the order in months", required=False)


@dataclass(frozen=True)
class Action:
    slug: str
    label: str
    roles: tuple[Role, ...]
    call: Callable
    inputs: tuple[Input, ...] = (REASON,)
    transition: str | None = None  # the FSM method that must be able to proceed
    available: Callable | None = None  # or a predicate on the case
    versioned: bool = True
    warning: bool = False
    tags: tuple[str, ...] = field(default_factory=tuple)

    def can(self, user) -> bool:
        return has_role(user, *self.roles)

    def applies_to(self, case) -> bool:
        if self.transition:
            return can_proceed(getattr(case, self.transition)) and (self.available is None or self.available(case))
        return self.available(case) if self.available else True


# One choice set for every sanction input (the services refuse the ones that do not apply here).
DISPOSAL_HINT = "Advice, warning, conditions or suspension"
INTERIM_HINT = "None, conditions or suspension"
assert set(DISPOSAL_SANCTIONS) <= set(Sanction.values) and set(INTERIM_SANCTIONS) <= set(Sanction.values)


def _sanctions(values) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), Sanction(v).label) for v in values)


def _user(username, *, field: str, role: Role):
    """The active user with that username who holds the role (the page offers only those, by name)."""
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not has_role(user, role):
        from regulator.errors import RuleViolation

        raise RuleViolation(f"Choose someone who is a {role.label.lower()}.", field=field)
    return user


def _simple(service):
    return lambda case, actor, data: service(
        case_id=case.pk, version=data["version"], actor=actor, reason=data.get("reason", "")
    )


def _not_closed(case) -> bool:
    return case.state != State.CLOSED


# Which hearings an action can be recorded on, so the page offers only those (the services refuse the rest).
def open_hearings(case) -> list[Hearing]:
    """Listed or part-heard: an adjourned or concluded hearing takes nothing more."""
    return [h for h in case.hearings.all() if h.outcome in (Hearing.Outcome.PENDING, Hearing.Outcome.PART_HEARD)]


def started_hearings(case) -> list[Hearing]:
    """Open hearings whose first day has come: only these can be part-heard or decided."""
    today = local_date(timezone.now())
    return [h for h in open_hearings(case) if h.starts_on <= today]


def _no_hearing_listed(case) -> bool:
    return not any(h.outcome == Hearing.Outcome.PENDING for h in case.hearings.all())


def _interim_orders_in_force(case) -> list[Order]:
    today = local_date(timezone.now())
    return [
        o
        for o in case.orders.all()
        if o.is_interim and o.starts_on <= today and (o.ends_on is None or o.ends_on > today)
    ]


def reviewable_orders(case) -> list[Order]:
    today = local_date(timezone.now())
    return [
        o
        for o in case.orders.all()
        if o.kind in (Order.Kind.CONDITIONS, Order.Kind.SUSPENSION) and (o.ends_on is None or o.ends_on > today)
    ]


def open_evidence_requests(case) -> list[EvidenceRequest]:
    return [r for r in case.evidence_requests.all() if not r.response_received_at]


ACTIONS: list[Action] = [
    Action(
        "complete-initial-review",
        "Complete the initial review",
        (HANDLER,),
        lambda case, actor, d: services.case_complete_initial_review(
            case_id=case.pk,
            version=d["version"],
            actor=actor,
            reason=d["reason"],
            risk_level=d["risk_level"],
            interim_order_needed=bool(d.get("interim_order_needed")),
        ),
        (
            Input("risk_level", "choice", "Risk level", choices=tuple(c for c in RiskLevel.choices if c[0])),
            Input("interim_order_needed", "bool", "An interim order may be needed", required=False),
            REASON,
        ),
        transition="complete_initial_review",
    ),
    Action(
        "close-at-triage",
        "Close at triage",
        (HANDLER,),
        _simple(services.case_close_at_triage),
        transition="close_at_triage",
        warning=True,
    ),
    Action(
        "refer-to-investigation",
        "Refer to investigation",
        (HANDLER,),
        _simple(services.case_refer_to_investigation),
        transition="refer_to_investigation",
    ),
    Action(
        "close-investigation",
        "Close at investigation",
        (HANDLER,),
        _simple(services.case_close_investigation),
        transition="close_investigation",
        warning=True,
    ),
    Action(
        "refer-to-case-examiners",
        "Refer to case examiners",
        (HANDLER,),
        _simple(services.case_refer_to_case_examiners),
        transition="refer_to_case_examiners",
    ),
    Action(
        "accept-for-decision",
        "Accept the case for a decision",
        (EXAMINER,),
        _simple(services.case_accept_for_decision),
        transition="accept_for_decision",
    ),
    Action(
        "return-for-investigation",
        "Return for more investigation",
        (EXAMINER,),
        _simple(services.case_return_for_investigation),
        transition="return_for_investigation",
    ),
    Action(
        "no-further-action",
        "No further action",
        (EXAMINER,),
        _simple(services.case_no_further_action),
        transition="decide_no_further_action",
        warning=True,
    ),
    Action(
        "offer-disposal",
        "Offer an accepted disposal",
        (EXAMINER,),
        lambda case, actor, d: services.case_offer_disposal(
            case_id=case.pk,
            version=d["version"],
            actor=actor,
            reason=d["reason"],
            sanction=d["sanction"],
            months=d.get("months"),
        ),
        (
            Input("sanction", "choice", "Disposal", choices=_sanctions(Sanction.values), hint=DISPOSAL_HINT),
            MONTHS,
            REASON,
        ),
        transition="offer_disposal",
    ),
    Action(
        "refer-to-hearing",
        "Refer to a hearing",
        (EXAMINER,),
        _simple(services.case_refer_to_hearing),
        transition="refer_to_hearing",
    ),
    Action(
        "accept-disposal",
        "Record that the social worker accepted",
        (HANDLER, ADJUDICATIONS),
        _simple(services.case_accept_disposal),
        transition="accept_disposal",
    ),
    Action(
        "decline-disposal",
        "Record that the social worker declined",
        (HANDLER, ADJUDICATIONS),
        _simple(services.case_decline_disposal),
        transition="decline_disposal",
    ),
    Action(
        "list-hearing",
        "List a hearing",
        (ADJUDICATIONS,),
        lambda case, actor, d: services.hearing_list(
            case_id=case.pk,
            version=d["version"],
            actor=actor,
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            panel=d.get("panel", ""),
            reason=d.get("reason", ""),
        ),
        (
            Input("starts_on", "date", "First day"),
            Input("ends_on", "date", "Last day"),
            Input("panel", "text", "Panel", required=False, hint="The chair and members"),
        ),
        transition="list_hearing",
        available=_no_hearing_listed,
    ),
    Action(
        "adjourn-hearing",
        "Record an adjournment",
        (ADJUDICATIONS,),
        lambda case, actor, d: services.hearing_adjourn(
            case_id=case.pk, version=d["version"], hearing_id=d["hearing_id"], actor=actor, reason=d["reason"]
        ),
        (Input("hearing_id", "hearing", "Hearing"), REASON),
        transition="record_hearing_adjourned",
        available=lambda case: bool(open_hearings(case)),
    ),
    Action(
        "part-heard",
        "Record the hearing as part-heard",
        (ADJUDICATIONS,),
        lambda case, actor, d: services.hearing_part_heard(
            case_id=case.pk, version=d["version"], hearing_id=d["hearing_id"], actor=actor, reason=d["reason"]
        ),
        (Input("hearing_id", "started_hearing", "Hearing"), REASON),
        transition="record_hearing_part_heard",
        available=lambda case: bool(started_hearings(case)),
    ),
    Action(
        "conclude-hearing",
        "Record the hearing's outcome",
        (ADJUDICATIONS,),
        lambda case, actor, d: services.hearing_conclude(
            case_id=case.pk,
            version=d["version"],
            hearing_id=d["hearing_id"],
            actor=actor,
            reason=d["reason"],
            impaired=bool(d.get("impaired")),
            sanction=d["sanction"],
            months=d.get("months"),
            decided_on=d.get("decided_on"),
        ),
        (
            Input("hearing_id", "started_hearing", "Hearing"),
            Input(
                "decided_on",
                "date",
                "Date of the panel's decision",
                required=False,
                hint="On or after the hearing's first day, and not in the future. Leave empty for today."
                " Any order starts on this day.",
            ),
            Input("impaired", "bool", "Fitness to practise is impaired", required=False),
            Input("sanction", "choice", "Sanction", choices=_sanctions(Sanction.values)),
            MONTHS,
            REASON,
        ),
        transition="conclude_hearing",
        available=lambda case: bool(started_hearings(case)),
    ),
    Action(
        "review-substantive-order",
        "Record a substantive order review",
        (ADJUDICATIONS,),
        lambda case, actor, d: services.substantive_order_review(
            case_id=case.pk,
            version=d["version"],
            order_id=d["order_id"],
            actor=actor,
            reason=d["reason"],
            outcome=d["outcome"],
            months=d.get("months"),
        ),
        (
            Input("order_id", "order", "Order"),
            Input(
                "outcome",
                "choice",
                "Outcome",
                choices=(("confirmed", "Confirmed"), ("extended", "Extended"), ("revoked", "Revoked")),
            ),
            Input("months", "int", "Extension in months", required=False),
            REASON,
        ),
        transition="review_substantive_order",
        available=lambda case: bool(reviewable_orders(case)),
    ),
    Action(
        "identify-interim-order-need",
        "Record a need for an interim order",
        (HANDLER, EXAMINER, ADJUDICATIONS),
        _simple(services.interim_order_need_identify),
        transition="identify_interim_order_need",
        available=_not_closed,
    ),
    Action(
        "decide-interim-order",
        "Record the interim order decision",
        (ADJUDICATIONS,),
        lambda case, actor, d: services.interim_order_decide(
            case_id=case.pk,
            version=d["version"],
            actor=actor,
            reason=d["reason"],
            sanction=d["sanction"],
            months=d.get("months"),
        ),
        (
            Input("sanction", "choice", "Interim order", choices=_sanctions(Sanction.values), hint=INTERIM_HINT),
            MONTHS,
            REASON,
        ),
        transition="decide_interim_order",
    ),
    Action(
        "review-interim-order",
        "Record an interim order review",
        (ADJUDICATIONS,),
        lambda case, actor, d: services.interim_order_review(
            case_id=case.pk,
            version=d["version"],
            actor=actor,
            reason=d["reason"],
            outcome=d["outcome"],
            next_review_on=d.get("next_review_on"),
        ),
        (
            Input("outcome", "choice", "Outcome", choices=(("continued", "Continued"), ("revoked", "Revoked"))),
            Input(
                "next_review_on",
                "date",
                "Next review (if continued)",
                required=False,
                hint="After today and before the order ends. Leave empty for six months from today"
                " (or the day before the order ends, if sooner).",
            ),
            REASON,
        ),
        transition="review_interim_order",
        available=lambda case: bool(_interim_orders_in_force(case)),
    ),
    Action(
        "assign",
        "Assign",
        (HANDLER,),
        lambda case, actor, d: services.case_assign(
            case_id=case.pk,
            version=d["version"],
            actor=actor,
            handler=_user(d.get("handler"), field="handler", role=HANDLER),
            investigator=_user(d.get("investigator"), field="investigator", role=HANDLER),
            external_firm=d.get("external_firm") or None,
            reason=d.get("reason", ""),
        ),
        (
            Input("handler", "person", "Case handler", required=False, role=HANDLER),
            Input(
                "investigator",
                "person",
                "Investigator",
                required=False,
                role=HANDLER,
                hint="The person investigating, including someone at an external firm",
            ),
            Input(
                "external_firm",
                "text",
                "External investigating firm",
                required=False,
                hint="The firm's name only, for example Kingsley Napley LLP",
            ),
        ),
        available=_not_closed,
    ),
    Action(
        "request-evidence",
        "Request evidence",
        (HANDLER,),
        lambda case, actor, d: services.evidence_request_add(
            case_id=case.pk,
            version=d["version"],
            actor=actor,
            requested_from=d["requested_from"],
            description=d["description"],
            response_due_on=d.get("response_due_on"),
        ),
        (
            Input("requested_from", "text", "Requested from"),
            Input("description", "longtext", "Evidence requested"),
            Input(
                "response_due_on",
                "date",
                "Response due",
                required=False,
                hint="From tomorrow up to six months ahead",
            ),
        ),
        available=lambda case: case.state == State.INVESTIGATION,
    ),
    Action(
        "record-evidence-response",
        "Record an evidence response",
        (HANDLER,),
        lambda case, actor, d: services.evidence_response_record(
            case_id=case.pk, version=d["version"], request_id=d["request_id"], actor=actor, summary=d["summary"]
        ),
        (Input("request_id", "evidence_request", "Request"), Input("summary", "longtext", "Summary of the response")),
        available=lambda case: case.state == State.INVESTIGATION and bool(open_evidence_requests(case)),
    ),
    Action(
        "add-note",
        "Add a note",
        (HANDLER, EXAMINER, ADJUDICATIONS),
        lambda case, actor, d: services.case_note_add(case_id=case.pk, actor=actor, text=d["text"]),
        (Input("text", "longtext", "Note"),),
        versioned=False,
    ),
]
ACTIONS_BY_SLUG = {action.slug: action for action in ACTIONS}


def actions_for(user, case) -> list[Action]:
    """The actions this user may take on this case now."""
    return [a for a in ACTIONS if a.can(user) and a.applies_to(case)]


# What the officer is told after each action, in a sentence.
DONE = {
    "complete-initial-review": "The initial review is complete.",
    "close-at-triage": "The case is closed at triage.",
    "refer-to-investigation": "The case is referred to investigation.",
    "close-investigation": "The case is closed at investigation.",
    "refer-to-case-examiners": "The case is referred to the case examiners.",
    "accept-for-decision": "The case is accepted for a decision.",
    "return-for-investigation": "The case is returned for more investigation.",
    "no-further-action": "No further action: the case is closed.",
    "offer-disposal": "The accepted disposal is offered to the social worker.",
    "refer-to-hearing": "The case is referred to a hearing.",
    "accept-disposal": "The social worker's acceptance is recorded.",
    "decline-disposal": "The social worker declined the disposal: the case goes to a hearing.",
    "list-hearing": "The hearing is listed and the social worker has been sent a letter.",
    "adjourn-hearing": "The adjournment is recorded. List the hearing again when it has new dates.",
    "part-heard": "The hearing is recorded as part-heard.",
    "conclude-hearing": "The hearing's outcome is recorded and the social worker has been sent a letter.",
    "review-substantive-order": "The order review is recorded.",
    "identify-interim-order-need": "The need for an interim order is recorded: its 20 working-day clock has started.",
    "decide-interim-order": "The interim order decision is recorded.",
    "review-interim-order": "The interim order review is recorded.",
    "assign": "The case's assignment is updated.",
    "request-evidence": "The evidence request is recorded.",
    "record-evidence-response": "The evidence response is recorded.",
    "add-note": "The note is added to the case's timeline.",
}
assert set(DONE) == set(ACTIONS_BY_SLUG)
