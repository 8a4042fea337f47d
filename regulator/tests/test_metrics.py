"""The board's metric tables on hand-built histories: each row is the rule docs/kpis.md gives it.

Every record is built on the fixed date it acts on (2020), so no row depends on today.
"""

import datetime as dt

import pytest

from complaints.models import Complaint, ComplaintEvent
from education_qa.models import EducationEvent
from fitness_to_practise import services as ftp
from fitness_to_practise.models import CaseEvent
from fitness_to_practise.tests.factories import open_case, raise_concern
from registration.models import (
    Application,
    ApplicationEvent,
    Call,
    CPDRecord,
    EmailEnquiry,
    MisuseOfTitleCase,
    MisuseOfTitleEvent,
    Registrant,
    RemovalReason,
)
from registration.services.register import register_entry_remove
from registration.services.renewals import temporary_register_add
from regulator.dashboard import monthly_function
from regulator.metrics import TABLE_SOURCES, metric_table, register_breakdown, table_report, weighted_median
from regulator.periods import months_between
from regulator.working_days import LONDON
from tests.factories import make_entry

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

APRIL, MAY, JUNE = dt.date(2020, 4, 1), dt.date(2020, 5, 1), dt.date(2020, 6, 1)


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=LONDON)


def values(slug: str, months: list[dt.date]) -> dict[str, list]:
    return table_report(slug, months).values


def test_the_weighted_median_takes_the_middle_or_the_mean_of_the_middle_two():
    assert weighted_median([(5, 1)]) == 5
    assert weighted_median([(2, 1), (10, 1)]) == 6
    assert weighted_median([(1, 3), (9, 1)]) == 1
    assert weighted_median([(1, 2), (9, 2)]) == 5
    assert weighted_median([]) is None


def test_every_table_has_a_definition_for_each_row_and_computes_every_row():
    for source in TABLE_SOURCES:
        table = metric_table(source.slug)
        assert table.slug == source.slug
        keys = [m.key for m in table.metrics]
        assert len(keys) == len(set(keys)), source.slug
        assert all(m.definition.strip() for m in table.metrics)
        assert set(values(source.slug, [APRIL])) >= set(keys)


def test_the_register_at_each_month_end_with_joiners_and_leavers():
    make_entry(registered_on=dt.date(2020, 4, 10))  # joins in April
    leaving = make_entry(registered_on=dt.date(2020, 3, 1))  # registered before the range
    register_entry_remove(entry=leaving, removal_reason=RemovalReason.VOLUNTARY, actor=None, on=dt.date(2020, 5, 15))
    lapsed = make_entry(registered_on=dt.date(2020, 4, 1))
    register_entry_remove(
        entry=lapsed, removal_reason=RemovalReason.FAILURE_TO_RENEW, actor=None, on=dt.date(2020, 5, 20)
    )
    temporary_register_add(
        registration_numbers=[lapsed.registration_number],
        until=dt.date(2020, 12, 1),
        reason="Emergency powers",
        actor=None,
        now=at("2020-05-20", 12),
    )

    rows = values("registration", [dt.date(2020, 3, 1), APRIL, MAY])

    assert rows["registered"] == [1, 3, 1]
    assert rows["temporary"] == [0, 0, 1]
    assert rows["joiners"] == [1, 2, 0]
    assert rows["leavers"] == [0, 0, 2]


def test_the_register_by_route_gender_and_nationality_as_at_the_month_end():
    for nationality in ["British", "British", "Irish"]:
        make_entry(registered_on=dt.date(2020, 4, 1), nationality=nationality, gender="female")
    make_entry(registered_on=dt.date(2020, 4, 1), route="overseas", nationality="Zimbabwean", gender="male")
    make_entry(registered_on=dt.date(2020, 6, 2), nationality="Polish", gender="male")  # after the end of May

    found = register_breakdown(MAY)

    assert dict(found["route"])["UK"] == 3 and dict(found["route"])["International"] == 1
    assert dict(found["gender"])["Female"] == 3 and dict(found["gender"])["Male"] == 1
    assert found["nationality"] == [("British", 2), ("Irish", 1), ("Zimbabwean", 1)]


def application(kind: str, route: str, events: list[tuple[str, str]]) -> Application:
    applicant = Registrant.objects.create(given_name="A", family_name="B")
    made = Application.objects.create(
        reference=f"APP-{Application.objects.count() + 1}", kind=kind, route=route, registrant=applicant
    )
    for event, day in events:
        ApplicationEvent.objects.create(application=made, event=event, at=at(day))
    return made


