"""The KPI API and the executives' dashboard page: who may read them, what they show, and a
number of queries that does not grow with the number of events."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fitness_to_practise import services
from fitness_to_practise.tests.factories import open_case
from regulator.dashboard import MONTHLY_FUNCTIONS, monthly_function, year_months
from regulator.kpis import KPIS
from regulator.models import KpiMonth
from regulator.roles import Role
from regulator.working_days import LONDON

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture(autouse=True)
def _after_the_2025_year():
    """The histories here are in the 2025 regulator year: read them from a day after it ended."""
    with time_machine.travel(dt.datetime(2026, 5, 15, 12, tzinfo=LONDON), tick=False):
        yield


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


RANGE = "?from=2025-02&to=2025-05"


@pytest.mark.parametrize("url", ["/api/v1/kpis/", "/api/v1/kpis/REG1/", f"/api/v1/kpis/{RANGE}"])
def test_anonymous_callers_are_refused_the_api(api_client, url):
    assert api_client.get(url).status_code in (401, 403)


@pytest.mark.parametrize("role", [Role.REGISTRANT, Role.COMPLAINTS_OFFICER, Role.EDUCATION_QA_OFFICER])
@pytest.mark.parametrize("url", ["/api/v1/kpis/", "/api/v1/kpis/REG1/", f"/api/v1/kpis/TRI1/{RANGE}"])
def test_users_without_a_kpi_role_are_refused_the_api(api_client, user_with_role, role, url):
    api_client.force_authenticate(user_with_role(role))
    assert api_client.get(url).status_code == 403


@pytest.mark.parametrize("year", ["twenty", "1999", "2101"])
def test_a_bad_year_is_400_with_the_field(api_client, user_with_role, year):
    api_client.force_authenticate(user_with_role(Role.EXECUTIVE))
    response = api_client.get(f"/api/v1/kpis/?year={year}")
    assert response.status_code == 400 and "year" in response.json()


@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        ("from=2025-4&to=2025-06", "from", "YYYY-MM"),
        ("from=2025-04&to=June", "to", "YYYY-MM"),
        ("from=2025-13&to=2026-01", "from", "01 to 12"),
        ("from=1999-04&to=2000-01", "from", "2000 to 2100"),
        ("from=2025-06&to=2025-04", "to", "not be before"),
        ("from=2020-04&to=2025-04", "to", "at most 60 months"),
        ("from=2025-04", "to", "the last month"),
        ("to=2025-04", "from", "the first month"),
        ("year=2025&from=2025-04&to=2025-06", "year", "not both"),
        ("from=2026-06&to=2026-07", "from", "not begun"),
    ],
)
def test_a_bad_range_is_400_with_the_field_and_the_reason(api_client, user_with_role, query, field, reason):
    api_client.force_authenticate(user_with_role(Role.EXECUTIVE))
    for url in ("/api/v1/kpis/", "/api/v1/kpis/TRI1/"):
        response = api_client.get(f"{url}?{query}")
        assert response.status_code == 400
        assert list(response.json()) == [field] and reason in response.json()[field][0]


def test_a_range_across_regulator_years_shows_its_months_and_the_year_to_date_from_april(api_client, user_with_role):
    triage_history(4)
    api_client.force_authenticate(user_with_role(Role.EXECUTIVE))

    body = api_client.get("/api/v1/kpis/?from=2025-02&to=2026-07").json()  # today is 15 May 2026

    assert (body["from"], body["to"], body["year"]) == ("2025-02", "2026-05", 2026)
    tri4 = next(k for k in body["kpis"] if k["code"] == "TRI4")
    assert tri4["months"][0]["month"] == "2025-02-01" and tri4["months"][-1]["month"] == "2026-05-01"
    assert len(tri4["months"]) == 16  # February 2025 to May 2026: the months not begun are left out
    assert tri4["year_to_date_from"] == "2026-04-01" and tri4["year_to_date"] is None  # nothing since April
    september = next(m for m in tri4["months"] if m["month"] == "2025-09-01")
    assert (september["met"], september["population"]) == (2, 4)
    one = api_client.get("/api/v1/kpis/TRI4/?from=2025-09&to=2025-10").json()
    assert [m["population"] for m in one["months"]] == [4, 0] and one["year_to_date"] == 50.0


def test_the_dashboard_page_reads_a_range(client, user_with_role):
    triage_history(2)
    client.force_login(user_with_role(Role.EXECUTIVE))
    response = client.get(f"/dashboard/{RANGE}")
    assert response.status_code == 200
    assert "February 2025 to May 2025" in response.content.decode()


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
    KpiMonth.objects.all().delete()  # computed from nothing kept, as the first time
    many = _queries(client, url)
    kept = _queries(client, url)
    triage_history(1, "swe")  # September's case events: the FTP months from September are computed again
    recomputed = _queries(client, url)

    assert few == many
    if url.startswith("/api/"):
        # the session, the user, their roles, the kept months; a savepoint, the lock, six statements
        # (REG1, REG2, REG3, the FTP closing events, the FTP month-end counts, INV3), and the keeping
        assert few == 3 + 1 + 2 + 1 + 6 + 1
        assert kept == 3 + 1  # every month kept: one query for all thirteen KPIs
        assert recomputed == 3 + 1 + 2 + 1 + 3 + 1  # only the three FTP statements
    else:  # the page adds the board's metric tables (regulator/tests/test_board_pages.py)
        assert kept < few <= len(KPIS) + 40 and recomputed < few


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
