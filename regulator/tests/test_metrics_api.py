"""GET /api/v1/metrics/: who reads which table, bad ranges refused with the field, and a number of
queries that does not grow with the number of records."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fitness_to_practise.models import CaseEvent
from fitness_to_practise.tests.factories import open_case
from registration.models import Call, EmailEnquiry
from regulator.metrics import TABLE_SOURCES
from regulator.periods import PeriodError, parse_period
from regulator.roles import Role
from regulator.working_days import LONDON
from tests.factories import make_entry

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

ALL_TABLES = [s.slug for s in TABLE_SOURCES]
NOW = dt.datetime(2021, 2, 10, 12, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _february_2021():
    """The board's February 2021 meeting: January 2021 is the last month that has begun... and February."""
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), tzinfo=LONDON)


def get(api_client, user, query="from=2020-04&to=2021-01"):
    api_client.force_authenticate(user)
    return api_client.get(f"/api/v1/metrics/?{query}")


def test_an_executive_reads_every_table_and_the_register_for_the_range(api_client, user_with_role):
    Call.objects.create(received_at=at("2020-06-10"), queue_seconds=30, outcome="answered", key="k")
    body = get(api_client, user_with_role(Role.EXECUTIVE)).json()

    assert body["months"][0] == "2020-04-01" and body["months"][-1] == "2021-01-01" and len(body["months"]) == 10
    assert [t["slug"] for t in body["tables"]] == ALL_TABLES
    registration = body["tables"][0]
    calls = next(r for r in registration["rows"] if r["key"] == "calls_received")
    assert calls["values"][2] == 1 and calls["unit"] == "count" and len(calls["values"]) == 10
    assert body["register"]["as_at"] == "2021-01-31"


@pytest.mark.parametrize(
    ("role", "tables", "register"),
    [
        (Role.ADMINISTRATOR, ALL_TABLES, True),
        (Role.REGISTRATION_OFFICER, ["registration", "cpd"], True),
        (Role.FTP_CASE_HANDLER, ["fitness-to-practise"], False),
        (Role.CASE_EXAMINER, ["fitness-to-practise"], False),
        (Role.ADJUDICATIONS_OFFICER, ["fitness-to-practise"], False),
        (Role.EDUCATION_QA_OFFICER, ["education"], False),
        (Role.COMPLAINTS_OFFICER, ["complaints"], False),
    ],
)
def test_each_function_reads_its_own_tables_and_no_others(api_client, user_with_role, role, tables, register):
    body = get(api_client, user_with_role(role)).json()
    assert [t["slug"] for t in body["tables"]] == tables
    assert ("register" in body) is register
    for slug in ALL_TABLES:
        expected = 200 if slug in tables else 403
        assert api_client.get(f"/api/v1/metrics/{slug}/?from=2020-04&to=2020-06").status_code == expected, slug
    assert api_client.get("/api/v1/metrics/register/").status_code == (200 if register else 403)


@pytest.mark.parametrize("role", [Role.REGISTRANT, Role.EDUCATION_PROVIDER])
def test_callers_without_a_staff_role_are_refused(api_client, user_with_role, role):
    assert get(api_client, user_with_role(role)).status_code == 403
    assert api_client.get("/api/v1/metrics/complaints/").status_code == 403


def test_anonymous_callers_are_refused(api_client):
    assert api_client.get("/api/v1/metrics/").status_code in (401, 403)
    assert api_client.get("/api/v1/metrics/registration/").status_code in (401, 403)


def test_an_unknown_table_is_not_found(api_client, user_with_role):
    api_client.force_authenticate(user_with_role(Role.EXECUTIVE))
    assert api_client.get("/api/v1/metrics/payroll/").status_code == 404


@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        ("from=2020-13&to=2021-01", "from", "YYYY-MM"),
        ("from=April&to=2021-01", "from", "YYYY-MM"),
        ("from=2020-04&to=2021-1", "to", "YYYY-MM"),
        ("from=2020-06&to=2020-04", "to", "before the start"),
        ("from=2019-04&to=2021-01", "to", "at most 12 months"),
        ("from=2020-04&to=2021-03", "to", "after the current month"),
        ("from=1999-12&to=2000-01", "from", "from 2000-01"),
        ("from=0000-01&to=2000-01", "from", "YYYY-MM"),
        ("from=\uff12\uff10\uff12\uff10-04&to=2021-01", "from", "YYYY-MM"),  # fullwidth digits
    ],
)
def test_a_bad_range_is_refused_with_the_field_and_the_reason(api_client, user_with_role, query, field, reason):
    response = get(api_client, user_with_role(Role.EXECUTIVE), query)
    assert response.status_code == 400
    assert reason in response.json()[field][0]
    api_client.force_authenticate(user_with_role(Role.COMPLAINTS_OFFICER))
    assert api_client.get(f"/api/v1/metrics/complaints/?{query}").status_code == 400


def test_the_default_range_is_the_regulator_year_so_far(api_client, user_with_role):
    body = get(api_client, user_with_role(Role.EXECUTIVE), "").json()
    assert body["months"][0] == "2020-04-01" and body["months"][-1] == "2021-02-01"


def test_either_end_may_be_left_out():
    on = dt.date(2021, 2, 10)
    assert parse_period("2020-11", None, on=on).months[-1] == dt.date(2021, 2, 1)
    assert len(parse_period(None, "2021-01", on=on).months) == 12
    with pytest.raises(PeriodError) as refused:
        parse_period("2021-03", None, on=on)
    assert "from" in refused.value.errors


def history(n: int) -> None:
    """n of each kind of record the tables read, in June and July 2020."""
    for i in range(n):
        entry = make_entry(registered_on=dt.date(2020, 6, 1 + i % 20), nationality="British", gender="female")
        case = open_case(entry=entry, at=at(f"2020-06-{1 + i % 20:02d}"))
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.REFERRED_TO_INVESTIGATION, at=at("2020-07-01"))
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.HEARING_CONCLUDED, at=at("2020-07-20"))
        Call.objects.create(received_at=at("2020-06-10"), queue_seconds=i, outcome="answered", key=f"k{n}-{i}")
        EmailEnquiry.objects.create(received_at=at("2020-06-10"), responded_at=at(f"2020-06-{11 + i % 10}"))


def count_queries(api_client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get("/api/v1/metrics/?from=2020-04&to=2021-01")
    assert response.status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_records(api_client, user_with_role):
    api_client.force_authenticate(user_with_role(Role.EXECUTIVE))
    history(2)
    count_queries(api_client)  # the first request also reads the caller's roles, then cached on the user
    few = count_queries(api_client)
    history(6)
    assert count_queries(api_client) == few
    assert few <= 45  # one query per figure group (roles, about 30 grouped aggregates), never one per row