def test_applications_received_by_route_and_median_working_days_to_decide():
    # June 2020 has no bank holiday: Monday 1 to Monday 15 is 10 working days, Tuesday 2 to Thursday 4 is 2.
    application("new", "uk", [("received", "2020-06-01"), ("approved", "2020-06-15")])
    application("new", "uk", [("received", "2020-06-02"), ("approved", "2020-06-04")])
    application("new", "eea", [("received", "2020-05-29"), ("refused", "2020-06-05")])  # 5 working days
    application("new", "overseas", [("received", "2020-06-03")])  # not decided yet
    application("restoration", "uk", [("received", "2020-06-01"), ("approved", "2020-06-02")])

    rows = values("registration", [MAY, JUNE])

    assert rows["applications_received"] == [1, 3]
    assert rows["applications_received_uk"] == [0, 2]
    assert rows["applications_received_eea"] == [1, 0]
    assert rows["applications_received_overseas"] == [0, 1]
    assert rows["applications_median_days_uk"] == [None, 6]
    assert rows["applications_median_days"] == [None, 5]  # 2, 5, 10
    assert rows["applications_median_days_eea"] == [None, 5]
    assert rows["restorations_received"] == [0, 1]
    assert rows["restorations_median_days"] == [None, 1]


def test_misuse_of_title_cases_opened_and_the_median_to_complete():
    for n, (opened, completed) in enumerate([("2020-06-01", "2020-06-08"), ("2020-06-02", None)]):
        case = MisuseOfTitleCase.objects.create(
            reference=f"MOT-{n}", subject_name="A Person", details="Calls herself a social worker", opened_at=at(opened)
        )
        MisuseOfTitleEvent.objects.create(case=case, event="opened", at=at(opened))
        if completed:
            MisuseOfTitleEvent.objects.create(case=case, event="completed", at=at(completed))

    rows = values("registration", [JUNE])

    assert rows["misuse_of_title_cases"] == [2]
    assert rows["misuse_of_title_median_days"] == [5]


def test_calls_received_median_queue_minutes_share_answered_and_emails():
    for seconds, outcome in [
        (60, "answered"),
        (400, "answered"),
        (200, "abandoned_in_queue"),
        (None, "hung_up_before_queue"),
    ]:
        Call.objects.create(
            received_at=at("2020-06-10"), queue_seconds=seconds, outcome=outcome, key=f"{seconds}|{outcome}"
        )
    for received, responded in [("2020-06-01", "2020-06-03"), ("2020-06-02", "2020-06-09"), ("2020-06-30", None)]:
        EmailEnquiry.objects.create(received_at=at(received), responded_at=responded and at(responded))

    rows = values("registration", [MAY, JUNE])

    assert rows["calls_received"] == [0, 4]
    assert rows["calls_median_queue_minutes"][1] == pytest.approx(200 / 60)
    assert rows["calls_answered_percentage"] == [None, pytest.approx(200 / 3)]
    assert rows["emails_received"] == [0, 3]
    assert rows["emails_median_response_days"] == [None, 3.5]


def cpd(registrant, done_on: str, recorded: str, peer: bool) -> None:
    record = CPDRecord.objects.create(
        registrant=registrant,
        kind="course",
        done_on=dt.date.fromisoformat(done_on),
        description="d",
        learning="l",
        impact="i",
        peer_reflection=peer,
    )
    CPDRecord.objects.filter(pk=record.pk).update(created_at=at(recorded))


def test_valid_cpd_is_cumulative_within_the_registration_year_and_starts_again_in_december():
    complete = make_entry(registered_on=dt.date(2019, 1, 1)).registrant
    cpd(complete, "2020-10-01", "2020-10-02", peer=False)
    cpd(complete, "2020-11-01", "2020-11-02", peer=True)  # valid from November
    no_peer = make_entry(registered_on=dt.date(2019, 1, 1)).registrant
    cpd(no_peer, "2020-10-01", "2020-10-02", peer=False)
    cpd(no_peer, "2020-10-05", "2020-10-06", peer=False)
    last_year = make_entry(registered_on=dt.date(2019, 1, 1)).registrant
    cpd(last_year, "2019-11-01", "2020-11-03", peer=True)  # done in the previous registration year: not valid
    make_entry(registered_on=dt.date(2019, 1, 1))
    cpd(complete, "2020-12-02", "2020-12-03", peer=True)  # a new registration year: one piece only

    rows = values("cpd", months_between(dt.date(2020, 10, 1), dt.date(2020, 12, 1)))

    assert rows["cpd_valid_cumulative"] == [0, 1, 0]
    assert rows["cpd_items"] == [3, 1, 1]
    assert rows["cpd_valid_percentage"] == [0, 25, 0]


def test_education_enquiries_concerns_inspections_and_outcomes_by_month():
    for kind, day in [
        ("enquiry_received", "2020-04-02"),
        ("enquiry_received", "2020-04-30"),
        ("concern_received", "2020-05-01"),
        ("inspection_conducted", "2020-05-04"),
        ("approved_with_conditions", "2020-05-20"),
        ("request_withdrawn", "2020-04-20"),
    ]:
        EducationEvent.objects.create(kind=kind, on=dt.date.fromisoformat(day), at=at(day))

    rows = values("education", [APRIL, MAY])

    assert rows["enquiries_received"] == [2, 0]
    assert rows["concerns_received"] == [0, 1]
    assert rows["inspections_conducted"] == [0, 1]
    assert rows["approved_with_conditions"] == [0, 1]
    assert rows["request_withdrawn"] == [1, 0]
    assert rows["approved"] == [0, 0]


