"""kpis.md TRI1-CE3, each against a hand-built case history worked through the services with the
dates the rule is about. The regulator year 2025 runs from April 2025 to March 2026."""

import datetime as dt

import pytest

from fitness_to_practise import kpis, services
from fitness_to_practise.models import CaseEvent
from fitness_to_practise.tests.factories import open_case
from regulator.kpi_months import first_of_month
from regulator.working_days import LONDON

pytestmark = pytest.mark.django_db

YEAR_2025 = [dt.date(2025 + (m < 4), m, 1) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=LONDON)


def month(months, day: str):
    """The Month of `months` that contains the day."""
    first = first_of_month(dt.date.fromisoformat(day))
    return next(m for m in months if m.month == first)


class Case:
    """A case worked through the services: Case("2025-05-01").review("2025-05-09").refer("...")..."""

    def __init__(self, identified: str, origin: str = "swe"):
        self.case = open_case(at=at(identified), origin=origin)

    def _do(self, service, day: str, **extra):
        service(case_id=self.case.pk, version=None, actor=None, reason="Recorded for the test", at=at(day), **extra)
        return self

    def review(self, day):
        return self._do(services.case_complete_initial_review, day, risk_level="low")

    def close_at_triage(self, day):
        return self._do(services.case_close_at_triage, day)

    def refer_to_investigation(self, day):
        return self._do(services.case_refer_to_investigation, day)

    def close_investigation(self, day):
        return self._do(services.case_close_investigation, day)

    def refer_to_case_examiners(self, day):
        return self._do(services.case_refer_to_case_examiners, day)

    def accept(self, day):
        return self._do(services.case_accept_for_decision, day)

    def return_for_investigation(self, day):
        return self._do(services.case_return_for_investigation, day)

    def refer_to_hearing(self, day):
        return self._do(services.case_refer_to_hearing, day)

    def no_further_action(self, day):
        return self._do(services.case_no_further_action, day)

    def to_case_examiners(self, referred: str, to_ce: str):
        return self.review(referred).refer_to_investigation(referred).refer_to_case_examiners(to_ce)


def test_tri1_counts_triage_decisions_in_their_month_met_within_28_calendar_days():
    Case("2025-06-02").review("2025-06-05").close_at_triage("2025-06-30")  # 28 days: met
    Case("2025-06-02").review("2025-06-05").refer_to_investigation("2025-07-01")  # 29 days: missed
    Case("2025-06-20").review("2025-06-25")  # no decision yet: not counted

    months = kpis.tri1_months(YEAR_2025)
    assert (month(months, "2025-06-01").met, month(months, "2025-06-01").population) == (1, 1)
    assert (month(months, "2025-07-01").met, month(months, "2025-07-01").population) == (0, 1)
    assert month(months, "2025-08-01").result is None  # an empty month shows no value, not 0%


def test_tri2_counts_working_days_to_initial_review_skipping_the_spring_bank_holiday():
    # Identified Friday 16 May 2025; Monday 26 May is a bank holiday, so 2 June is the 10th working day.
    Case("2025-05-16").review("2025-06-02")
    Case("2025-05-16").review("2025-06-03")  # the 11th working day

    june = month(kpis.tri2_months(YEAR_2025), "2025-06-01")
    assert (june.met, june.population) == (1, 2)


def test_tri3_is_the_count_at_the_end_of_each_month_of_cases_awaiting_a_triage_decision():
    Case("2025-05-10").review("2025-05-20").close_at_triage("2025-06-05")
    late = Case("2025-05-10")  # identified at 23:30 on 31 May (BST): still May in London
    CaseEvent.objects.filter(case=late.case, kind="social_worker_identified").update(at=at("2025-05-31", 23, 30))
    Case("2025-06-15").review("2025-06-16").refer_to_investigation("2025-07-02")

    months = kpis.tri3_months(YEAR_2025)
    assert [month(months, d).result for d in ("2025-04-01", "2025-05-01", "2025-06-01", "2025-07-01")] == [
        0,
        2,  # both May cases, including the one identified at 23:30 on 31 May
        2,  # the first was closed on 5 June; the June case arrived
        1,  # the June case was referred on 2 July; the late one still awaits a decision
    ]


def test_tri4_is_the_share_of_triage_decisions_that_close_the_case_and_a_return_is_not_a_decision():
    Case("2025-09-01").review("2025-09-02").close_at_triage("2025-09-10")
    Case("2025-09-01").review("2025-09-02").refer_to_investigation("2025-09-10").refer_to_case_examiners(
        "2025-09-20"
    ).return_for_investigation("2025-09-25")

    september = month(kpis.tri4_months(YEAR_2025), "2025-09-01")
    assert (september.met, september.population) == (1, 2)  # the return is not a second referral
    tri1 = month(kpis.tri1_months(YEAR_2025), "2025-09-01")
    assert tri1.population == 2


