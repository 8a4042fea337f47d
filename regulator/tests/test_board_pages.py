"""The board's report pages: the period picker, every table as CSV, the PDF, the definitions, and
who may see them."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fitness_to_practise.tests.factories import open_case
from registration.models import Call
from regulator.definitions import as_markdown, definition_sections
from regulator.metrics import TABLE_SOURCES, metric_table
from regulator.roles import Role
from regulator.working_days import LONDON
from tests.factories import make_entry

pytestmark = pytest.mark.django_db  # not `dates`: the PDF costs seconds a run; test_metrics* cover the dated rules

NOW = dt.datetime(2021, 2, 10, 12, tzinfo=LONDON)
PERIOD = "from=2020-04&to=2021-01"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "kpis.md"


@pytest.fixture(autouse=True)
def _february_2021():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def executive(client, user_with_role):
    client.force_login(user_with_role(Role.EXECUTIVE))
    return client


def at(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), tzinfo=LONDON)


def test_the_report_shows_every_month_of_the_period_kpis_metrics_and_the_register(executive):
    Call.objects.create(received_at=at("2020-06-10"), queue_seconds=30, outcome="answered", key="k")
    make_entry(registered_on=dt.date(2020, 4, 1), nationality="British")

    page = executive.get(f"/dashboard/?{PERIOD}").content.decode()

    assert "April 2020 to January 2021" in page
    for month in ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan"):
        assert f'app-board-month">{month}<span class="app-board-year">' in page
    for source in TABLE_SOURCES:
        assert metric_table(source.slug).title in page
    assert "Median queue time (minutes)" in page and "Hearing adjournment rate" in page
    assert "The register at 31 January 2021" in page and "British" in page
    assert 'govuk-tag govuk-tag--green">Green</strong>' in page  # REG2's June: colour and word
    assert "REG2 by month: Apr 2020 No value; May 2020 No value; Jun 2020 100%" in page  # the chart's text
    assert ">Aim ≥ 90%</text>" in page and ">Jun</text>" in page  # aim line label and month labels
    assert 'name="from"' in page and '<option value="2020-04" selected>' in page  # the period picker
    assert '<option value="2021-01" selected>' in page


def test_a_bad_period_shows_the_error_and_the_year_so_far(executive):
    response = executive.get("/dashboard/?from=2020-09&to=2020-04")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "The end month cannot be before the start month." in page
    assert 'href="#to"' in page and "April 2020 to February 2021" in page


def test_the_older_year_parameter_still_picks_the_regulator_year(executive):
    assert "April 2020 to February 2021" in executive.get("/dashboard/?year=2020").content.decode()


def rows_of(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_every_table_downloads_as_csv_with_a_column_per_month(executive):
    kpis = rows_of(executive.get(f"/dashboard/csv/kpis/?{PERIOD}"))
    assert kpis[0][:3] == ["KPI", "Description", "Aim"] and kpis[0][-1] == "2021-01"
    assert [r[0] for r in kpis[1:]][:3] == ["REG1", "REG2", "REG3"]
    for source in TABLE_SOURCES:
        table = rows_of(executive.get(f"/dashboard/csv/{source.slug}/?{PERIOD}"))
        assert table[0] == ["Group", "Metric", "Unit", *[f"{m:%Y-%m}" for m in _months()]]
        assert len(table) == 1 + len(metric_table(source.slug).metrics)
    assert executive.get("/dashboard/csv/payroll/").status_code == 404


def _months():
    from regulator.periods import months_between

    return months_between(dt.date(2020, 4, 1), dt.date(2021, 1, 1))


def test_the_register_csv_neutralises_a_spreadsheet_formula_typed_as_a_nationality(executive):
    make_entry(registered_on=dt.date(2020, 4, 1), nationality='=HYPERLINK("http://evil.example","x")')
    rows = rows_of(executive.get(f"/dashboard/csv/register/?{PERIOD}"))
    nationality = next(r for r in rows if r[0] == "nationality")
    assert nationality[1].startswith("'=HYPERLINK")


def test_the_whole_pack_downloads_as_a_pdf(executive):
    open_case(at=at("2020-06-01"))
    response = executive.get(f"/dashboard/board-report.pdf?{PERIOD}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert 'filename="board-report-2020-04-to-2021-01.pdf"' in response["Content-Disposition"]


def test_the_definitions_page_gives_the_rule_behind_every_figure(client, user_with_role):
    client.force_login(user_with_role(Role.FTP_CASE_HANDLER))  # rules are for every function's staff
    page = client.get("/dashboard/definitions/").content.decode()
    for section in definition_sections():
        for definition in section.definitions:
            assert definition.rule.replace("'", "&#x27;") in page


def test_docs_kpis_md_holds_the_same_definitions():
    assert as_markdown() in DOCS.read_text(encoding="utf-8"), "regenerate docs/kpis.md (see its first lines)"


@pytest.mark.parametrize(
    "role", [Role.REGISTRANT, Role.FTP_CASE_HANDLER, Role.REGISTRATION_OFFICER, Role.COMPLAINTS_OFFICER]
)
@pytest.mark.parametrize(
    "url", ["/dashboard/", "/dashboard/csv/kpis/", "/dashboard/csv/registration/", "/dashboard/board-report.pdf"]
)
def test_only_executives_and_administrators_get_the_pack(client, user_with_role, role, url):
    client.force_login(user_with_role(role))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", ["/dashboard/definitions/", "/dashboard/csv/kpis/", "/dashboard/board-report.pdf"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_a_registrant_may_not_read_the_definitions(client, user_with_role):
    client.force_login(user_with_role(Role.REGISTRANT))
    assert client.get("/dashboard/definitions/").status_code == 403


def test_an_administrator_gets_the_pack(client, user_with_role):
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    assert client.get(f"/dashboard/?{PERIOD}").status_code == 200


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/dashboard/?{PERIOD}").status_code == 200
    return len(captured)


def test_the_page_makes_the_same_number_of_queries_for_few_records_or_many(executive):
    def history(n):
        for i in range(n):
            open_case(at=at(f"2020-06-{1 + i:02d}"), entry=make_entry(registered_on=dt.date(2020, 5, 1)))
            Call.objects.create(received_at=at("2020-07-01"), queue_seconds=i, outcome="answered", key=f"c{n}{i}")

    from regulator.models import KpiMonth

    history(2)
    few = _page_queries(executive)
    history(8)
    KpiMonth.objects.all().delete()  # both measured cold: kept months would spare the second the KPIs' statements
    assert _page_queries(executive) == few