def complaint(received: str, closed: str | None, escalated: str | None = None, closed_again: str | None = None):
    made = Complaint.objects.create(
        reference=f"C-{Complaint.objects.count() + 1}",
        received_on=dt.date.fromisoformat(received),
        complainant_name="A",
        category="fees",
        summary="s",
    )
    for kind, day, stage in [
        ("received", received, 1),
        ("closed", closed, 1),
        ("escalated", escalated, 2),
        ("closed", closed_again, 2),
    ]:
        if day:
            ComplaintEvent.objects.create(
                complaint=made, kind=kind, stage=stage, on=dt.date.fromisoformat(day), at=at(day)
            )


def test_complaints_received_closed_and_the_share_within_20_working_days_a_stage():
    complaint("2020-06-01", "2020-06-29")  # 20 working days: met
    complaint("2020-06-01", "2020-06-30")  # 21: missed
    complaint("2020-05-01", "2020-05-05", escalated="2020-06-01", closed_again="2020-06-10")  # stage 2 from June 1

    rows = values("complaints", [MAY, JUNE])

    assert rows["complaints_received"] == [1, 2]
    assert rows["complaints_closed"] == [1, 3]
    assert rows["met_standard_percentage"] == [100, pytest.approx(200 / 3)]


def event(case, kind: str, day: str, detail: str = "") -> None:
    CaseEvent.objects.create(case=case, kind=kind, at=at(day), detail=detail)


def test_fitness_to_practise_rows_from_a_hand_built_history():
    K = CaseEvent.Kind
    # Concerns received in April: two matched (one in April after 10 days, one in May), one awaiting.
    quick = open_case(at=at("2020-04-01"))  # received and identified the same day
    CaseEvent.objects.filter(case=quick, kind=K.CONCERN_RECEIVED).update(at=at("2020-03-22"))  # received 10 days before
    waiting = raise_concern(received_at=at("2020-04-20"))
    late = open_case(at=at("2020-05-05"), origin="hcpc")
    CaseEvent.objects.filter(case=late, kind=K.CONCERN_RECEIVED).update(at=at("2020-04-25"))

    # Quick: referred to investigation in April, still there at the end of May; late (HCPC) referred in May.
    event(quick, K.REFERRED_TO_INVESTIGATION, "2020-04-20")
    event(late, K.REFERRED_TO_INVESTIGATION, "2020-05-10")
    # Hearings on quick: adjourned, part-heard, concluded in May; an interim order 8 days after the need.
    event(quick, K.HEARING_ADJOURNED, "2020-05-01")
    event(quick, K.HEARING_PART_HEARD, "2020-05-02")
    event(quick, K.HEARING_CONCLUDED, "2020-05-21", "conditions:12")
    event(quick, K.INTERIM_ORDER_NEED_IDENTIFIED, "2020-05-01")
    event(quick, K.INTERIM_ORDER_DECISION, "2020-05-09", "suspension:6")
    event(quick, K.INTERIM_ORDER_REVIEW, "2020-05-28")
    event(late, K.INVESTIGATION_CLOSED, "2020-05-30")

    rows = values("fitness-to-practise", [APRIL, MAY])

    assert rows["concerns_received"] == [2, 0]  # quick was received in March
    assert rows["referrals_identified"] == [1, 0]  # late, received 25 April
    assert rows["cases_opened"] == [1, 1]
    assert rows["awaiting_pre_triage"] == [2, 1]  # end of April: waiting and late; end of May: waiting
    assert rows["pre_triage_average_days"] == [10, 10]
    assert rows["entering_investigation"] == [1, 1]
    assert rows["in_investigation"] == [1, 1]  # late closed at investigation on 30 May
    assert rows["in_investigation_swe"] == [1, 1] and rows["in_investigation_hcpc"] == [0, 0]
    assert rows["in_investigation"] == [m.result for m in monthly_function("INV1")([APRIL, MAY])]
    assert rows["closed_in_investigation"] == [0, 1]
    assert rows["hearings_concluded"] == [0, 1]
    assert rows["receipt_to_final_decision_average_days"] == [None, 60]  # 22 March to 21 May
    assert rows["interim_order_decisions"] == [0, 1]
    assert rows["interim_order_average_days"] == [None, 8]
    assert rows["interim_order_reviews"] == [0, 1]
    assert rows["hearing_adjournment_rate"] == [None, pytest.approx(100 / 3)]
    assert rows["open_in_triage"] == [0.0, 0.0]
    assert waiting.case_id is None


def test_a_concern_closed_at_pre_triage_counts_its_days_and_leaves_the_backlog():
    concern = raise_concern(received_at=at("2020-04-01"))
    ftp.concern_close_not_registered(
        concern_id=concern.pk, version=None, actor=None, reason="Not registered", at=at("2020-04-05")
    )

    rows = values("fitness-to-practise", [APRIL])

    assert rows["concerns_received"] == [1]
    assert rows["awaiting_pre_triage"] == [0]
    assert rows["pre_triage_average_days"] == [4]
