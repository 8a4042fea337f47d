"""kpis.md TRI1-CE3, each against a hand-built case history worked through the services with the
dates the rule is about. The regulator year 2025 runs from April 2025 to March 2026."""

import datetime as dt

import pytest

from fitness_to_practise import kpis, services
from fitness_to_practise.models import CaseEvent
from fitness_to_practise.tests.factories import open_case
from regulator.kpi_months import first_of_month
from regulator.working_days import LONDON

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

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


# --- Histories as an import writes them: same-day clock times against the workflow, a return from
# the case examiners as a second referred_to_investigation, closing events with no start.


def recorded(case: Case, kind: str, day: str, hour: int = 10) -> Case:
    CaseEvent.objects.create(case=case.case, kind=kind, at=at(day, hour))
    return case


def identified_at(case: Case, day: str, hour: int) -> Case:
    CaseEvent.objects.filter(case=case.case, kind="social_worker_identified").update(at=at(day, hour))
    return case


def test_a_review_stamped_before_the_identification_on_the_same_day_follows_it():
    # Identified at 14:00 on 2 June, the initial review stamped 09:00 that day: 0 working days, met.
    # Paired by clock time the review would have no start before it.
    case = identified_at(Case("2025-06-02"), "2025-06-02", 14)
    recorded(case, "initial_review_completed", "2025-06-02", 9)
    recorded(case, "triage_closed", "2025-06-02", 8)  # the decision too: 0 calendar days, met

    assert (
        month(kpis.tri2_months(YEAR_2025), "2025-06-01").met,
        month(kpis.tri2_months(YEAR_2025), "2025-06-01").population,
    ) == (1, 1)
    tri1 = month(kpis.tri1_months(YEAR_2025), "2025-06-01")
    assert (tri1.met, tri1.population) == (1, 1)
    assert month(kpis.tri3_months(YEAR_2025), "2025-06-01").result == 0  # decided on the day: not open at month end


def test_a_case_examiner_decision_stamped_before_the_referral_on_the_same_day_follows_it():
    case = Case("2025-04-01").review("2025-04-02").refer_to_investigation("2025-04-03")
    recorded(case, "referred_to_case_examiners", "2025-05-14", 16)
    recorded(case, "case_examiner_initial_decision", "2025-05-14", 9)

    ce1 = month(kpis.ce1_months(YEAR_2025), "2025-05-01")
    assert (ce1.met, ce1.population) == (1, 1)
    assert month(kpis.inv1_months(YEAR_2025), "2025-05-01").result == 0


def test_a_return_written_as_a_second_referral_is_a_new_investigation_pass_not_a_triage_decision():
    case = Case("2025-04-01").review("2025-04-02").refer_to_investigation("2025-04-10")
    recorded(case, "referred_to_case_examiners", "2025-06-02")
    recorded(case, "case_examiner_initial_decision", "2025-06-05")
    recorded(case, "referred_to_investigation", "2025-06-05", 15)  # returned for more investigation
    recorded(case, "referred_to_case_examiners", "2025-11-20")  # 5.5 months after the return, 7 after the first

    tri1, tri4 = kpis.tri1_months(YEAR_2025), kpis.tri4_months(YEAR_2025)
    assert [month(tri1, d).population for d in ("2025-04-01", "2025-06-01")] == [1, 0]
    assert [month(tri4, d).population for d in ("2025-04-01", "2025-06-01")] == [1, 0]
    inv1 = kpis.inv1_months(YEAR_2025)
    assert [month(inv1, d).result for d in ("2025-04-01", "2025-05-01", "2025-06-01", "2025-10-01", "2025-11-01")] == [
        1, 1, 1, 1, 0,
    ]  # fmt: skip
    inv2 = month(kpis.inv2_months(YEAR_2025), "2025-11-01")
    assert (inv2.met, inv2.population) == (1, 1)  # measured from the return, not the first referral


def test_a_second_identification_starts_a_new_triage_and_its_decision_pairs_with_it():
    case = Case("2025-04-01").review("2025-04-02").close_at_triage("2025-04-20")
    recorded(case, "social_worker_identified", "2025-07-01")  # the concern comes back
    recorded(case, "triage_closed", "2025-07-10")

    tri1 = kpis.tri1_months(YEAR_2025)
    assert [(month(tri1, d).met, month(tri1, d).population) for d in ("2025-04-01", "2025-07-01")] == [(1, 1), (1, 1)]
    tri3 = kpis.tri3_months(YEAR_2025)
    assert [month(tri3, d).result for d in ("2025-04-01", "2025-06-01", "2025-07-01")] == [0, 0, 0]


