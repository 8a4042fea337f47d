"""What can be done to a case, declared once: who may do it, what it asks for, and the service it calls.

The API (api/views.py, one POST endpoint per action) and the pages (views.py, one form per action)
are both built from this list, so they can never disagree about roles or inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django_fsm import can_proceed

from regulator.models import User
from regulator.roles import Role, has_role

from . import services
from .models import DISPOSAL_SANCTIONS, INTERIM_SANCTIONS, RiskLevel, Sanction, State

HANDLER, EXAMINER, ADJUDICATIONS = Role.FTP_CASE_HANDLER, Role.CASE_EXAMINER, Role.ADJUDICATIONS_OFFICER


@dataclass(frozen=True)
class Input:
    name: str
    kind: str  # text, longtext, int, date, bool, choice, hearing, order, evidence_request, user
    label: str
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""


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


def _user(username):
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        from regulator.errors import RuleViolation

        raise RuleViolation("There is no such user.", field="handler")
    return user


def _simple(service):
    return lambda case, actor, data: service(
        case_id=case.pk, version=data["version"], actor=actor, reason=data.get("reason", "")
    )


def _not_closed(case) -> bool:
    return case.state != State.CLOSED


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
    ),
    Action(
        "part-heard",
        "Record the hearing as part-heard",
        (ADJUDICATIONS,),
        lambda case, actor, d: services.hearing_part_heard(
            case_id=case.pk, version=d["version"], hearing_id=d["hearing_id"], actor=actor, reason=d["reason"]
        ),
        (Input("hearing_id", "hearing", "Hearing"), REASON),
        transition="record_hearing_part_heard",
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
        ),
        (
            Input("hearing_id", "hearing", "Hearing"),
            Input("impaired", "bool", "Fitness to practise is impaired", required=False),
            Input("sanction", "choice", "Sanction", choices=_sanctions(Sanction.values)),
            MONTHS,
            REASON,
        ),
        transition="conclude_hearing",
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
            case_id=case.pk, version=d["version"], actor=actor, reason=d["reason"], outcome=d["outcome"]
        ),
        (Input("outcome", "choice", "Outcome", choices=(("continued", "Continued"), ("revoked", "Revoked"))), REASON),
        transition="review_interim_order",
    ),
    Action(
        "assign",
        "Assign",
        (HANDLER,),
        lambda case, actor, d: services.case_assign(
            case_id=case.pk,
            version=d["version"],
            actor=actor,
            handler=_user(d.get("handler")),
            investigator=_user(d.get("investigator")),
            external_firm=d.get("external_firm") or None,
            reason=d.get("reason", ""),
        ),
        (
            Input("handler", "user", "Case handler (username)", required=False),
            Input("investigator", "user", "Investigator (username)", required=False),
            Input("external_firm", "text", "External investigating firm", required=False),
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
            Input("response_due_on", "date", "Response due", required=False),
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
        available=lambda case: case.state == State.INVESTIGATION,
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
