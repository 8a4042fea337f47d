"""Demo fitness to practise work: concerns awaiting pre-triage and cases at every stage, of both
origins, some overdue, with interim and final orders in force, worked through the real services
(so every event, letter, order and audit record is what the product itself would write).

About 70 cases: a second or two. The register (registration.demo) must exist first.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from registration.models import EntryStatus, RegisterEntry
from regulator.demo import DemoContext, demo_user
from regulator.roles import Role, grant_roles
from regulator.working_days import local_date

from . import services
from .models import FitnessToPractiseCase, State

REFERRERS = ["public", "public", "employer", "employer", "self", "police", "other"]
WHAT_HAPPENED = [
    "Did not carry out the statutory visits to a looked-after child for three months.",
    "Shared confidential case records with a family member.",
    "Was convicted of driving with excess alcohol.",
    "Recorded home visits that did not take place.",
    "Made inappropriate comments to a service user on social media.",
    "Failed to act on a safeguarding referral about an adult at risk.",
]
# (target state, how many, share of HCPC origin) - enough of each for every queue to show something.
PLAN = [
    (State.TRIAGE_INITIAL_REVIEW, 8),
    (State.TRIAGE_DECISION, 6),
    (State.INVESTIGATION, 12),
    (State.CASE_EXAMINERS_INITIAL, 5),
    (State.CASE_EXAMINERS_DECISION, 4),
    (State.DISPOSAL_OFFERED, 3),
    (State.HEARING, 5),
    (State.ORDER_MONITORING, 4),
    (State.CLOSED, 12),
]
PATH = [
    State.TRIAGE_INITIAL_REVIEW,
    State.TRIAGE_DECISION,
    State.INVESTIGATION,
    State.CASE_EXAMINERS_INITIAL,
    State.CASE_EXAMINERS_DECISION,
    State.HEARING,
    State.ORDER_MONITORING,
]


def seed(context: DemoContext) -> None:
    rng = context.rng
    handler = demo_user(
        context, username="ftp.handler", role=Role.FTP_CASE_HANDLER, first_name="Hana", last_name="Handler"
    )
    examiner = demo_user(
        context, username="case.examiner", role=Role.CASE_EXAMINER, first_name="Cass", last_name="Examiner"
    )
    adjudications = demo_user(
        context,
        username="adjudications.officer",
        role=Role.ADJUDICATIONS_OFFICER,
        first_name="Ade",
        last_name="Adjudicator",
    )
    investigator = demo_user(
        context, username="ftp.investigator", role=Role.FTP_CASE_HANDLER, first_name="Ivy", last_name="Investigator"
    )
    entry_ids = list(
        RegisterEntry.objects.filter(status=EntryStatus.REGISTERED).order_by("id").values_list("pk", flat=True)[:20_000]
    )
    if len(entry_ids) < 100:
        context.stdout.write("Fitness to practise: the register is too small for demo cases; skipped.")
        return
    chosen = iter(rng.sample(entry_ids, 100))
    now = timezone.now()
    cases = 0
    with transaction.atomic():
        # Concerns awaiting pre-triage, and two closed because the person is not registered.
        for i in range(10):
            entry = RegisterEntry.objects.select_related("registrant").get(pk=next(chosen))
            concern = _concern(rng, entry, received_at=now - dt.timedelta(days=rng.randint(0, 12), hours=i))
            if i >= 8:
                services.concern_close_not_registered(
                    concern_id=concern.pk,
                    version=1,
                    actor=handler,
                    reason="No one of that name is on the register: referred for a misuse of title check.",
                )
        for target, count in PLAN:
            for n in range(count):
                entry = RegisterEntry.objects.select_related("registrant").get(pk=next(chosen))
                origin = "hcpc" if n % 4 == 3 else "swe"
                _case(rng, entry, target, n, origin, now, handler, examiner, adjudications, investigator)
                cases += 1
        # A registrant sign-in whose case has letters (the only part of a case they see).
        case = FitnessToPractiseCase.objects.filter(state=State.HEARING).select_related("entry__registrant").first()
        if case is not None:
            user = demo_user(
                context,
                username="ftp.registrant",
                role=Role.REGISTRANT,
                first_name=case.entry.registrant.given_name,
                last_name=case.entry.registrant.family_name,
            )
            grant_roles(user, [Role.REGISTRANT])
            registrant = case.entry.registrant
            if registrant.user_id is None:
                registrant.user = user
                registrant.save(update_fields=["user"])
    reviews = services.orders_sweep()["reviews_scheduled"]  # what beat would do at once: list due reviews
    context.stdout.write(
        f"Fitness to practise: 10 concerns at pre-triage, {cases} cases at every stage, {reviews} order reviews listed."
    )


def _concern(rng, entry, *, received_at, **extra):
    return services.concern_raise(
        referrer_type=rng.choice(REFERRERS),
        referrer_name=rng.choice(["Alex Morgan", "Sam Patel", "Chris Jones", "Jo Okafor", "Kim Walsh"]),
        referrer_email="referrer@example.org",
        what_happened=rng.choice(WHAT_HAPPENED),
        social_worker_name=entry.registrant.full_name,
        social_worker_town=entry.town,
        received_via=rng.choice(["online", "online", "phone", "post"]),
        received_at=received_at,
        **extra,
    )


def _case(rng, entry, target, n, origin, now, handler, examiner, adjudications, investigator):
    # Older cases for later stages; a few past their targets so "overdue" shows.
    days_back = {
        State.TRIAGE_INITIAL_REVIEW: rng.randint(1, 20),
        State.TRIAGE_DECISION: rng.randint(10, 40),
        State.INVESTIGATION: rng.randint(60, 300),
        State.CASE_EXAMINERS_INITIAL: rng.randint(200, 320),
        State.CASE_EXAMINERS_DECISION: rng.randint(220, 360),
        State.DISPOSAL_OFFERED: rng.randint(240, 380),
        State.HEARING: rng.randint(300, 500),
        State.ORDER_MONITORING: rng.randint(400, 600),
        State.CLOSED: rng.randint(30, 500),
    }[target]
    at = now - dt.timedelta(days=days_back)
    remaining = days_back

    def step(share: float):
        nonlocal at, remaining
        gap = max(1, int(remaining * share))
        remaining -= gap
        at = at + dt.timedelta(days=gap)
        return min(at, now - dt.timedelta(minutes=5))

    concern = _concern(rng, entry, received_at=at - dt.timedelta(days=rng.randint(1, 6)))
    case = services.concern_identify_social_worker(
        concern_id=concern.pk, version=1, entry=entry, actor=handler, origin=origin, at=at
    )
    services.case_assign(case_id=case.pk, version=None, actor=handler, handler=handler, at=at)
    version = None  # demo moves follow each other: no stale reads to guard against
    reason = "Demo: decided on the evidence available."
    if target == State.TRIAGE_INITIAL_REVIEW:
        return
    needs_interim = n % 3 == 0
    services.case_complete_initial_review(
        case_id=case.pk,
        version=version,
        actor=handler,
        reason="Streamed on the information in the concern.",
        risk_level=rng.choice(["low", "medium", "high"]),
        interim_order_needed=needs_interim,
        at=step(0.1),
    )
    if needs_interim and target != State.TRIAGE_DECISION:
        decided = step(0.05)
        services.interim_order_decide(
            case_id=case.pk,
            version=version,
            actor=adjudications,
            reason="Risk to the public.",
            sanction=rng.choice(["conditions", "suspension"]),
            months=18,
            at=decided,
        )
    if target == State.TRIAGE_DECISION:
        return
    if target == State.CLOSED and n % 3 == 0:
        services.case_close_at_triage(
            case_id=case.pk,
            version=version,
            actor=handler,
            reason="No case to answer: the concern is about employment matters.",
            at=step(0.2),
        )
        return
    services.case_refer_to_investigation(case_id=case.pk, version=version, actor=handler, reason=reason, at=step(0.1))
    if n % 4 == 1:
        services.case_assign(
            case_id=case.pk, version=version, actor=handler, external_firm="Kingsley Napley LLP", at=step(0.02)
        )
    else:
        services.case_assign(case_id=case.pk, version=version, actor=handler, investigator=investigator, at=step(0.02))
    services.evidence_request_add(
        case_id=case.pk,
        version=version,
        actor=investigator,
        requested_from="Employer (local authority)",
        description="Case records and supervision notes for the period.",
        at=step(0.05),
    )
    if target == State.INVESTIGATION:
        return
    if target == State.CLOSED and n % 3 == 1:
        services.case_close_investigation(
            case_id=case.pk,
            version=version,
            actor=handler,
            reason="The evidence does not support the concern.",
            at=step(0.3),
        )
        return
    services.case_refer_to_case_examiners(case_id=case.pk, version=version, actor=handler, reason=reason, at=step(0.3))
    if target == State.CASE_EXAMINERS_INITIAL:
        return
    services.case_accept_for_decision(case_id=case.pk, version=version, actor=examiner, reason=reason, at=step(0.05))
    if target == State.CASE_EXAMINERS_DECISION:
        return
    if target == State.CLOSED:
        services.case_no_further_action(
            case_id=case.pk,
            version=version,
            actor=examiner,
            reason="No realistic prospect of a finding of impairment.",
            at=step(0.2),
        )
        return
    if target == State.DISPOSAL_OFFERED:
        services.case_offer_disposal(
            case_id=case.pk, version=version, actor=examiner, reason=reason, sanction="warning", months=24, at=step(0.2)
        )
        return
    services.case_refer_to_hearing(case_id=case.pk, version=version, actor=examiner, reason=reason, at=step(0.1))
    referred_on = local_date(at)
    listed_at = step(0.1)
    if target == State.HEARING:
        start = timezone.localdate() + dt.timedelta(days=rng.randint(14, 90))
    else:
        # The hearing sits before its outcome (the services refuse an outcome before the first day).
        decided_at = step(0.5)
        start = max(referred_on, min(local_date(listed_at) + dt.timedelta(days=60), local_date(decided_at)))
    hearing = services.hearing_list(
        case_id=case.pk,
        version=version,
        actor=adjudications,
        starts_on=start,
        ends_on=start + dt.timedelta(days=2),
        panel="Chair, registrant member, lay member",
        at=listed_at,
    )
    if target == State.HEARING:
        return
    services.hearing_conclude(
        case_id=case.pk,
        version=version,
        hearing_id=hearing.pk,
        actor=adjudications,
        reason="Misconduct found; fitness to practise impaired.",
        impaired=True,
        sanction=rng.choice(["conditions", "suspension"]),
        months=12,
        at=decided_at,
    )