def test_a_closing_event_with_no_start_before_it_is_not_in_the_population():
    case = Case("2025-04-01")
    recorded(case, "case_examiner_initial_decision", "2025-05-02")  # never referred to case examiners
    recorded(case, "referred_to_case_examiners", "2025-05-05")  # never referred to investigation
    CaseEvent.objects.filter(case=case.case, kind="social_worker_identified").delete()
    recorded(case, "initial_review_completed", "2025-05-06")  # no identification
    recorded(case, "triage_closed", "2025-05-07")

    for kpi in (kpis.ce1_months, kpis.inv2_months, kpis.tri2_months, kpis.tri1_months, kpis.tri4_months):
        assert month(kpi(YEAR_2025), "2025-05-01").population == 0, kpi.__name__


# --- The statements against a plain walk of kpis.md's rules, over random histories (consistent or
# not, many same-day events with clock times in any order).


def _reference(histories, months):
    import collections

    from regulator.working_days import add_calendar_months, cd, local_date, wd

    order = {kind: i for i, kind in enumerate(kpis.WORKFLOW)}
    closing = collections.defaultdict(lambda: [0, 0])  # (code, month) -> [met, population]
    episodes = {"TRI3": [], "INV1": []}

    def count(code, day, met):
        if months[0] <= day and first_of_month(day) in months:
            closing[code, first_of_month(day)][1] += 1
            closing[code, first_of_month(day)][0] += bool(met)

    for origin, events in histories.values():
        identified = start = referred = triage_open = investigation_open = None
        awaiting = False
        for kind, when, _pk in sorted(events, key=lambda e: (local_date(e[1]), order[e[0]], e[1], e[2])):
            day = local_date(when)
            if kind == "social_worker_identified":
                identified, awaiting = day, True
                triage_open = triage_open or day
            elif kind == "initial_review_completed" and identified:
                count("TRI2", day, wd(identified, day) <= 10)
            elif kind in ("triage_closed", "referred_to_investigation"):
                if identified and awaiting:
                    count("TRI1", day, cd(identified, day) <= 28)
                    count("TRI4", day, kind == "triage_closed")
                    awaiting = False
                if triage_open:
                    episodes["TRI3"].append((triage_open, day))
                triage_open = None
            if kind in ("referred_to_investigation", "returned_for_investigation"):
                start = day
                investigation_open = investigation_open or day
            if kind in ("investigation_closed", "referred_to_case_examiners"):
                if investigation_open:
                    episodes["INV1"].append((investigation_open, day))
                investigation_open = None
            if kind == "referred_to_case_examiners":
                if start and origin == "swe":
                    count("INV2", day, day <= add_calendar_months(start, 6))
                referred = day
            if kind == "case_examiner_initial_decision" and referred:
                count("CE1", day, wd(referred, day) <= 10)
            if kind in kpis.CASE_EXAMINER_OUTCOMES and referred:
                count("CE2" if origin == "hcpc" else "CE3", day, kind == "referred_to_hearing")
        episodes["TRI3"] += [(triage_open, None)] if triage_open else []
        episodes["INV1"] += [(investigation_open, None)] if investigation_open else []
    from regulator.kpi_months import month_end

    snapshots = {
        (code, m): sum(1 for o, c in spans if o <= month_end(m) and (c is None or c > month_end(m)))
        for code, spans in episodes.items()
        for m in months
    }
    return {k: tuple(v) for k, v in closing.items()}, snapshots


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_statements_agree_with_a_plain_walk_of_the_rules_over_random_histories(seed):
    import random

    rng = random.Random(seed)
    kinds = [k for k in kpis.WORKFLOW if k != "concern_received"]
    common = [
        "social_worker_identified", "initial_review_completed", "triage_closed", "referred_to_investigation",
        "referred_to_case_examiners", "case_examiner_initial_decision", "returned_for_investigation",
        "investigation_closed", "referred_to_hearing",
    ]  # fmt: skip
    days = [dt.date(2025, 3, 1) + dt.timedelta(days=d) for d in range(0, 200, 3)]  # few days: many collisions
    histories = {}
    for _ in range(40):
        case = open_case(at=at("2025-03-03"), origin=rng.choice(["swe", "hcpc"]))
        CaseEvent.objects.filter(case=case).delete()
        rows = []
        for _ in range(rng.randint(2, 12)):
            kind = rng.choice(common) if rng.random() < 0.8 else rng.choice(kinds)
            when = dt.datetime.combine(rng.choice(days), dt.time(rng.randint(0, 23), rng.randint(0, 59)), tzinfo=LONDON)
            rows.append(CaseEvent(case=case, kind=kind, at=when))
        CaseEvent.objects.bulk_create(rows)
        histories[case.pk] = (case.origin, [(e.kind, e.at, e.pk) for e in CaseEvent.objects.filter(case=case)])
    months = [dt.date(2025, m, 1) for m in range(4, 10)]

    closing, snapshots = _reference(histories, months)
    assert len(closing) > 20 and sum(snapshots.values()) > 10  # the histories reach every rule

    got = kpis.closing_months(months)
    assert {(code, m.month): (m.met, m.population) for code, ms in got.items() for m in ms if m.population} == closing
    got_snapshots = kpis.snapshot_months(months)
    assert {(code, m.month): m.value for code, ms in got_snapshots.items() for m in ms} == snapshots
