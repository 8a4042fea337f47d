"""A hand-built history whose thirteen KPIs are worked out by hand, month by month (March to July
2025, across the start of the 2025 regulator year).

Some cases are worked live through the services; others are written as an import writes them
(CaseEvent rows straight from the history, some with same-day clock times against the workflow,
and a return from case examiners as a second `referred_to_investigation`). Bank holidays in the
months: Good Friday 18 April, Easter Monday 21 April, 5 May, 26 May.
"""

import datetime as dt

import pytest
import time_machine

from fitness_to_practise import services as ftp
from fitness_to_practise.models import CaseEvent
from fitness_to_practise.tests.factories import open_case
from registration import services as reg
from registration.models import ApplicationEvent, ApplicationRoute, Call, EmailEnquiry
from registration.tests.helpers import received
from regulator.dashboard import kpi_months, month_range
from regulator.roles import Role
from regulator.working_days import LONDON

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

MONTHS = month_range(dt.date(2025, 3, 1), dt.date(2025, 7, 1))
NV = None  # a month with an empty population: no value


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=LONDON)


def live(case, service, day: str, **extra):
    service(case_id=case.pk, version=None, actor=None, reason="Recorded for the test", at=at(day), **extra)


def imported(case, *events: tuple[str, str, int]):
    CaseEvent.objects.bulk_create(CaseEvent(case=case, kind=kind, at=at(day, hour)) for kind, day, hour in events)


def build_ftp() -> None:
    # C1, SWE, imported: reviewed at 09:00 on the day it was identified at 14:00 (TRI2 April: 0
    # working days, met); to investigation 12 May (TRI1 May: 27 days, met); to case examiners 30 May
    # (INV2 May, met); their decision 13 June (CE1 June: 10 working days, met) returns it (a second
    # referred_to_investigation on 16 June: a new pass, not a triage decision); to case examiners
    # again 1 July (INV2 July, met), decided 16 July (CE1 July: 11 working days, missed), referred
    # to a hearing 20 July (CE3 July).
    c1 = open_case(at=at("2025-04-15", 14), origin="swe")
    imported(
        c1,
        ("initial_review_completed", "2025-04-15", 9),
        ("referred_to_investigation", "2025-05-12", 10),
        ("referred_to_case_examiners", "2025-05-30", 10),
        ("case_examiner_initial_decision", "2025-06-13", 10),
        ("referred_to_investigation", "2025-06-16", 10),
        ("referred_to_case_examiners", "2025-07-01", 10),
        ("case_examiner_initial_decision", "2025-07-16", 10),
        ("referred_to_hearing", "2025-07-20", 10),
    )
    # C2, HCPC, live: identified Thursday 10 April, reviewed Friday 25 April (9 working days over
    # Easter: met; 11 without the bank holidays), closed at triage 9 May (TRI1 May: 29 days, missed).
    c2 = open_case(at=at("2025-04-10"), origin="hcpc")
    live(c2, ftp.case_complete_initial_review, "2025-04-25", risk_level="low")
    live(c2, ftp.case_close_at_triage, "2025-05-09")
    # C3, HCPC, live: identified 3 March, reviewed 10 March (TRI2 March: 5, met), to investigation
    # 28 March (TRI1 March: 25 days, met), to case examiners Friday 2 May, their decision 16 May (CE1
    # May: 9 working days over the 5 May bank holiday, met), no further action 10 June (CE2 June).
    c3 = open_case(at=at("2025-03-03"), origin="hcpc")
    live(c3, ftp.case_complete_initial_review, "2025-03-10", risk_level="low")
    live(c3, ftp.case_refer_to_investigation, "2025-03-28")
    live(c3, ftp.case_refer_to_case_examiners, "2025-05-02")
    live(c3, ftp.case_accept_for_decision, "2025-05-16")
    live(c3, ftp.case_no_further_action, "2025-06-10")
    # C4, SWE, imported: closed at triage at 11:00 on the day it was identified at 16:00 (TRI1 June: 0, met).
    c4 = open_case(at=at("2025-06-02", 16), origin="swe")
    imported(c4, ("triage_closed", "2025-06-02", 11))
    # C5, SWE, imported: identified 20 May, reviewed 4 June (10 working days over the 26 May bank
    # holiday: met), to investigation 20 June (TRI1 June: 31 days, missed), still investigated.
    c5 = open_case(at=at("2025-05-20"), origin="swe")
    imported(c5, ("initial_review_completed", "2025-06-04", 10), ("referred_to_investigation", "2025-06-20", 10))
    # C6, HCPC: identified 1 July, awaiting its triage decision.
    open_case(at=at("2025-07-01"), origin="hcpc")


