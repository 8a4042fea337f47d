"""The KPI API and the executives' dashboard page: who may read them, what they show, and a
number of queries that does not grow with the number of events."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fitness_to_practise import services
from fitness_to_practise.tests.factories import open_case
from regulator.dashboard import MONTHLY_FUNCTIONS, monthly_function, year_months
from regulator.kpis import KPIS
from regulator.roles import Role
from regulator.working_days import LONDON

pytestmark = pytest.mark.django_db


def at(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), tzinfo=LONDON)


def triage_history(n: int, origin: str = "swe") -> None:
    """n cases through triage in September 2025: every other one closed at triage."""
    for i in range(n):
        case = open_case(at=at("2025-09-01"), origin=origin)
        services.case_complete_initial_review(
            case_id=case.pk, version=None, actor=None, reason="r", risk_level="low", at=at("2025-09-03")
        )
        decide = services.case_close_at_triage if i % 2 == 0 else services.case_refer_to_investigation
        decide(case_id=case.pk, version=None, actor=None, reason="r", at=at("2025-09-20"))


def test_every_kpi_has_a_monthly_function():
    assert set(MONTHLY_FUNCTIONS) == set(KPIS)
    assert all(callable(monthly_function(code)) for code in KPIS)


def test_the_year_runs_from_april_and_stops_at_the_current_month():
    assert year_months(2025, today=dt.date(2026, 5, 2))[0] == dt.date(2025, 4, 1)
    assert len(year_months(2025, today=dt.date(2026, 5, 2))) == 12
    assert year_months(2026, today=dt.date(2026, 11, 22))[-1] == dt.date(2026, 11, 1)
    assert year_months(2027, today=dt.date(2026, 11, 22)) == []


def test_an_executive_reads_every_kpi_for_the_year_with_rag_ytd_and_direction(api_client, user_with_role):
    triage_history(4)
    api_client.force_authenticate(user_with_role(Role.EXECUTIVE))

    body = api_client.get("/api/v1/kpis/?year=2025").json()

    assert body["year"] == 2025
    assert [k["code"] for k in body["kpis"]] == list(KPIS)
    tri4 = next(k for k in body["kpis"] if k["code"] == "TRI4")
    september = next(m for m in tri4["months"] if m["month"] == "2025-09-01")
    assert (september["value"], september["met"], september["population"], september["rag"]) == (50.0, 2, 4, "green")
    august = next(m for m in tri4["months"] if m["month"] == "2025-08-01")
    assert august["value"] is None and august["rag"] is None  # no decisions: no value, not 0%
    assert (tri4["year_to_date"], tri4["year_to_date_rag"], tri4["aim_label"]) == (50.0, "green", ">= 40%")
    tri3 = next(k for k in body["kpis"] if k["code"] == "TRI3")
    assert [m["value"] for m in tri3["months"]][4:6] == [0.0, 0.0]  # all decided by the end of September


def test_one_kpi_by_its_code(api_client, user_with_role):
    triage_history(2)
    api_client.force_authenticate(user_with_role(Role.ADMINISTRATOR))

    body = api_client.get("/api/v1/kpis/tri1/?year=2025").json()

    assert body["code"] == "TRI1" and len(body["months"]) == 12
    assert next(m for m in body["months"] if m["month"] == "2025-09-01")["value"] == 100.0


def test_each_function_reads_its_own_kpis_and_no_others(api_client, user_with_role):
    api_client.force_authenticate(user_with_role(Role.REGISTRATION_OFFICER))
    assert [k["code"] for k in api_client.get("/api/v1/kpis/?year=2025").json()["kpis"]] == ["REG1", "REG2", "REG3"]
    assert api_client.get("/api/v1/kpis/TRI1/?year=2025").status_code == 403

    api_client.force_authenticate(user_with_role(Role.CASE_EXAMINER))
    codes = [k["code"] for k in api_client.get("/api/v1/kpis/?year=2025").json()["kpis"]]
    assert codes == [c for c in KPIS if not c.startswith("REG")]
    assert api_client.get("/api/v1/kpis/REG1/?year=2025").status_code == 403


@pytest.mark.parametrize("url", ["/api/v1/kpis/", "/api/v1/kpis/REG1/"])
def test_anonymous_callers_are_refused_the_api(api_client, url):
    assert api_client.get(url).status_code in (401, 403)


@pytest.mark.parametrize("role", [Role.REGISTRANT, Role.COMPLAINTS_OFFICER, Role.EDUCATION_QA_OFFICER])
@pytest.mark.parametrize("url", ["/api/v1/kpis/", "/api/v1/kpis/REG1/"])
def test_users_without_a_kpi_role_are_refused_the_api(api_client, user_with_role, role, url):
    api_client.force_authenticate(user_with_role(role))
    assert api_client.get(url).status_code == 403


@pytest.mark.parametrize("year", ["twenty", "1999", "2101"])
def test_a_bad_year_is_400_with_the_field(api_client, user_with_role, year):
    api_client.force_authenticate(user_with_role(Role.EXECUTIVE))
    response = api_client.get(f"/api/v1/kpis/?year={year}")
    assert response.status_code == 400 and "year" in response.json()


def test_an_unknown_kpi_is_404(api_client, user_with_role):
    api_client.force_authenticate(user_with_role(Role.EXECUTIVE))
    assert api_client.get("/api/v1/kpis/XYZ9/").status_code == 404


def _queries(api_client, url):
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/api/v1/kpis/?year=2025", "/dashboard/?year=2025"])
def test_the_dashboard_makes_the_same_number_of_queries_for_2_cases_or_20(client, user_with_role, url):
    client.force_login(user_with_role(Role.EXECUTIVE))
    triage_history(2, "swe")
    few = _queries(client, url)
    triage_history(18, "hcpc")
    many = _queries(client, url)

    assert few == many == len(KPIS) + 3  # the session, the user, their roles, then one query per KPI


def test_an_executive_sees_the_dashboard_with_rag_in_words_and_charts_with_text(client, user_with_role):
    triage_history(4)
    client.force_login(user_with_role(Role.EXECUTIVE))

    page = client.get("/dashboard/?year=2025").content.decode()

    assert "Operational performance dashboard" in page
    for group in ("Registration", "Fitness to practise: triage", "investigation", "case examiners"):
        assert group in page
    assert 'govuk-tag govuk-tag--green">Green</strong>' in page  # colour and the word
    assert 'role="img"' in page and "TRI4 by month: Apr 2025 No value;" in page and "Sep 2025 50%" in page
    assert 'href="/dashboard/"' in page  # in the service navigation


def test_the_dashboard_is_in_the_navigation_of_executives_only(client, user_with_role):
    client.force_login(user_with_role(Role.FTP_CASE_HANDLER))
    assert 'href="/dashboard/"' not in client.get("/").content.decode()
    client.force_login(user_with_role(Role.EXECUTIVE))
    assert 'href="/dashboard/"' in client.get("/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in_from_the_dashboard(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "sign-in" in response["Location"]


@pytest.mark.parametrize("role", [Role.REGISTRANT, Role.FTP_CASE_HANDLER, Role.REGISTRATION_OFFICER])
def test_other_users_are_refused_the_dashboard_page(client, user_with_role, role):
    client.force_login(user_with_role(role))
    assert client.get("/dashboard/").status_code == 403


def test_the_demo_gives_every_kpi_a_value_in_the_last_twelve_months():
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from regulator.kpi_months import first_of_month, next_month

    call_command("seed_demo", registrants=300, no_progress=True, stdout=io.StringIO())
    # The twelve months to this one (not the regulator year, which has one month in April).
    months = [first_of_month(timezone.localdate() - dt.timedelta(days=335))]
    while len(months) < 12:
        months.append(next_month(months[-1]))

    empty = [code for code in KPIS if all(m.result is None for m in monthly_function(code)(months))]
    assert empty == []
