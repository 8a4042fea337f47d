"""Demo complaints and information requests, worked through the services: the board's monthly
complaint counts (April 2020 to January 2021, two thirds about fees or application closures, nearly
all closed within 20 working days, a few escalated), and FOI and subject access requests, some
extended, some late, some open now."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from registration.models import Registrant
from regulator.demo import DemoContext, demo_user
from regulator.roles import Role
from regulator.working_days import add_working_days

from . import services
from .models import Complaint, ComplaintCategory, InformationRequest

# Complaints received each month, April 2020 to January 2021 (the board's table).
COMPLAINTS = [12, 19, 27, 22, 22, 23, 46, 20, 29, 17]
CATEGORY_WEIGHTS = {
    ComplaintCategory.FEES: 35,
    ComplaintCategory.APPLICATION_CLOSURE: 32,
    ComplaintCategory.REGISTRATION: 10,
    ComplaintCategory.FTP_PROCESS: 10,
    ComplaintCategory.CUSTOMER_SERVICE: 8,
    ComplaintCategory.EDUCATION: 2,
    ComplaintCategory.OTHER: 3,
}
FOI_PER_MONTH, SAR_PER_MONTH = 6, 12
NAMES = ["Alex Morgan", "Sam Patel", "Jo Williams", "Chris Okafor", "Pat Nowak", "Robin Hughes", "Kim Evans"]


def _months():
    return [dt.date(2020 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(10)]


def _complaints(context: DemoContext, officer) -> int:
    rng = context.rng
    categories, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    people = list(Registrant.objects.order_by("pk").values_list("pk", flat=True)[:300])
    today = timezone.localdate()
    n = 0
    for month, count in zip(_months(), COMPLAINTS, strict=True):
        for _ in range(count):
            received = month + dt.timedelta(days=rng.randrange(28))
            registrant_id = rng.choice(people) if people and rng.random() < 0.5 else None
            c = services.complaint_receive(
                complainant_name=rng.choice(NAMES),
                category=rng.choices(categories, weights)[0],
                summary="The complainant is unhappy with how their case was handled.",
                actor=officer,
                received_on=received,
                registrant=Registrant(pk=registrant_id) if registrant_id else None,
            )
            n += 1
            services.complaint_assign(complaint=c, officer=officer, actor=officer)
            late = rng.random() < 0.03
            closed = add_working_days(received, rng.randint(21, 26) if late else rng.randint(3, 19))
            if closed > today:
                continue
            services.complaint_respond(complaint=c, actor=officer, response="Apology and explanation", on=closed)
            services.complaint_close(complaint=c, actor=officer, on=closed)
            if rng.random() < 0.05:
                escalated = closed + dt.timedelta(days=rng.randint(3, 14))
                services.complaint_escalate(complaint=c, actor=officer, reason="Asked for a review", on=escalated)
                services.complaint_assign(complaint=c, officer=officer, actor=officer)
                stage2 = add_working_days(escalated, rng.randint(8, 20))
                services.complaint_respond(complaint=c, actor=officer, response="Review upheld the response", on=stage2)
                services.complaint_close(complaint=c, actor=officer, on=stage2)
    # A few open now, in every state, for the queue.
    for days_ago in (2, 9, 16, 30):
        c = services.complaint_receive(
            complainant_name=rng.choice(NAMES),
            category=ComplaintCategory.FEES,
            summary="Charged twice for renewal.",
            actor=officer,
            received_on=today - dt.timedelta(days=days_ago),
        )
        if days_ago > 5:
            services.complaint_assign(complaint=c, officer=officer, actor=officer)
        n += 1
    return n


def _requests(context: DemoContext, officer) -> int:
    rng = context.rng
    people = list(Registrant.objects.order_by("-pk").values_list("pk", flat=True)[:300])
    n = 0
    for month in _months():
        for kind, count in (("foi", FOI_PER_MONTH), ("sar", SAR_PER_MONTH)):
            for _ in range(count):
                received = month + dt.timedelta(days=rng.randrange(28))
                registrant = Registrant(pk=rng.choice(people)) if kind == "sar" and people else None
                r = services.information_request_receive(
                    kind=kind,
                    requester_name=rng.choice(NAMES),
                    actor=officer,
                    received_on=received,
                    description="Copies of the information held." if kind == "sar" else "Numbers of hearings held.",
                    registrant=registrant,
                )
                n += 1
                extended = kind == "sar" and rng.random() < 0.1
                if extended:
                    services.subject_access_request_extend(
                        request=r, actor=officer, reason="Many records to review", on=received + dt.timedelta(days=20)
                    )
                due = services.information_request_due_on(kind, received, extended)
                closed = due - dt.timedelta(days=rng.randint(0, 15)) if rng.random() > 0.05 else due + dt.timedelta(3)
                outcome = rng.choice(["provided", "partly_provided"])
                services.information_request_close(
                    request=r,
                    outcome=outcome,
                    actor=officer,
                    on=max(closed, received),
                    # An FOI partly withheld names the exemption relied on (s.17): personal information.
                    exemptions=["40"] if kind == "foi" and outcome == "partly_provided" else [],
                )
    today = timezone.localdate()
    for days_ago in (3, 12, 25):
        services.information_request_receive(
            kind="sar",
            requester_name=rng.choice(NAMES),
            actor=officer,
            received_on=today - dt.timedelta(days=days_ago),
            description="All the information you hold about me.",
            registrant=Registrant(pk=rng.choice(people)) if people else None,
        )
        n += 1
    return n


@transaction.atomic  # one commit for the whole seed: fast, and all or nothing
def seed(context: DemoContext) -> None:
    if Complaint.objects.exists() or InformationRequest.objects.exists():
        context.stdout.write("Complaints: demo data exists already, left as it is.")
        return
    officer = demo_user(
        context, username="complaints.officer", role=Role.COMPLAINTS_OFFICER, first_name="Greg", last_name="Complaints"
    )
    complaints = _complaints(context, officer)
    requests = _requests(context, officer)
    context.stdout.write(f"Complaints: {complaints} complaints, {requests} FOI and subject access requests.")