def build_registration(officer) -> None:
    def approve(application, day):
        reg.application_approve(application=application, actor=officer, version=None, now=at(day))

    # A1: received Tuesday 1 April, asked 3 April and again 8 April, answered 10 April, approved
    # 22 April: 13 working days (Easter), less the pause from the first request (5): 8, met.
    a1 = received(now=at("2025-04-01"))
    a1 = reg.application_request_information(
        application=a1, actor=officer, reason="Your course dates", version=None, now=at("2025-04-03")
    )
    ApplicationEvent.objects.create(application=a1, event="info_requested", at=at("2025-04-08"))
    a1 = reg.application_record_information_received(application=a1, actor=officer, version=None, now=at("2025-04-10"))
    approve(a1, "2025-04-22")
    # A2 and A3: received 1 May; approved 16 May (10 working days, 5 May a bank holiday: met) and 19 May (11).
    approve(received(now=at("2025-05-01")), "2025-05-16")
    approve(received(now=at("2025-05-01")), "2025-05-19")
    approve(received(now=at("2025-05-01"), route=ApplicationRoute.OVERSEAS), "2025-05-02")  # not REG1's

    for n, (queue, outcome) in enumerate(
        [(300, "answered"), (301, "answered"), (None, "hung_up_before_queue"), (40, "abandoned_in_queue")]
    ):
        when = at("2025-04-07") + dt.timedelta(minutes=n)
        Call.objects.create(
            received_at=when, queue_seconds=queue, outcome=outcome, key=Call.key_for(when, queue, outcome)
        )
    # Received Friday 11 April: answered 22 April (5 working days over Easter, met) and 23 April (6).
    EmailEnquiry.objects.create(received_at=at("2025-04-11"), responded_at=at("2025-04-22"))
    EmailEnquiry.objects.create(received_at=at("2025-04-11"), responded_at=at("2025-04-23"))
    # Received at 15:00 on 30 May, the answer stamped 09:00 that day: answered the same day, met.
    EmailEnquiry.objects.create(received_at=at("2025-05-30", 15), responded_at=at("2025-05-30", 9))


# Worked by hand from the history above: (met, population) per month, or the count at month end.
EXPECTED = {
    #        March    April    May      June     July
    "REG1": [NV, (1, 1), (1, 2), NV, NV],
    "REG2": [NV, (1, 3), NV, NV, NV],
    "REG3": [NV, (1, 2), (1, 1), NV, NV],
    "TRI1": [(1, 1), NV, (1, 2), (1, 2), NV],
    "TRI2": [(1, 1), (2, 2), NV, (1, 1), NV],
    "TRI3": [0, 2, 1, 0, 1],
    "TRI4": [(0, 1), NV, (1, 2), (1, 2), NV],
    "INV1": [1, 1, 0, 2, 1],
    "INV2": [NV, NV, (1, 1), NV, (1, 1)],
    "INV3": [(0, 1), (0, 1), (1, 1), (1, 1), (1, 1)],
    "CE1": [NV, NV, (1, 1), (1, 1), (0, 1)],
    "CE2": [NV, NV, NV, (0, 1), NV],
    "CE3": [NV, NV, NV, NV, (1, 1)],
}


def figures(months) -> list:
    return [m.value if m.value is not None else ((m.met, m.population) if m.population else None) for m in months]


def test_every_kpi_month_by_month_as_worked_out_by_hand(officer):
    build_ftp()
    build_registration(officer)

    got = kpi_months(list(EXPECTED), MONTHS)

    assert {code: figures(months) for code, months in got.items()} == EXPECTED
    kept = kpi_months(list(EXPECTED), MONTHS)  # the second time from the kept months: the same
    assert {code: figures(months) for code, months in kept.items()} == EXPECTED


def test_the_api_across_two_regulator_years(officer, api_client, user_with_role):
    build_ftp()
    build_registration(officer)
    api_client.force_authenticate(user_with_role(Role.EXECUTIVE))

    with time_machine.travel(dt.datetime(2025, 8, 15, 12, tzinfo=LONDON), tick=False):
        body = api_client.get("/api/v1/kpis/?from=2025-03&to=2025-06").json()

    assert (body["from"], body["to"], body["year"]) == ("2025-03", "2025-06", 2025)
    by_code = {k["code"]: k for k in body["kpis"]}
    tri2 = by_code["TRI2"]
    assert [m["month"] for m in tri2["months"]] == ["2025-03-01", "2025-04-01", "2025-05-01", "2025-06-01"]
    assert [(m["met"], m["population"], m["value"]) for m in tri2["months"]] == [
        (1, 1, 100.0), (2, 2, 100.0), (0, 0, None), (1, 1, 100.0),
    ]  # fmt: skip
    # Year to date from 1 April 2025 (March belongs to the 2024 year): TRI2 pooled 3 of 3; TRI1 pooled
    # April to June 2 of 4 (50%, aim 80%: red, more than 10 points short); TRI3 the latest month's count.
    assert (tri2["year_to_date_from"], tri2["year_to_date"], tri2["year_to_date_rag"]) == ("2025-04-01", 100.0, "green")
    assert (by_code["TRI1"]["year_to_date"], by_code["TRI1"]["year_to_date_rag"]) == (50.0, "red")
    assert (by_code["TRI3"]["year_to_date"], by_code["TRI3"]["year_to_date_rag"]) == (0.0, "green")
    # INV1's months in the year: 1 (April), 0, 2. Fitted through (1, 1) weight 1, (2, 0) weight 2,
    # (3, 2) weight 3, the slope is 0.8: a change of 1.6 over the year, within 22 (2% of 1,100): level.
    assert (by_code["INV1"]["direction"], by_code["INV1"]["direction_rag"]) == ("level", "amber")