def test_inv1_counts_open_investigations_at_each_month_end_and_a_returned_case_again():
    Case("2025-04-01").review("2025-04-02").refer_to_investigation("2025-04-10").close_investigation("2025-06-10")
    returned = Case("2025-04-01").to_case_examiners("2025-04-15", "2025-05-20")
    returned.return_for_investigation("2025-07-03")  # a second pass from 3 July
    returned.refer_to_case_examiners("2025-09-15")

    months = kpis.inv1_months(YEAR_2025)
    values = [
        month(months, d).result
        for d in ("2025-04-01", "2025-05-01", "2025-06-01", "2025-07-01", "2025-08-01", "2025-09-01")
    ]
    assert values == [2, 1, 0, 1, 1, 0]


def test_inv2_swe_cases_to_case_examiners_within_6_calendar_months_of_the_pass_start():
    Case("2025-08-01", "swe").to_case_examiners("2025-08-31", "2026-02-28")  # 31 Aug + 6 months = 28 Feb: met
    Case("2025-08-01", "swe").to_case_examiners("2025-08-29", "2026-03-01")  # a day late
    Case("2025-08-01", "hcpc").to_case_examiners("2025-08-31", "2026-02-28")  # HCPC: not an INV2 case

    months = kpis.inv2_months(YEAR_2025)
    assert (month(months, "2026-02-01").met, month(months, "2026-02-01").population) == (1, 1)
    assert (month(months, "2026-03-01").met, month(months, "2026-03-01").population) == (0, 1)


def test_inv2_measures_a_second_pass_from_its_return_not_from_the_first_referral():
    case = Case("2025-04-01").to_case_examiners("2025-04-02", "2025-09-01")
    case.return_for_investigation("2025-09-10").refer_to_case_examiners("2026-01-20")  # 10 months after the first

    months = kpis.inv2_months(YEAR_2025)
    assert (month(months, "2025-09-01").met, month(months, "2025-09-01").population) == (1, 1)
    assert (month(months, "2026-01-01").met, month(months, "2026-01-01").population) == (1, 1)


def test_inv3_is_cumulative_over_hcpc_cases_referred_so_far():
    Case("2025-04-01", "hcpc").review("2025-04-02").refer_to_investigation("2025-04-03").close_investigation(
        "2025-06-10"
    )
    Case("2025-04-01", "hcpc").to_case_examiners("2025-05-05", "2025-08-01")
    Case("2025-04-01", "hcpc").review("2025-04-02").refer_to_investigation("2025-07-07")
    Case("2025-04-01", "swe").review("2025-04-02").refer_to_investigation("2025-04-03").close_investigation(
        "2025-04-20"
    )

    months = kpis.inv3_months(YEAR_2025)
    got = [
        (month(months, d).met, month(months, d).population)
        for d in ("2025-04-01", "2025-06-01", "2025-07-01", "2025-08-01")
    ]
    assert got == [(0, 1), (1, 2), (1, 3), (2, 3)]


def test_ce1_initial_decisions_within_10_working_days_of_the_referral():
    # Referred Thursday 18 December 2025: Christmas Day and Boxing Day are bank holidays.
    # and so is New Year's Day, so Tuesday 6 January 2026 is the 10th working day.
    Case("2025-10-01").to_case_examiners("2025-10-02", "2025-12-18").accept("2026-01-06")
    Case("2025-10-01").to_case_examiners("2025-10-02", "2025-12-18").return_for_investigation("2026-01-07")

    months = kpis.ce1_months(YEAR_2025)
    assert (month(months, "2026-01-01").met, month(months, "2026-01-01").population) == (1, 2)


def test_ce2_and_ce3_split_case_examiner_outcomes_by_origin():
    Case("2025-10-01", "hcpc").to_case_examiners("2025-10-02", "2025-11-03").accept("2025-11-04").refer_to_hearing(
        "2025-11-20"
    )
    Case("2025-10-01", "hcpc").to_case_examiners("2025-10-02", "2025-11-03").accept("2025-11-04").no_further_action(
        "2025-11-21"
    )
    Case("2025-10-01", "swe").to_case_examiners("2025-10-02", "2025-11-03").accept("2025-11-04").no_further_action(
        "2025-11-21"
    )

    ce2, ce3 = kpis.ce2_months(YEAR_2025), kpis.ce3_months(YEAR_2025)
    assert (month(ce2, "2025-11-01").met, month(ce2, "2025-11-01").population) == (1, 2)
    assert (month(ce3, "2025-11-01").met, month(ce3, "2025-11-01").population) == (0, 1)
